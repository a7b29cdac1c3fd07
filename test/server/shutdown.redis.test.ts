import http from 'node:http';
import path from 'node:path';
import { SimulatorServer } from '../../src/simulator/SimulatorServer';
import { post } from '../support/attack';
import { GatewayProcess, startGatewayProcess } from '../support/gatewayProcess';
import { DEMO_ORG, LIST_INVITES } from '../support/operations';
import { RedisServer, startRedis } from '../support/redisServer';
import { DEMO_TOKENS } from '../support/stack';

/**
 * The built gateway (`node dist/src/main.js`, as `npm start` and the image run it) stopped by
 * SIGTERM and SIGINT in every mode: it must exit 0 within SHUTDOWN_TIMEOUT_MS + 1 s, before and
 * after serving, with requests in flight, and during start-up; with nothing left holding the event
 * loop once everything is closed (the exit would otherwise wait, and the log says what held it).
 */

jest.setTimeout(120_000);

const SHUTDOWN_TIMEOUT_MS = 3_000;
/** The promise made to operators: from the signal to the exit. */
const EXIT_WITHIN_MS = SHUTDOWN_TIMEOUT_MS + 1_000;

let simulator: SimulatorServer;
let redis: RedisServer;
const running: GatewayProcess[] = [];

beforeAll(async () => {
  simulator = new SimulatorServer();
  await simulator.listen(0, '127.0.0.1');
  redis = await startRedis();
});
afterAll(async () => {
  for (const gateway of running) gateway.kill();
  await simulator.close();
  await redis.stop();
});
beforeEach(() => simulator.faults.clear());

type Mode = 'embedded simulator' | 'LOSANT_API_URL' | 'REDIS_URL' | 'NODE_ENV=production';
const MODES: readonly Mode[] = ['embedded simulator', 'LOSANT_API_URL', 'REDIS_URL', 'NODE_ENV=production'];

function envFor(mode: Mode): Record<string, string> {
  const common = { LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) };
  switch (mode) {
    case 'embedded simulator':
      return { ...common, NODE_ENV: 'development' };
    case 'LOSANT_API_URL':
      return { ...common, NODE_ENV: 'development', LOSANT_API_URL: simulator.url };
    case 'REDIS_URL':
      return { ...common, NODE_ENV: 'development', LOSANT_API_URL: simulator.url, REDIS_URL: redis.url };
    case 'NODE_ENV=production':
      // The production drain delay applies: half of this short timeout.
      return { ...common, NODE_ENV: 'production', LOSANT_API_URL: simulator.url };
  }
}

async function start(env: Record<string, string>, { waitUntilHealthy = true } = {}): Promise<GatewayProcess> {
  // The embedded simulator's banner prints the published demo tokens, which the run's log check refuses.
  const gateway = await startGatewayProcess(env, { waitUntilHealthy, appendToRunLog: env.LOSANT_API_URL !== undefined });
  running.push(gateway);
  return gateway;
}

/** Sends the signal and answers how the process ended and how long after the signal; kills it past the promise (+ 3 s). */
async function stop(
  gateway: GatewayProcess,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const sent = Date.now();
  gateway.child.kill(signal);
  const killer = setTimeout(() => gateway.kill(), EXIT_WITHIN_MS + 3_000);
  const exit = await gateway.exited;
  clearTimeout(killer);
  return { ...exit, ms: Date.now() - sent };
}

function listInvites(url: string): Promise<{ status: number; count?: number }> {
  return post(`${url}/graphql`, { query: LIST_INVITES, variables: DEMO_ORG }, { authorization: `Bearer ${DEMO_TOKENS.admin}` }).then(
    (response) => ({
      status: response.status,
      count: (response.json as { data?: { orgInvites?: { count: number } } } | undefined)?.data?.orgInvites?.count,
    }),
  );
}

/** One request on its own connection, never pooled: during the drain only new connections tell the truth. */
function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once the process's output contains `text`; rejects with the output if the process exits first. */
async function outputContains(gateway: GatewayProcess, text: string): Promise<void> {
  while (!gateway.output().includes(text)) {
    if (gateway.child.exitCode !== null || gateway.child.signalCode !== null)
      throw new Error(`exited before printing ${JSON.stringify(text)}:\n${gateway.output()}`);
    await sleep(2);
  }
}

/**
 * Polls `probe` until it is refused (ECONNREFUSED); answers when the first failure of any kind came,
 * in ms since `since`. A connection the kernel accepted just as the server closed is reset instead.
 */
async function refusedAfter(probe: () => Promise<unknown>, since: number): Promise<{ firstFailureMs: number }> {
  let firstFailureMs: number | undefined;
  for (;;) {
    try {
      await probe();
    } catch (error) {
      firstFailureMs ??= Date.now() - since;
      if (/ECONNREFUSED/.test(String(error))) return { firstFailureMs };
    }
    await sleep(20);
  }
}

const ANNOUNCE_SIGNAL_HANDLERS = path.join(__dirname, '..', 'support', 'announceSignalHandlers.cjs');

function expectCleanExit(gateway: GatewayProcess, exit: { code: number | null; signal: NodeJS.Signals | null; ms: number }): void {
  expect({ code: exit.code, signal: exit.signal, output: exit.code === 0 ? '' : gateway.output() }).toEqual({
    code: 0,
    signal: null,
    output: '',
  });
  expect(exit.ms).toBeLessThan(EXIT_WITHIN_MS);
  // Everything was closed: nothing held the event loop, and the watchdog never had to act.
  expect(gateway.output()).not.toContain('still busy after shutdown');
  expect(gateway.output()).not.toContain('did not finish in time');
}

