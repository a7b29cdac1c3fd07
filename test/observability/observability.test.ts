import type { RunningGateway } from '../../src/server/startGateway';
import type { SimulatorServer } from '../../src/simulator/SimulatorServer';
import { capturingLogger } from '../support/capturedLogs';
import { DEMO_TOKENS, errorCodes, graphql, startStack, startTestGateway, TestStack } from '../support/stack';
import { DEMO_ORG, INVITE_MEMBER, LIST_INVITES } from '../support/operations';

/** Logs, request ids, trace context, metrics and probes of one gateway, read over HTTP. */

let stack: TestStack;
let simulator: SimulatorServer;
let lines: Array<Record<string, unknown>>;
let gateway: RunningGateway;
let graphqlUrl: string;

beforeAll(async () => {
  const captured = capturingLogger();
  lines = captured.lines;
  stack = await startStack({
    env: { UPSTREAM_RETRY_BASE_DELAY_MS: '1', BREAKER_THRESHOLD: '2', BREAKER_MIN_CALLERS: '1', BREAKER_COOLDOWN_MS: '60000' },
    logger: captured.logger,
  });
  ({ simulator, gateway, graphqlUrl } = stack);
});
afterAll(() => stack.close());
beforeEach(() => {
  lines.length = 0;
  simulator.requests.length = 0;
});

describe('logs', () => {
  test('one structured line per operation: request id, operation name, outcome, upstream calls; one per upstream call', async () => {
    await graphql(graphqlUrl, LIST_INVITES, { variables: DEMO_ORG, headers: { 'x-request-id': 'req-123' } });
    const operation = lines.find((line) => line.msg === 'graphql operation');
    expect(operation).toMatchObject({
      level: 30,
      requestId: 'req-123',
      operation: 'ListInvites',
      type: 'query',
      outcome: 'ok',
      upstreamCalls: 1,
    });
    expect(typeof operation!.durationMs).toBe('number');
    const upstream = lines.find((line) => line.msg === 'upstream call');
    expect(upstream).toMatchObject({ requestId: 'req-123', upstream: { action: 'instanceOrgInvites.get', method: 'GET', status: 200 } });
  });

  test('errors are logged by code, and no header, token or variable ever is', async () => {
    await graphql(graphqlUrl, LIST_INVITES, { variables: { ...DEMO_ORG, orgId: 'ffffffffffffffffffffffff' }, token: DEMO_TOKENS.readOnly });
    await graphql(graphqlUrl, LIST_INVITES, { variables: DEMO_ORG, token: 'demo-secret-token-1234' });
    await graphql(graphqlUrl, INVITE_MEMBER, { variables: { ...DEMO_ORG, invite: { email: 'private.person@example.com', role: 'VIEW' } } });
    expect(lines.find((line) => line.msg === 'graphql operation' && line.outcome === 'NOT_FOUND')).toBeDefined();
    expect(
      lines.find((line) => line.msg === 'graphql operation' && line.operation === 'InviteMember' && line.outcome === 'ok'),
    ).toBeDefined();
    const text = JSON.stringify(lines);
    expect(text).not.toContain(DEMO_TOKENS.readOnly);
    expect(text).not.toContain(DEMO_TOKENS.admin);
    expect(text).not.toContain('demo-secret-token-1234');
    expect(text).not.toContain('private.person@example.com');
  });
});

describe('request identity', () => {
  test('x-request-id is honoured and sent upstream', async () => {
    const result = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKENS.admin}`, 'x-request-id': 'abc.def-1' },
      body: JSON.stringify({ query: LIST_INVITES, variables: DEMO_ORG }),
    });
    expect(result.headers.get('x-request-id')).toBe('abc.def-1');
    expect(simulator.requests[0].headers['x-request-id']).toBe('abc.def-1');
  });

  test("with tracing off, the caller's trace context reaches the upstream unchanged, and log lines carry its ids", async () => {
    // No span of the gateway's own exists to be a parent: the upstream's spans join the caller's
    // span directly (what the OpenTelemetry API does without an SDK), rather than a parent that
    // no backend would ever receive.
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const incoming = `00-${traceId}-00f067aa0ba902b7-01`;
    const result = await fetch(graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${DEMO_TOKENS.admin}`,
        traceparent: incoming,
        tracestate: 'vendor=opaque',
      },
      body: JSON.stringify({ query: LIST_INVITES, variables: DEMO_ORG }),
    });
    // Without an x-request-id, the trace id names the request.
    expect(result.headers.get('x-request-id')).toBe(traceId);
    expect(simulator.requests[0].headers.traceparent).toBe(incoming);
    expect(simulator.requests[0].headers.tracestate).toBe('vendor=opaque');
    expect(lines.find((line) => line.msg === 'graphql operation')).toMatchObject({
      requestId: traceId,
      trace_id: traceId,
      span_id: '00f067aa0ba902b7',
    });
    expect(lines.find((line) => line.msg === 'upstream call')).toMatchObject({ trace_id: traceId, span_id: '00f067aa0ba902b7' });
  });

  test('a malformed traceparent is ignored, not forwarded, and names nothing', async () => {
    for (const traceparent of [
      'garbage',
      `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
      '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01',
      `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01-extra`,
    ]) {
      simulator.requests.length = 0;
      lines.length = 0;
      const result = await fetch(graphqlUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${DEMO_TOKENS.admin}`,
          traceparent,
          tracestate: 'vendor=opaque',
        },
        body: JSON.stringify({ query: LIST_INVITES, variables: DEMO_ORG }),
      });
      expect(result.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
      expect(simulator.requests[0].headers.traceparent).toBeUndefined();
      expect(simulator.requests[0].headers.tracestate).toBeUndefined();
      expect(lines.find((line) => line.msg === 'graphql operation')).not.toHaveProperty('trace_id');
    }
  });
});

