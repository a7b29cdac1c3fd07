import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { SimulatorServer } from '../../src/simulator/SimulatorServer';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS } from '../../src/simulator/demoData';
import { GatewayProcess, startGatewayProcess } from '../support/gatewayProcess';
import { OtlpReceiver, ReceivedSpan, SPAN_KIND, STATUS_CODE, startOtlpReceiver } from '../support/otlpReceiver';
import { DEMO_ORG, INVITE_MEMBER, LIST_INVITES } from '../support/operations';
import { errorCodes, graphql } from '../support/stack';

/**
 * The built gateway, run as its own process with tracing configured by OTEL_* variables alone
 * (the SDK is process-wide), exports its spans to an OTLP/HTTP receiver owned by the test, once
 * per encoding. Each trace is checked span by span: names, kinds, parents, attributes, and the
 * context the upstream received, against what the simulator recorded.
 */

const SECRET_EMAIL = 'very.private.person@example.com';
const INLINE_EMAIL = 'inline.literal@example.net';
const TRACE_LIST = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const UNSAMPLED_TRACE = '5ce0e9a56015fec5aadfa328ae398115';

const INVITES_TEMPLATE = '/instances/{instanceId}/orgs/{orgId}/invites';

/** The spans of one trace, by kind, once the server span (the last to end) has arrived. */
async function traceOf(
  receiver: OtlpReceiver,
  traceId: string,
  clientSpans: number,
): Promise<{ server: ReceivedSpan; operation: ReceivedSpan; clients: ReceivedSpan[]; all: ReceivedSpan[] }> {
  const of = (spans: readonly ReceivedSpan[]): ReceivedSpan[] => spans.filter((span) => span.traceId === traceId);
  await receiver.waitFor(
    (spans) =>
      of(spans).some((span) => span.kind === SPAN_KIND.SERVER) &&
      of(spans).filter((span) => span.kind === SPAN_KIND.CLIENT).length >= clientSpans,
    `the spans of trace ${traceId}`,
  );
  const all = of(receiver.spans);
  const [server, ...otherServers] = all.filter((span) => span.kind === SPAN_KIND.SERVER);
  const [operation, ...otherOperations] = all.filter((span) => span.kind === SPAN_KIND.INTERNAL);
  expect(otherServers).toEqual([]);
  expect(otherOperations).toEqual([]);
  const clients = all
    .filter((span) => span.kind === SPAN_KIND.CLIENT)
    .sort((a, b) => Number(a.attributes['invites_gateway.upstream.attempt']) - Number(b.attributes['invites_gateway.upstream.attempt']));
  expect(clients).toHaveLength(clientSpans);
  return { server, operation, clients, all };
}

/** The trace id the upstream saw on its latest request (the gateway's own trace when the caller sent none). */
function upstreamTraceparents(simulator: SimulatorServer): string[] {
  return simulator.requests.filter((request) => request.path !== '/').map((request) => String(request.headers.traceparent));
}

