import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { Socket } from 'node:net';
import { SimulatorOptions, SimulatorServer } from '../../src/simulator/SimulatorServer';
import { GatewayProcess, startGatewayProcess } from './gatewayProcess';

/**
 * What the security suite attacks: the built gateway as its own process, started as production
 * runs it (`NODE_ENV=production`, `LOSANT_API_URL` pointing at a simulator owned by the test, so
 * upstream calls can be counted), with the given extra environment.
 */
export interface ProductionGateway {
  readonly process: GatewayProcess;
  readonly simulator: SimulatorServer;
  /** `http://127.0.0.1:PORT/graphql` */
  readonly graphqlUrl: string;
  close(): Promise<void>;
}

export async function startProductionGateway(
  env: Record<string, string> = {},
  simulatorOptions: SimulatorOptions = {},
): Promise<ProductionGateway> {
  const simulator = new SimulatorServer(simulatorOptions);
  const url = await simulator.listen(0, '127.0.0.1');
  const started = await startProductionGatewayBefore({ url, close: () => simulator.close() }, env);
  return { process: started.gateway, simulator, graphqlUrl: `${started.gateway.url}/graphql`, close: () => started.close() };
}

/** An upstream the gateway can be put in front of: where it listens, and how to stop it. */
export interface Upstream {
  readonly url: string;
  close(): Promise<void>;
}

/** The built gateway in front of an upstream of its own; `close` stops both. */
export interface GatewayBefore<U extends Upstream> {
  readonly upstream: U;
  readonly gateway: GatewayProcess;
  close(): Promise<void>;
}

/**
 * Starts the built gateway as production runs it (`NODE_ENV=production`, logs at warn, `env` on
 * top) in front of `upstream`, which it owns from then on: closed with it, or at once if the
 * gateway does not start.
 */
export async function startProductionGatewayBefore<U extends Upstream>(
  upstream: U,
  env: Record<string, string> = {},
): Promise<GatewayBefore<U>> {
  let gateway: GatewayProcess;
  try {
    gateway = await startGatewayProcess({ NODE_ENV: 'production', LOSANT_API_URL: upstream.url, LOG_LEVEL: 'warn', ...env });
  } catch (error) {
    await upstream.close();
    throw error;
  }
  return {
    upstream,
    gateway,
    async close() {
      gateway.kill();
      await gateway.exited;
      await upstream.close();
    },
  };
}

/** The federation router's shared secret in the security suite: start with `ROUTER_ENV`, send `ROUTER_HEADERS`. */
export const ROUTER_SECRET = 'security-suite-router-secret-0123456789abcdef';
export const ROUTER_ENV: Readonly<Record<string, string>> = { ROUTER_SECRET };
/** What the router sends (`ROUTER_SECRET_HEADER`'s default); only it may run `_service`/`_entities`. */
export const ROUTER_HEADERS: Readonly<Record<string, string>> = { 'router-authorization': ROUTER_SECRET };

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  readonly json: unknown;
}

/**
 * One POST on a connection of its own (no keep-alive pool shared with the probe), with the body
 * given as a string or any JSON value. Never rejects on an HTTP status; rejects on a socket error.
 */
/** A connection pool to send through instead of a fresh connection, and who to tell of each socket it opens. */
export interface PooledConnection {
  readonly agent: http.Agent;
  readonly onSocket: (socket: Socket) => void;
}

export function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  timeoutMs = 120_000,
  pooled?: PooledConnection,
): Promise<RawResponse> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent: pooled?.agent ?? false,
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          'content-length': Buffer.byteLength(payload),
          ...headers,
        },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
        });
        response.on('error', reject);
      },
    );
    if (pooled) request.on('socket', pooled.onSocket);
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(payload);
  });
}

/** The `extensions.code` of each error in a GraphQL response body. */
export function codesOf(json: unknown): unknown[] {
  const errors = (json as { errors?: Array<{ extensions?: { code?: unknown } }> } | undefined)?.errors ?? [];
  return errors.map((error) => error.extensions?.code);
}

export interface ProbeReport {
  /** Probes answered while the attack ran. */
  readonly answered: number;
  /** The slowest probe, in milliseconds (a probe still unanswered at the end counts until then). */
  readonly slowestMs: number;
  /** Probes that failed (socket error, or an answer `ok` did not accept: by default, not a 200). */
  readonly failed: number;
  /** Connections the probe opened: one for a pooled probe that never had to reconnect. */
  readonly sockets: number;
}

export interface StallProbe {
  /** Resolves once the first probe is answered (a pooled probe's connection is then open). */
  readonly ready: Promise<void>;
  stop(): Promise<ProbeReport>;
}