describe('/metrics, /healthz and /readyz', () => {
  async function metricsText(): Promise<string> {
    const response = await fetch(`${gateway.url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  }

  function sample(text: string, name: string, labels: Record<string, string>): number {
    const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
    return line ? Number(line.split(' ').at(-1)) : 0;
  }

  test('operations by name and outcome, with a latency histogram; upstream calls by action and status', async () => {
    const before = await metricsText();
    await graphql(graphqlUrl, LIST_INVITES, { variables: DEMO_ORG });
    await graphql(graphqlUrl, LIST_INVITES, { variables: DEMO_ORG, token: null });
    const after = await metricsText();
    const ok = { operation: 'ListInvites', type: 'query', outcome: 'ok' };
    expect(sample(after, 'graphql_operations_total', ok) - sample(before, 'graphql_operations_total', ok)).toBe(1);
    const unauthenticated = { ...ok, outcome: 'UNAUTHENTICATED' };
    expect(sample(after, 'graphql_operations_total', unauthenticated) - sample(before, 'graphql_operations_total', unauthenticated)).toBe(
      1,
    );
    expect(sample(after, 'graphql_operation_duration_seconds_count', { operation: 'ListInvites' })).toBeGreaterThanOrEqual(2);
    const get200 = { action: 'instanceOrgInvites.get', status: '200' };
    expect(sample(after, 'upstream_requests_total', get200) - sample(before, 'upstream_requests_total', get200)).toBe(1);
    expect(after).toContain('upstream_request_duration_seconds_bucket');
    expect(after).toContain('process_resident_memory_bytes');
  });

  test('retries are counted, and the breaker state is exported; /readyz reports the breaker without failing on it', async () => {
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { breaker: { ok: true, state: 'closed' } } });
    // The probe pings the upstream in the background; it must not take one of the faults below.
    while (!simulator.requests.some((request) => request.path.endsWith(`/invites/${'0'.repeat(24)}`)))
      await new Promise((resolve) => setTimeout(resolve, 5));

    const before = await metricsText();
    // Two failed tries open the breaker (BREAKER_THRESHOLD=2 here): the read that hit them
    // reports the upstream's 503, the next one fails fast without a call.
    simulator.faults.inject({ kind: 'status', status: 503 }, { times: 2 });
    expect(errorCodes(await graphql(graphqlUrl, LIST_INVITES, { variables: DEMO_ORG }))).toEqual(['UPSTREAM_ERROR']);
    expect(simulator.callsTo('GET').filter((r) => r.path.endsWith('/invites'))).toHaveLength(2);
    expect(errorCodes(await graphql(graphqlUrl, LIST_INVITES, { variables: DEMO_ORG }))).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(simulator.callsTo('GET').filter((r) => r.path.endsWith('/invites'))).toHaveLength(2);
    const after = await metricsText();
    const retries = { action: 'instanceOrgInvites.get', code: 'UPSTREAM_ERROR' };
    expect(sample(after, 'upstream_retries_total', retries) - sample(before, 'upstream_retries_total', retries)).toBeGreaterThanOrEqual(1);
    expect(after).toMatch(/^upstream_circuit_state 2$/m);

    // The upstream is failing for every replica alike: this one stays in the load balancer and
    // answers UPSTREAM_UNAVAILABLE itself (test/server/readiness.test.ts has the opt-in to fail).
    const stillReady = await fetch(`${gateway.url}/readyz`);
    expect(stillReady.status).toBe(200);
    expect(await stillReady.json()).toMatchObject({
      status: 'ready',
      checks: { breaker: { ok: false, state: 'open', affectsReadiness: false } },
    });
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
  });
});

test('METRICS=false serves no /metrics', async () => {
  const plain = await startTestGateway(simulator.url, { env: { METRICS: 'false' } });
  try {
    expect((await fetch(`${plain.gateway.url}/metrics`)).status).toBe(404);
  } finally {
    await plain.close();
  }
});
