import net from 'node:net';
import { readinessCheck, ReadinessReport, ReadinessSources, UpstreamPing } from '../../src/server/readiness';
import { DEMO_ORG, LIST_INVITES } from '../support/operations';
import { errorCodes, graphql, startStack, startTestGateway, TestGateway } from '../support/stack';

/**
 * `/readyz` says whether THIS replica should get traffic (started, not draining, room in its
 * upstream call queue); the upstream's health is reported, and decides only when asked to.
 */

const reachable: UpstreamPing = { reachable: true, detail: 'HTTP 200' };
const unreachable: UpstreamPing = { reachable: false, detail: 'ECONNREFUSED' };

function sources(overrides: Partial<ReadinessSources> = {}): ReadinessSources {
  return {
    ping: async () => reachable,
    breakerState: () => 'closed',
    started: () => true,
    draining: () => false,
    load: () => ({ running: 0, queued: 0, saturated: false }),
    ...overrides,
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('readinessCheck', () => {
  test('a replica whose upstream is down, or whose circuit is open, stays ready and says why in the report', async () => {
    const check = readinessCheck(sources({ ping: async () => unreachable, breakerState: () => 'open' }), { includeUpstream: false });
    await check();
    await settle();
    const report = await check();
    expect(report.ready).toBe(true);
    expect(report.checks.upstream).toEqual({ ok: false, detail: 'ECONNREFUSED', affectsReadiness: false });
    expect(report.checks.breaker).toEqual({ ok: false, state: 'open', affectsReadiness: false });
  });

  test.each<[string, Partial<ReadinessSources>, 'started' | 'draining' | 'capacity']>([
    ['has not started', { started: () => false }, 'started'],
    ['is draining', { draining: () => true }, 'draining'],
    ['has a full upstream call queue', { load: () => ({ running: 64, queued: 1000, saturated: true }) }, 'capacity'],
  ])('a replica that %s is not ready', async (_, override, failing) => {
    const report = await readinessCheck(sources(override), { includeUpstream: false })();
    expect(report.ready).toBe(false);
    expect(report.checks[failing].ok).toBe(false);
  });

  test('includeUpstream: the upstream and the breaker decide too (the old behaviour)', async () => {
    expect((await readinessCheck(sources({ ping: async () => unreachable }), { includeUpstream: true })()).ready).toBe(false);
    expect((await readinessCheck(sources({ breakerState: () => 'half-open' }), { includeUpstream: true })()).ready).toBe(false);
    const healthy = await readinessCheck(sources(), { includeUpstream: true })();
    expect(healthy).toMatchObject({ ready: true, checks: { upstream: { ok: true, affectsReadiness: true } } });
  });

  test('a hanging ping never holds the probe, and probes a second apart share one ping', async () => {
    let pings = 0;
    const check = readinessCheck(sources({ ping: () => (pings++, new Promise<UpstreamPing>(() => undefined)) }), {
      includeUpstream: false,
    });
    const report = await check();
    expect(report).toMatchObject({ ready: true, checks: { upstream: { ok: null, detail: 'no answer yet' } } });
    await check();
    await check();
    expect(pings).toBe(1);
  });

  test('each ping is reported once (metrics)', async () => {
    const seen: UpstreamPing[] = [];
    const check = readinessCheck(sources({ ping: async () => unreachable, onPing: (ping) => seen.push(ping) }), { includeUpstream: false });
    await check();
    await check();
    await settle();
    expect(seen).toEqual([unreachable]);
  });

  test('a degraded Redis is in the report and the replica stays ready, even when the upstream decides', async () => {
    const redis = () => ({ state: 'degraded' as const, consecutiveFailures: 3, lastError: 'no answer within 250 ms' });
    for (const includeUpstream of [false, true]) {
      const report = await readinessCheck(sources({ redis }), { includeUpstream })();
      expect(report.ready).toBe(true);
      expect(report.checks.redis).toEqual({
        ok: false,
        state: 'degraded',
        consecutiveFailures: 3,
        lastError: 'no answer within 250 ms',
        affectsReadiness: false,
      });
    }
    // Without REDIS_URL there is no such check.
    expect((await readinessCheck(sources(), { includeUpstream: false })()).checks.redis).toBeUndefined();
  });
});

describe('/readyz of a running gateway', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  async function readyz(url: string): Promise<{ status: number; body: { status: string; checks: ReadinessReport['checks'] } }> {
    const response = await fetch(`${url}/readyz`);
    return { status: response.status, body: (await response.json()) as { status: string; checks: ReadinessReport['checks'] } };
  }

  async function untilPinged(url: string): Promise<{ status: number; body: { status: string; checks: ReadinessReport['checks'] } }> {
    for (;;) {
      const answer = await readyz(url);
      if (answer.body.checks.upstream.ok !== null) return answer;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  test('upstream unreachable: the replica stays ready and answers clients with the typed UPSTREAM_UNAVAILABLE; the metric says it', async () => {
    gateway = await startTestGateway('http://127.0.0.1:9', { env: { READINESS_TIMEOUT_MS: '500', UPSTREAM_MAX_ATTEMPTS: '1' } });
    const metricsBefore = await (await fetch(`${gateway.gateway.url}/metrics`)).text();
    expect(metricsBefore).not.toContain('upstream_reachable');

    const { status, body } = await untilPinged(gateway.gateway.url);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ready', checks: { upstream: { ok: false, affectsReadiness: false } } });
    expect(errorCodes(await graphql(gateway.graphqlUrl, LIST_INVITES, { variables: DEMO_ORG }))).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(await (await fetch(`${gateway.gateway.url}/metrics`)).text()).toMatch(/^upstream_reachable 0$/m);
  });

  test('READINESS_INCLUDES_UPSTREAM=true: the same replica answers 503', async () => {
    gateway = await startTestGateway('http://127.0.0.1:9', { env: { READINESS_TIMEOUT_MS: '500', READINESS_INCLUDES_UPSTREAM: 'true' } });
    const { status, body } = await readyz(gateway.gateway.url);
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'not ready', checks: { upstream: { ok: false, affectsReadiness: true } } });
  });

  test('an upstream that accepts and never answers does not slow the probe down', async () => {
    const accepted: net.Socket[] = [];
    const silent = net.createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as net.AddressInfo;
      gateway = await startTestGateway(`http://127.0.0.1:${port}`, { env: { READINESS_TIMEOUT_MS: '5000' } });
      const started = performance.now();
      expect((await readyz(gateway.gateway.url)).status).toBe(200);
      expect((await readyz(gateway.gateway.url)).status).toBe(200);
      expect(performance.now() - started).toBeLessThan(2_000);
    } finally {
      await gateway?.close();
      gateway = undefined;
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  test('a full upstream call queue takes the replica out until it has room again', async () => {
    const stack = await startStack({ env: { UPSTREAM_MAX_CONCURRENCY: '1', UPSTREAM_MAX_QUEUE: '0' } });
    try {
      const url = stack.gateway.url;
      // The readiness ping answered first, so the delay goes to the list.
      expect((await untilPinged(url)).status).toBe(200);
      stack.simulator.faults.inject({ kind: 'delay', ms: 1500 }, { method: 'GET' });
      const slow = graphql(stack.graphqlUrl, LIST_INVITES, { variables: DEMO_ORG });
      while (!stack.simulator.requests.some((request) => request.path.endsWith('/invites')))
        await new Promise((resolve) => setTimeout(resolve, 5));

      const saturated = await readyz(url);
      expect(saturated.status).toBe(503);
      expect(saturated.body.checks.capacity).toEqual({ ok: false, running: 1, queued: 0 });
      expect(errorCodes(await slow)).toEqual([]);
      expect((await readyz(url)).status).toBe(200);
    } finally {
      await stack.close();
    }
  });
});
