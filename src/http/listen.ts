import type { AddressInfo, Server } from 'node:net';

/**
 * Starts `server` listening and resolves with the address it bound, or rejects with the listen
 * error (a port in use, a host that is not local) instead of leaving it unhandled.
 */
export async function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}

/**
 * `http://host:port` for a bound address, IPv6 hosts in brackets. With `wildcardHost`, a wildcard
 * address (`0.0.0.0`, `::`), which no client can connect to by name, is shown as that host instead.
 */
export function baseUrl({ address, port }: AddressInfo, wildcardHost?: string): string {
  const wildcard = address === '0.0.0.0' || address === '::';
  const host = wildcard && wildcardHost !== undefined ? wildcardHost : address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${port}`;
}