function logLines(gateway: GatewayProcess): Array<Record<string, unknown>> {
  return gateway
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe.each(['http/protobuf', 'http/json'] as const)('spans exported over OTLP %s', (protocol) => {
  let simulator: SimulatorServer;
  let receiver: OtlpReceiver;
  let gateway: GatewayProcess;
  let graphqlUrl: string;

  beforeAll(async () => {
    simulator = new SimulatorServer();
    await simulator.listen(0, '127.0.0.1');
    receiver = await startOtlpReceiver();
    gateway = await startGatewayProcess({
      NODE_ENV: 'test',
      LOG_LEVEL: 'debug',
      LOSANT_API_URL: simulator.url,
      UPSTREAM_RETRY_BASE_DELAY_MS: '1',
      UPSTREAM_RETRY_MAX_DELAY_MS: '5',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_SERVICE_NAME: 'invites-gateway-under-test',
      // Batches leave every 50 ms rather than every 5 s, so the test waits little.
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
    graphqlUrl = `${gateway.url}/graphql`;
  });

  afterAll(async () => {
    gateway?.child.kill('SIGTERM');
    await gateway?.exited;
    await receiver?.close();
    await simulator?.close();
  });

  beforeEach(() => {
    simulator.requests.length = 0;
  });

  test("a list: the server span continues the caller's trace, the operation span is its child, the upstream call the operation's, and the upstream gets that call's context", async () => {
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${DEMO_TOKENS.admin}`,
        traceparent: `00-${TRACE_LIST}-${CALLER_SPAN}-01`,
        tracestate: 'caller=t61rcWkgMzE',
      },
      body: JSON.stringify({ query: LIST_INVITES, variables: { ...DEMO_ORG, filterField: 'EMAIL', filter: '*@example.com' } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(TRACE_LIST);

    const { server, operation, clients, all } = await traceOf(receiver, TRACE_LIST, 1);
    expect(all).toHaveLength(3);
    expect(server).toMatchObject({
      name: 'POST /graphql',
      parentSpanId: CALLER_SPAN,
      status: { code: STATUS_CODE.UNSET },
      attributes: {
        'http.request.method': 'POST',
        'url.path': '/graphql',
        'url.scheme': 'http',
        'http.route': '/graphql',
        'http.response.status_code': 200,
        'network.protocol.version': '1.1',
      },
      resource: { 'service.name': 'invites-gateway-under-test', 'telemetry.sdk.language': 'nodejs' },
      scope: 'invites-gateway',
      contentType: protocol === 'http/json' ? 'application/json' : 'application/x-protobuf',
    });
    expect(operation).toMatchObject({
      name: 'query ListInvites',
      parentSpanId: server.spanId,
      status: { code: STATUS_CODE.UNSET },
      attributes: {
        'graphql.operation.name': 'ListInvites',
        'graphql.operation.type': 'query',
        'invites_gateway.graphql.outcome': 'ok',
        'invites_gateway.graphql.upstream_calls': 1,
      },
    });
    expect(String(operation.attributes['graphql.document'])).toContain(
      '{orgInvites(instanceId:$instanceId orgId:$orgId sortField:$sortField',
    );
    const [call] = clients;
    expect(call).toMatchObject({
      name: `GET ${INVITES_TEMPLATE}`,
      parentSpanId: operation.spanId,
      status: { code: STATUS_CODE.UNSET },
      attributes: {
        'http.request.method': 'GET',
        'server.address': '127.0.0.1',
        'server.port': Number(new URL(simulator.url).port),
        'url.template': INVITES_TEMPLATE,
        'http.response.status_code': 200,
        'invites_gateway.upstream.action': 'instanceOrgInvites.get',
        'invites_gateway.upstream.attempt': 1,
      },
    });
    expect(call.attributes).not.toHaveProperty('http.request.resend_count');

    // The upstream was called in the client span's context, and the caller's tracestate went along.
    const [upstream] = simulator.requests.filter((request) => request.path.endsWith('/invites'));
    expect(upstream.headers.traceparent).toBe(`00-${TRACE_LIST}-${call.spanId}-01`);
    expect(upstream.headers.tracestate).toBe('caller=t61rcWkgMzE');

    // Log lines join the trace: the request's lines carry the server span, the call's line its own span.
    // pino writes asynchronously: wait for the operation's line itself.
    while (!logLines(gateway).some((line) => line.msg === 'graphql operation' && line.trace_id === TRACE_LIST))
      await new Promise((resolve) => setTimeout(resolve, 10));
    const lines = logLines(gateway);
    expect(lines.find((line) => line.msg === 'graphql operation' && line.trace_id === TRACE_LIST)).toMatchObject({
      span_id: server.spanId,
      requestId: TRACE_LIST,
    });
    expect(lines.find((line) => line.msg === 'upstream call' && line.trace_id === TRACE_LIST)).toMatchObject({ span_id: call.spanId });

    if (protocol === 'http/protobuf') {
      // One real exported trace, kept for the record (artifacts/ is not committed).
      const dir = path.join(__dirname, '..', '..', 'artifacts');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'trace-list.json'), `${JSON.stringify(all, null, 2)}\n`);
    }
  });

  test('a read that fails twice with 503: one client span per try, siblings under the operation, each the parent of what the upstream received', async () => {
    simulator.faults.inject({ kind: 'status', status: 503 }, { times: 2, method: 'GET' });
    const result = await graphql(graphqlUrl, LIST_INVITES, { variables: DEMO_ORG });
    expect(errorCodes(result)).toEqual([]);

    const sent = upstreamTraceparents(simulator);
    expect(sent).toHaveLength(3);
    const traceId = sent[0].split('-')[1];
    expect(sent.every((traceparent) => traceparent.split('-')[1] === traceId)).toBe(true);

    const { server, operation, clients } = await traceOf(receiver, traceId, 3);
    // No traceparent came in: the gateway started the trace.
    expect(server.parentSpanId).toBeUndefined();
    expect(operation).toMatchObject({
      parentSpanId: server.spanId,
      attributes: { 'invites_gateway.graphql.outcome': 'ok', 'invites_gateway.graphql.upstream_calls': 1 },
    });
    expect(clients.map((span) => span.parentSpanId)).toEqual([operation.spanId, operation.spanId, operation.spanId]);
    expect(clients.map((span) => span.attributes['invites_gateway.upstream.attempt'])).toEqual([1, 2, 3]);
    expect(clients.map((span) => span.attributes['http.request.resend_count'])).toEqual([undefined, 1, 2]);
    expect(clients.map((span) => span.attributes['http.response.status_code'])).toEqual([503, 503, 200]);
    expect(clients.map((span) => span.attributes['error.type'])).toEqual(['503', '503', undefined]);
    expect(clients.map((span) => span.status.code)).toEqual([STATUS_CODE.ERROR, STATUS_CODE.ERROR, STATUS_CODE.UNSET]);
    // Each try went upstream in its own span's context.
    expect(sent).toEqual(clients.map((span) => `00-${traceId}-${span.spanId}-01`));
  });

  test('a mutation, and a failing one: the operation span says the type, outcome and error codes; the document keeps no literal value', async () => {
    const invited = await graphql(graphqlUrl, INVITE_MEMBER, { variables: { ...DEMO_ORG, invite: { email: SECRET_EMAIL, role: 'VIEW' } } });
    expect(errorCodes(invited)).toEqual([]);
    const [post] = simulator.callsTo('POST');
    const traceId = String(post.headers.traceparent).split('-')[1];
    const ok = await traceOf(receiver, traceId, 1);
    expect(ok.operation).toMatchObject({
      name: 'mutation InviteMember',
      attributes: {
        'graphql.operation.type': 'mutation',
        'graphql.operation.name': 'InviteMember',
        'invites_gateway.graphql.outcome': 'ok',
      },
    });
    expect(ok.clients[0]).toMatchObject({
      name: `POST ${INVITES_TEMPLATE}`,
      parentSpanId: ok.operation.spanId,
      attributes: {
        'http.request.method': 'POST',
        'http.response.status_code': 201,
        'invites_gateway.upstream.action': 'instanceOrgInvites.post',
      },
    });
    expect(post.headers.traceparent).toBe(`00-${traceId}-${ok.clients[0].spanId}-01`);

    simulator.requests.length = 0;
    // Written inline rather than as variables: the literals must not reach the span either.
    const inline = `mutation { inviteMember(instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}", invite: { email: "${INLINE_EMAIL}", role: VIEW }) { invite { id } } }`;
    const refused = await graphql(graphqlUrl, inline, { token: DEMO_TOKENS.readOnly });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    const failedTrace = String(simulator.callsTo('POST')[0].headers.traceparent).split('-')[1];
    const failed = await traceOf(receiver, failedTrace, 1);
    expect(failed.operation).toMatchObject({
      name: 'mutation',
      status: { code: STATUS_CODE.ERROR, message: 'FORBIDDEN' },
      attributes: {
        'graphql.operation.type': 'mutation',
        'invites_gateway.graphql.outcome': 'FORBIDDEN',
        'invites_gateway.graphql.error_codes': ['FORBIDDEN'],
        'error.type': 'FORBIDDEN',
      },
    });
    expect(failed.operation.attributes).not.toHaveProperty('graphql.operation.name');
    expect(failed.operation.attributes['graphql.document']).toBe('mutation{inviteMember(instanceId:"" orgId:"" invite:{}){invite{id}}}');
    expect(failed.clients[0]).toMatchObject({
      status: { code: STATUS_CODE.ERROR },
      attributes: { 'http.response.status_code': 403, 'error.type': '403' },
    });
    // GraphQL errors travel in a 200: the HTTP request itself did not fail.
    expect(failed.server).toMatchObject({ status: { code: STATUS_CODE.UNSET }, attributes: { 'http.response.status_code': 200 } });
  });

  test('a caller that did not sample its trace gets no span exported, and the upstream still joins its trace, unsampled', async () => {
    const result = await graphql(graphqlUrl, LIST_INVITES, {
      variables: DEMO_ORG,
      headers: { traceparent: `00-${UNSAMPLED_TRACE}-${CALLER_SPAN}-00` },
    });
    expect(errorCodes(result)).toEqual([]);
    const [sent] = upstreamTraceparents(simulator);
    expect(sent).toMatch(new RegExp(`^00-${UNSAMPLED_TRACE}-[0-9a-f]{16}-00$`));
    // A later, sampled request's spans arrive; none of the unsampled trace's came before them.
    await graphql(graphqlUrl, LIST_INVITES, { variables: DEMO_ORG, headers: { traceparent: `00-${'1'.repeat(32)}-${CALLER_SPAN}-01` } });
    await traceOf(receiver, '1'.repeat(32), 1);
    expect(receiver.spans.filter((span) => span.traceId === UNSAMPLED_TRACE)).toEqual([]);
  });

  test('no token, variable value or header value is in any span, and every export decoded', () => {
    expect(receiver.problems).toEqual([]);
    expect(receiver.spans.length).toBeGreaterThan(0);
    for (const secret of [
      ...Object.values(DEMO_TOKENS),
      'Bearer',
      SECRET_EMAIL,
      INLINE_EMAIL,
      '*@example.com',
      DEMO_INSTANCE_ID,
      DEMO_ORG_ID,
      'caller=t61rcWkgMzE',
      'node-fetch',
      'undici',
    ]) {
      const holding = receiver.spans.filter((span) => JSON.stringify(span).includes(secret)).map((span) => `${span.name} holds ${secret}`);
      expect(holding).toEqual([]);
    }
  });
});