describe.each(MODES)('%s', (mode) => {
  test.each(['SIGTERM', 'SIGINT'] as const)('%s after serving requests: exit 0 in time, nothing left running', async (signal) => {
    const gateway = await start(envFor(mode));
    for (let i = 0; i < 3; i++) expect(await listInvites(gateway.url)).toEqual({ status: 200, count: 7 });
    // @keyv/redis leaves its 1 s connect timer running after the first command; past it, nothing may remain.
    if (mode === 'REDIS_URL') await sleep(1_100);
    const exit = await stop(gateway, signal);
    expectCleanExit(gateway, exit);
    expect(gateway.output()).toContain('"msg":"shut down"');
  });

  if (mode !== 'embedded simulator') {
    test('SIGTERM with requests in flight: they are answered, then exit 0 in time', async () => {
      const gateway = await start(envFor(mode));
      simulator.faults.inject({ kind: 'delay', ms: 1_500 }, { times: 2, method: 'GET' });
      const inFlight = [listInvites(gateway.url), listInvites(gateway.url)];
      while (simulator.inFlight < 2) await sleep(5);
      const exit = await stop(gateway, 'SIGTERM');
      expect(await Promise.all(inFlight)).toEqual([
        { status: 200, count: 7 },
        { status: 200, count: 7 },
      ]);
      expectCleanExit(gateway, exit);
    });
  }

  test('SIGINT as soon as its handler exists, while the modules load: start-up stops, exit 0', async () => {
    const gateway = await start({ ...envFor(mode), NODE_OPTIONS: `--require ${ANNOUNCE_SIGNAL_HANDLERS}` }, { waitUntilHealthy: false });
    await outputContains(gateway, 'test: SIGINT listener added');
    // The signal is sent before the first log line: the modules that write it were still loading.
    expect(gateway.output()).not.toContain('"msg":"starting"');
    const exit = await stop(gateway, 'SIGINT');
    expectCleanExit(gateway, exit);
    expect(gateway.output()).toContain('start-up stopped');
    expect(gateway.output()).not.toContain('gateway listening');
  });

  test('SIGTERM once start-up has begun (the "starting" line): start-up stops, exit 0, never listened', async () => {
    const gateway = await start(envFor(mode), { waitUntilHealthy: false });
    await outputContains(gateway, '"msg":"starting"');
    const exit = await stop(gateway, 'SIGTERM');
    expectCleanExit(gateway, exit);
    expect(gateway.output()).toContain('shutting down during start-up');
    expect(gateway.output()).not.toContain('gateway listening');
  });
});

describe('draining, the way load balancers expect', () => {
  test('after SIGTERM: /readyz 503 while new connections are still served for the drain delay; then refused; exit 0 in time', async () => {
    const gateway = await start({ ...envFor('NODE_ENV=production'), SHUTDOWN_TIMEOUT_MS: '4000', SHUTDOWN_DRAIN_DELAY_MS: '1500' });
    expect((await get(`${gateway.url}/readyz`)).status).toBe(200);
    simulator.faults.inject({ kind: 'delay', ms: 2_500 }, { method: 'GET' });
    const longRunning = listInvites(gateway.url);
    while (simulator.inFlight < 1) await sleep(5);

    const sent = Date.now();
    gateway.child.kill('SIGTERM');
    await outputContains(gateway, 'shutting down');

    const readiness = await get(`${gateway.url}/readyz`);
    expect(readiness.status).toBe(503);
    expect(JSON.parse(readiness.body)).toMatchObject({ status: 'not ready', checks: { draining: { ok: false } } });
    expect((await get(`${gateway.url}/healthz`)).status).toBe(200);
    // A new connection's query is still answered: the balancer may not have noticed yet. (Past the
    // drain delay the connection would be refused, so the answer itself shows when it came.)
    expect(await listInvites(gateway.url)).toEqual({ status: 200, count: 7 });

    // Served for the whole drain delay, then refused: the first refused connection comes after it.
    const { firstFailureMs } = await refusedAfter(() => get(`${gateway.url}/healthz`), sent);
    expect(firstFailureMs).toBeGreaterThanOrEqual(1_500);
    // The request that was running all along still gets its answer.
    expect(await longRunning).toEqual({ status: 200, count: 7 });
    const exit = await gateway.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - sent).toBeLessThan(4_000 + 1_000);
  });

  test('a second signal forces the exit at once (code 130), having said how on the first', async () => {
    const gateway = await start({
      ...envFor('LOSANT_API_URL'),
      SHUTDOWN_TIMEOUT_MS: '20000',
      UPSTREAM_TIMEOUT_MS: '20000',
      OPERATION_TIMEOUT_MS: '20000',
    });
    simulator.faults.inject({ kind: 'hang' }, { method: 'GET' });
    const stuck = listInvites(gateway.url).catch(() => 'cut');
    while (simulator.inFlight < 1) await sleep(5);
    gateway.child.kill('SIGINT');
    await outputContains(gateway, 'shutting down');
    expect(gateway.output()).toContain('press Ctrl-C or send SIGTERM again to force');

    const exit = await stop(gateway, 'SIGINT');
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 130, signal: null });
    expect(exit.ms).toBeLessThan(1_000);
    expect(gateway.output()).toContain('forced exit');
    expect(await stuck).toBe('cut');
  });
});
