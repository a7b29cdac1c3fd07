import type { AddressInfo } from 'node:net';
import net from 'node:net';
import pino from 'pino';
import type { SocketLimits } from '../../src/config/settings';
import { checkingIntervalMs, createSocketLimitedServer } from '../../src/server/socketLimits';

const limits = (overrides: Partial<SocketLimits> = {}): SocketLimits => ({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_024,
  ...overrides,
});

test('the timeouts are checked every second, or twice per timeout when it is shorter', () => {
  expect(checkingIntervalMs(limits())).toBe(1_000);
  expect(checkingIntervalMs(limits({ headersTimeoutMs: 600, requestTimeoutMs: 1_500 }))).toBe(300);
  expect(checkingIntervalMs(limits({ headersTimeoutMs: 1, requestTimeoutMs: 1 }))).toBe(1);
});

test('the server gets the configured timeouts, and no cap when MAX_CONNECTIONS is 0', () => {
  const logger = pino({ level: 'silent' });
  const server = createSocketLimitedServer(
    limits({ headersTimeoutMs: 2_000, requestTimeoutMs: 3_000, keepAliveTimeoutMs: 4_000 }),
    logger,
    () => undefined,
  );
  expect(server).toMatchObject({ headersTimeout: 2_000, requestTimeout: 3_000, keepAliveTimeout: 4_000, maxConnections: 1_024 });
  expect(createSocketLimitedServer(limits({ maxConnections: 0 }), logger, () => undefined).maxConnections).toBeUndefined();
});

test('connections past the cap are closed and each counted, with one warning per burst rather than one per connection', async () => {
  const warnings: unknown[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) });
  let refused = 0;
  const server = createSocketLimitedServer(
    limits({ maxConnections: 1 }),
    logger,
    () => undefined,
    () => refused++,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const open = (): Promise<net.Socket> =>
    new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
      socket.on('error', () => undefined);
    });
  const closed = (socket: net.Socket): Promise<void> =>
    new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
  const admitted = await open();
  try {
    const extras = await Promise.all([open(), open(), open()]);
    await Promise.all(extras.map(closed));
    expect(admitted.destroyed).toBe(false);
    // Each refusal is counted (the metric), though only the first of the burst is logged.
    expect(refused).toBe(3);
    expect(warnings).toEqual([
      expect.objectContaining({ maxConnections: 1, refused: 1, msg: 'connection cap reached; new connections are being closed' }),
    ]);
  } finally {
    admitted.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
