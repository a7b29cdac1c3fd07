import { SimulatorServer } from '../../src/simulator/SimulatorServer';
import { DEMO_TOKENS } from '../support/stack';
import { DEMO_ORG, LIST_INVITES } from '../support/operations';
import { freePort, GatewayProcess, startGatewayProcess } from '../support/gatewayProcess';

/** The compiled gateway as its own process: start-up validation, signals, graceful shutdown. */

jest.setTimeout(60_000);

let simulator: SimulatorServer;
const running: GatewayProcess[] = [];
beforeAll(async () => {
  simulator = new SimulatorServer();
  await simulator.listen(0, '127.0.0.1');
});
afterAll(async () => {
  for (const gateway of running) gateway.kill();
  await simulator.close();
});

/** Production settings, without the drain delay (test/server/shutdown.redis.test.ts covers it). */
async function start(env: Record<string, string>, options?: { waitUntilHealthy?: boolean }): Promise<GatewayProcess> {
  const gateway = await startGatewayProcess(
    { LOSANT_API_URL: simulator.url, NODE_ENV: 'production', LOG_LEVEL: 'info', SHUTDOWN_DRAIN_DELAY_MS: '0', ...env },
    options,
  );
  running.push(gateway);
  return gateway;
}

function query(url: string): Promise<Response> {
  return fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKENS.admin}` },
    body: JSON.stringify({ query: LIST_INVITES, variables: DEMO_ORG }),
  });
}

describe('configuration is validated at start-up', () => {
  test.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ LOSANT_API_URL: '' }, 'LOSANT_API_URL'],
    [{ UPSTREAM_TIMEOUT_MS: '-1' }, 'UPSTREAM_TIMEOUT_MS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ REDIS_URL: 'http://localhost' }, 'REDIS_URL'],
    [{ SHUTDOWN_DRAIN_DELAY_MS: '10000' }, 'SHUTDOWN_DRAIN_DELAY_MS'],
    [{ NODE_ENV: 'prod' }, 'NODE_ENV'],
    [{ LOSANT_API_ULR: 'https://api.losant.com' }, 'LOSANT_API_ULR'],
  ])('%j: exits non-zero naming %s, in a JSON log line', async (env, name) => {
    const gateway = await start(env, { waitUntilHealthy: false });
    const { code } = await gateway.exited;
    expect(code).not.toBe(0);
    const lines = gateway.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 60, service: 'invites-gateway', pid: gateway.child.pid, variable: name });
    expect(line.msg).toMatch(new RegExp(`^Invalid configuration: ${name} `));
    expect(typeof line.hostname).toBe('string');
  });

  test('CONFIG_CHECKS=warn: a misspelt variable and an unknown NODE_ENV start the gateway, each said in a warning', async () => {
    const gateway = await start({ CONFIG_CHECKS: 'warn', NODE_ENV: 'staging', SHUTDOWN_TIMOUT_MS: '5000' });
    expect((await query(gateway.url)).status).toBe(200);
    const warnings = gateway
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .filter((line) => line.level === 40)
      .map((line) => line.msg);
    expect(warnings).toEqual([
      expect.stringMatching(/^configuration: NODE_ENV must be one of development, production, test, got "staging"/),
      'configuration: SHUTDOWN_TIMOUT_MS is not a setting of the gateway and would be ignored; did you mean SHUTDOWN_TIMEOUT_MS?',
    ]);
  });
});

/** Resolves once the simulator is holding `count` of the gateway's calls: the requests are in flight. */
async function untilInFlightUpstream(count: number): Promise<void> {
  while (simulator.inFlight < count) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('graceful shutdown', () => {
  test.each(['SIGTERM', 'SIGINT'] as const)(
    '%s while slow requests are in flight: they complete, then the process exits 0',
    async (signal) => {
      const gateway = await start({ SHUTDOWN_TIMEOUT_MS: '10000' });
      simulator.faults.inject({ kind: 'delay', ms: 1500 }, { times: 3 });
      const inFlight = [query(gateway.url), query(gateway.url), query(gateway.url)];
      await untilInFlightUpstream(3);
      gateway.child.kill(signal);

      const responses = await Promise.all(inFlight);
      for (const response of responses) {
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ data: { orgInvites: { count: 7 } } });
      }
      expect(await gateway.exited).toEqual({ code: 0, signal: null });
      // Nothing listens any more.
      await expect(query(gateway.url)).rejects.toThrow();
      expect(gateway.output()).toContain('shutting down');
    },
  );

  test('requests still running at SHUTDOWN_TIMEOUT_MS are answered 503 SHUTTING_DOWN, not reset, and the process still exits 0', async () => {
    const gateway = await start({ SHUTDOWN_TIMEOUT_MS: '300', UPSTREAM_TIMEOUT_MS: '20000', OPERATION_TIMEOUT_MS: '20000' });
    simulator.faults.inject({ kind: 'delay', ms: 5000 });
    const slow = query(gateway.url).then(
      async (response) => ({ status: response.status, body: (await response.json()) as unknown }),
      () => 'connection closed',
    );
    await untilInFlightUpstream(1);
    const signalled = Date.now();
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(4000);
    expect(await slow).toEqual({
      status: 503,
      body: { errors: [{ message: expect.stringContaining('shutting down'), extensions: { code: 'SHUTTING_DOWN' } }] },
    });
  });

  test('an idle gateway exits 0 at once', async () => {
    const gateway = await start({});
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
  });
});

describe('an upstream base path without the invite routes (LOSANT_API_URL=.../v1)', () => {
  async function readyz(url: string): Promise<{ status: number; body: { checks: { upstream: { ok: boolean | null; detail: string } } } }> {
    const response = await fetch(`${url}/readyz`);
    return { status: response.status, body: (await response.json()) as { checks: { upstream: { ok: boolean | null; detail: string } } } };
  }

  async function untilPinged(url: string): Promise<Awaited<ReturnType<typeof readyz>>> {
    for (;;) {
      const answer = await readyz(url);
      if (answer.body.checks.upstream.ok !== null) return answer;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  test('is reported by /readyz, /metrics and one error line, while the replica stays ready', async () => {
    const gateway = await start({ LOSANT_API_URL: `${simulator.url}/v1` });
    const answer = await untilPinged(gateway.url);
    expect(answer.status).toBe(200);
    expect(answer.body.checks.upstream).toMatchObject({
      ok: false,
      detail: expect.stringMatching(
        /^HTTP 404 on \/instances\/\{instanceId\}\/orgs\/\{orgId\}\/invites\/\{inviteId\}: no invite routes under LOSANT_API_URL/,
      ),
    });
    expect(await (await fetch(`${gateway.url}/metrics`)).text()).toMatch(/^upstream_reachable 0$/m);
    // Probed again (a second later: pings closer together are shared), still one line.
    while (
      (await readyz(gateway.url)).body.checks.upstream.ok !== false ||
      simulator.callsTo('GET').filter((r) => r.path.startsWith('/v1/')).length < 2
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const errors = gateway
      .output()
      .split('\n')
      .filter((line) => line.includes('upstream ping failed'));
    expect(errors).toHaveLength(1);
    expect(JSON.parse(errors[0])).toMatchObject({ level: 50, upstream: { reachable: false } });
  });

  test('the right base path pings ok, without a token, and logs nothing about it', async () => {
    const gateway = await start({});
    const answer = await untilPinged(gateway.url);
    expect(answer.body.checks.upstream).toEqual({ ok: true, detail: 'HTTP 401', affectsReadiness: false });
    const pings = simulator
      .callsTo('GET')
      .filter((r) => r.path === `/instances/${'0'.repeat(24)}/orgs/${'0'.repeat(24)}/invites/${'0'.repeat(24)}`);
    expect(pings.length).toBeGreaterThan(0);
    expect(pings.every((r) => r.headers.authorization === undefined)).toBe(true);
    expect(gateway.output()).not.toContain('upstream ping');
  });
});

test('an unreachable REDIS_URL at start-up: the gateway starts and answers, says Redis is degraded in one warning and in /readyz', async () => {
  const closedPort = await freePort();
  const gateway = await start({ REDIS_URL: `redis://127.0.0.1:${closedPort}` });
  expect((await query(gateway.url)).status).toBe(200);
  let readiness: { status: number; body: { checks: { redis?: { ok: boolean; state: string } } } };
  for (;;) {
    const response = await fetch(`${gateway.url}/readyz`);
    readiness = { status: response.status, body: (await response.json()) as typeof readiness.body };
    if (readiness.body.checks.redis?.state === 'degraded') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(readiness.status).toBe(200);
  expect(readiness.body.checks.redis).toMatchObject({ ok: false, state: 'degraded' });
  const warnings = gateway
    .output()
    .split('\n')
    .filter((line) => line.includes('redis degraded'));
  expect(warnings).toHaveLength(1);
  expect(JSON.parse(warnings[0])).toMatchObject({ level: 40, redis: { state: 'degraded' } });
});