export interface StallProbeOptions {
  /** Pause between one answer and the next probe. */
  readonly intervalMs?: number;
  /** All probes over one keep-alive connection instead of one each. */
  readonly pooled?: boolean;
  /** What each probe posts: `{ __typename }` unless given. */
  readonly body?: unknown;
  /** Headers each probe sends (an authorization, say). */
  readonly headers?: Record<string, string>;
  /** Whether an answer counts as healthy: a 200 unless given. */
  readonly ok?: (response: RawResponse) => boolean;
}

/**
 * Keeps asking `{ __typename }` (or `body`) on a second connection while an attack runs, one probe
 * at a time, and reports the slowest answer: a stalled event loop shows up as a slow probe whatever
 * the attack is; an answer `ok` does not accept counts as failed. The bound a test asserts is
 * generous (a second), not a benchmark figure. Each probe opens a connection of its own, unless
 * `pooled`: then all go over one keep-alive connection, opened by the first, as a load balancer's
 * pooled connection would (a connection cap refuses new connections, not that one).
 */
export function stallProbe(
  graphqlUrl: string,
  {
    intervalMs = 50,
    pooled = false,
    body = { query: '{ __typename }' },
    headers = {},
    ok = (response) => response.status === 200,
  }: StallProbeOptions = {},
): StallProbe {
  const sockets = new Set<Socket>();
  const agent = pooled ? new http.Agent({ keepAlive: true, maxSockets: 1 }) : undefined;
  const connection: PooledConnection | undefined = agent && { agent, onSocket: (socket) => sockets.add(socket) };
  let running = true;
  let answered = 0;
  let failed = 0;
  let slowestMs = 0;
  let currentStart: number | undefined;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const loop = (async () => {
    while (running) {
      currentStart = performance.now();
      try {
        const response = await post(graphqlUrl, body, headers, 60_000, connection);
        if (!ok(response)) failed++;
      } catch {
        failed++;
      }
      slowestMs = Math.max(slowestMs, performance.now() - currentStart);
      currentStart = undefined;
      answered++;
      markReady();
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    ready,
    async stop() {
      running = false;
      // A probe still waiting when the attack ends is as slow as it has been so far.
      const pendingMs = currentStart === undefined ? 0 : performance.now() - currentStart;
      const report: ProbeReport = {
        answered,
        failed,
        slowestMs: Math.max(slowestMs, pendingMs),
        sockets: pooled ? sockets.size : answered,
      };
      await loop;
      agent?.destroy();
      return report;
    },
  };
}

/**
 * Runs `fn` under a stall probe (`options` as stallProbe's), started and answered once before `fn`
 * begins and stopped however `fn` ends; then expects no failed probe and none slower than `boundMs`.
 */
export async function withStallProbe<T>(
  graphqlUrl: string,
  boundMs: number,
  fn: () => Promise<T>,
  options: StallProbeOptions = {},
): Promise<T> {
  const probe = stallProbe(graphqlUrl, options);
  try {
    await probe.ready;
    return await fn();
  } finally {
    const report = await probe.stop();
    expect(report.failed).toBe(0);
    expect(report.slowestMs).toBeLessThan(boundMs);
  }
}

/** A size field (`VmRSS`, `VmHWM`, ...) of a process's /proc status, in bytes. */
async function statusBytes(pid: number, field: string): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
  if (!match) throw new Error(`no ${field} for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** Resident memory of a process, from /proc, in bytes. */
export function residentBytes(pid: number): Promise<number> {
  return statusBytes(pid, 'VmRSS');
}

/** CPU time a process has used so far (user and system, all its threads), from /proc, in seconds. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime, fields 14 and 15 of the whole line, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Waits until a process is idle (less than `idleShare` of a core used over `windowMs`), or
 * `maxMs` have passed, and answers the CPU seconds it used meanwhile: what it went on doing
 * after the moment this was called.
 */
export async function cpuUntilIdle(pid: number, { windowMs = 500, idleShare = 0.2, maxMs = 30_000 } = {}): Promise<number> {
  const start = await cpuSeconds(pid);
  const giveUp = performance.now() + maxMs;
  let before = start;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const now = await cpuSeconds(pid);
    if (now - before < (idleShare * windowMs) / 1000 || performance.now() >= giveUp) return now - start;
    before = now;
  }
}

/** The most resident memory a process has had since it started (`VmHWM`), in bytes. */
export function peakResidentBytes(pid: number): Promise<number> {
  return statusBytes(pid, 'VmHWM');
}

/** One sample of the gateway's `/metrics`, by its name with any labels (`redis_up`, `x_total{reason="timeout"}`); NaN when absent. */
export async function metric(gatewayUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${gatewayUrl}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? NaN : Number(line.slice(name.length + 1));
}

/** The gateway's circuit breaker as its `/metrics` report it: `closed`, `half-open` or `open`. */
export async function circuitState(gatewayUrl: string): Promise<string> {
  const value = await metric(gatewayUrl, 'upstream_circuit_state');
  return ['closed', 'half-open', 'open'][value] ?? `unknown (${value})`;
}
