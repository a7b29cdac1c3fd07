import { Fault, closeEarly, closeEarlyChunked, delay, hang, huge, ok, raw, reset, slowBody, status } from '../../../src/simulator/faults';
import { FaultUpstream, HTML_ERROR_PAGE, startFaultUpstream } from '../../support/faultUpstream';
import { DEMO_ORG, INVITE_MEMBER, LIST_INVITES } from '../../support/operations';
import { GraphQLResult, TestStack, graphql, startStack } from '../../support/stack';
import { HttpInvitesApi } from '../../../src/rest/HttpInvitesApi';
import { ResilientInvitesApi } from '../../../src/rest/resilience/ResilientInvitesApi';
import { GatewayError } from '../../../src/errors/gatewayErrors';

/*
 * Fault injection through the whole gateway: real GraphQL over HTTP in, a real misbehaving HTTP
 * upstream out. Each case checks the typed error, how many requests the upstream saw, and for
 * the mutation that the POST reached it at most once and what `mayHaveSucceeded` says.
 */

/** UPSTREAM_TIMEOUT_MS of the main stack: faults that stall must outlast it. */
const UPSTREAM_TIMEOUT_MS = 500;
/** The default UPSTREAM_MAX_ATTEMPTS. */
const MAX_ATTEMPTS = 3;
/** 1 MiB over the REST client's default 16 MiB read limit (HttpInvitesApi's DEFAULT_MAX_RESPONSE_BYTES). */
const OVER_READ_LIMIT = 17 * 1024 * 1024;

type ErrorView = { message: string; extensions?: Record<string, unknown> };

let fault: FaultUpstream;
let stack: TestStack;

beforeAll(async () => {
  fault = await startFaultUpstream();
  stack = await startStack({ upstreamUrl: fault.url, env: { UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS) } });
});

afterAll(async () => {
  await stack?.close();
  await fault?.close();
});

beforeEach(() => fault.reset());

function listInvites(url = stack.graphqlUrl): Promise<GraphQLResult> {
  return graphql(url, LIST_INVITES, { variables: { ...DEMO_ORG } });
}

const NEW_INVITE = { email: 'new.member@example.com', role: 'VIEW' } as const;

function inviteMember(url = stack.graphqlUrl): Promise<GraphQLResult> {
  return graphql(url, INVITE_MEMBER, { variables: { ...DEMO_ORG, invite: NEW_INVITE } });
}

/** The one error of a failed operation. */
function onlyError(result: GraphQLResult): ErrorView {
  expect(result.status).toBe(200);
  expect(result.body.errors).toHaveLength(1);
  return (result.body.errors ?? [])[0];
}

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await run();
  return { result, ms: Date.now() - started };
}

interface ReadCase {
  readonly name: string;
  readonly fault: Fault;
  readonly code: string;
  readonly attempts: number;
  readonly upstreamStatus?: number;
}

describe('orgInvites (GET) under a fault that repeats', () => {
  const cases: ReadCase[] = [
    {
      name: '500 with a JSON error body: not retried',
      fault: status(500, { type: 'Internal', message: 'boom' }),
      code: 'UPSTREAM_ERROR',
      attempts: 1,
      upstreamStatus: 500,
    },
    {
      name: '502: retried',
      fault: status(502, { type: 'BadGateway', message: 'bad gateway' }),
      code: 'UPSTREAM_ERROR',
      attempts: MAX_ATTEMPTS,
      upstreamStatus: 502,
    },
    {
      name: '503: retried',
      fault: status(503, { type: 'Unavailable', message: 'down' }),
      code: 'UPSTREAM_ERROR',
      attempts: MAX_ATTEMPTS,
      upstreamStatus: 503,
    },
    { name: '504: retried', fault: status(504), code: 'UPSTREAM_ERROR', attempts: MAX_ATTEMPTS, upstreamStatus: 504 },
    { name: 'connection reset: retried', fault: reset, code: 'UPSTREAM_UNAVAILABLE', attempts: MAX_ATTEMPTS },
    {
      name: '429 with Retry-After: 0: retried',
      fault: status(429, { type: 'TooManyRequests', message: 'slow down' }, { 'retry-after': '0' }),
      code: 'RATE_LIMITED',
      attempts: MAX_ATTEMPTS,
      upstreamStatus: 429,
    },
    {
      name: '429 without Retry-After: retried with backoff',
      fault: status(429, { type: 'TooManyRequests', message: 'slow down' }),
      code: 'RATE_LIMITED',
      attempts: MAX_ATTEMPTS,
      upstreamStatus: 429,
    },
    { name: 'hang: UPSTREAM_TIMEOUT, not retried', fault: hang, code: 'UPSTREAM_TIMEOUT', attempts: 1 },
    {
      name: 'slow body outlasting the timeout: UPSTREAM_TIMEOUT, not retried',
      fault: slowBody(10, 100),
      code: 'UPSTREAM_TIMEOUT',
      attempts: 1,
    },
    {
      name: 'HTML 500 page: not retried',
      fault: raw(500, 'text/html', HTML_ERROR_PAGE),
      code: 'UPSTREAM_ERROR',
      attempts: 1,
      upstreamStatus: 500,
    },
    {
      name: 'HTML 502 page from a proxy: retried',
      fault: raw(502, 'text/html', HTML_ERROR_PAGE),
      code: 'UPSTREAM_ERROR',
      attempts: MAX_ATTEMPTS,
      upstreamStatus: 502,
    },
    {
      name: 'malformed JSON with 200: not retried',
      fault: raw(200, 'application/json', '{"items":[{"id":'),
      code: 'UPSTREAM_ERROR',
      attempts: 1,
      upstreamStatus: 200,
    },
    {
      name: 'HTML with 200: not retried',
      fault: raw(200, 'text/html', HTML_ERROR_PAGE),
      code: 'UPSTREAM_ERROR',
      attempts: 1,
      upstreamStatus: 200,
    },
    {
      name: '200 JSON that is not a collection: not retried',
      fault: status(200, { hello: 'world' }),
      code: 'UPSTREAM_ERROR',
      attempts: 1,
      upstreamStatus: 200,
    },
    { name: 'a body over the 16 MiB read limit: not retried', fault: huge(OVER_READ_LIMIT), code: 'UPSTREAM_ERROR', attempts: 1 },
    {
      name: 'connection closed in a chunked body: retried',
      fault: closeEarlyChunked,
      code: 'UPSTREAM_UNAVAILABLE',
      attempts: MAX_ATTEMPTS,
    },
    {
      name: '400: not retried',
      fault: status(400, { type: 'Validation', message: 'bad' }),
      code: 'BAD_USER_INPUT',
      attempts: 1,
      upstreamStatus: 400,
    },
    {
      name: '401: not retried',
      fault: status(401, { type: 'Unauthorized', message: 'who' }),
      code: 'UNAUTHENTICATED',
      attempts: 1,
      upstreamStatus: 401,
    },
    {
      name: '404: not retried',
      fault: status(404, { type: 'NotFound', message: 'Organization was not found' }),
      code: 'NOT_FOUND',
      attempts: 1,
      upstreamStatus: 404,
    },
  ];

  test.each(cases)('$name → $code after $attempts attempt(s)', async ({ fault: injected, code, attempts, upstreamStatus }) => {
    fault.always(injected);

    const error = onlyError(await listInvites());

    expect(error.extensions?.code).toBe(code);
    expect(fault.count('GET')).toBe(attempts);
    expect(fault.count()).toBe(attempts);
    if (upstreamStatus !== undefined) expect(error.extensions?.upstreamStatus).toBe(upstreamStatus);
    // Only writes say whether they may have happened.
    expect(error.extensions).not.toHaveProperty('mayHaveSucceeded');
  });

  test('429 keeps the last Retry-After in extensions.retryAfter', async () => {
    fault.always(status(429, { type: 'TooManyRequests', message: 'slow down' }, { 'retry-after': '0' }));

    const error = onlyError(await listInvites());

    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 0, upstreamStatus: 429 });
  });

  test('hang fails within roughly UPSTREAM_TIMEOUT_MS', async () => {
    fault.always(hang);

    const { result, ms } = await timed(() => listInvites());

    expect(onlyError(result).extensions?.code).toBe('UPSTREAM_TIMEOUT');
    expect(ms).toBeGreaterThanOrEqual(UPSTREAM_TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(UPSTREAM_TIMEOUT_MS + 2500);
  });
});

describe('orgInvites (GET) recovers from a transient fault', () => {
  const recoveries: Array<{ name: string; script: Fault[]; attempts: number }> = [
    { name: '503 then success', script: [status(503)], attempts: 2 },
    { name: '502, then a reset, then success', script: [status(502), reset], attempts: 3 },
    { name: '504 then success', script: [status(504)], attempts: 2 },
    { name: 'a reset then success', script: [reset], attempts: 2 },
    { name: 'a connection closed in a chunked body, then success', script: [closeEarlyChunked], attempts: 2 },
    { name: '429 with Retry-After: 0, then success', script: [status(429, undefined, { 'retry-after': '0' })], attempts: 2 },
  ];

  test.each(recoveries)('$name → data after $attempts attempts', async ({ script, attempts }) => {
    fault.enqueue(...script);

    const result = await listInvites();

    expect(result.body.errors).toBeUndefined();
    expect(result.body.data).toMatchObject({
      orgInvites: { count: 2, items: [{ email: 'ada@example.com' }, { email: 'grace@example.com' }] },
    });
    expect(fault.count('GET')).toBe(attempts);
  });

  test('three transient faults in a row exhaust the attempts: the third answer is the error', async () => {
    fault.enqueue(status(503), status(503), status(502));

    const error = onlyError(await listInvites());

    expect(error.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', upstreamStatus: 502 });
    expect(fault.count('GET')).toBe(MAX_ATTEMPTS);
    // The fourth answer (the default success) was never asked for.
    expect(fault.pending).toBe(0);
  });

  test('every attempt is the same request (path, query, forwarded token)', async () => {
    fault.enqueue(status(503), reset);

    await listInvites();

    expect(fault.requests).toHaveLength(3);
    const [first, ...rest] = fault.requests;
    expect(first.path).toBe(`/instances/${DEMO_ORG.instanceId}/orgs/${DEMO_ORG.orgId}/invites`);
    for (const again of rest) {
      expect(again.path).toBe(first.path);
      expect(again.query).toStrictEqual(first.query);
      expect(again.headers.authorization).toBe(first.headers.authorization);
    }
  });
});

describe('Retry-After', () => {
  test('429 with Retry-After: 1, then success → data after 2 attempts, the second about 1 s later', async () => {
    fault.enqueue(status(429, { type: 'TooManyRequests', message: 'slow down' }, { 'retry-after': '1' }));

    const { result, ms } = await timed(() => listInvites());

    expect(result.body.errors).toBeUndefined();
    expect(result.body.data).toMatchObject({ orgInvites: { count: 2 } });
    expect(fault.count('GET')).toBe(2);
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(fault.requests[1].at - fault.requests[0].at).toBeGreaterThanOrEqual(950);
  });

  test('429 with a Retry-After longer than the remaining OPERATION_TIMEOUT_MS → RATE_LIMITED after 1 attempt, at once', async () => {
    // The default budget is 15 s; waiting 30 s cannot fit, so the gateway does not wait at all.
    fault.always(status(429, { type: 'TooManyRequests', message: 'slow down' }, { 'retry-after': '30' }));

    const { result, ms } = await timed(() => listInvites());

    expect(onlyError(result).extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 30, upstreamStatus: 429 });
    expect(fault.count('GET')).toBe(1);
    expect(ms).toBeLessThan(3000);
  });

  test('a write is not retried after 429, even with Retry-After: 0', async () => {
    fault.always(status(429, { type: 'TooManyRequests', message: 'slow down' }, { 'retry-after': '0' }));

    const error = onlyError(await inviteMember());

    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 0, mayHaveSucceeded: false });
    expect(fault.count('POST')).toBe(1);
  });
});

interface WriteCase {
  readonly name: string;
  readonly fault: Fault;
  readonly code: string;
  readonly mayHaveSucceeded: boolean;
}

describe('inviteMember (POST) under a fault: sent at most once', () => {
  const cases: WriteCase[] = [
    { name: '500', fault: status(500, { type: 'Internal', message: 'boom' }), code: 'UPSTREAM_ERROR', mayHaveSucceeded: true },
    { name: '502', fault: status(502), code: 'UPSTREAM_ERROR', mayHaveSucceeded: true },
    { name: '503', fault: status(503, { type: 'Unavailable', message: 'down' }), code: 'UPSTREAM_ERROR', mayHaveSucceeded: true },
    { name: '504', fault: status(504), code: 'UPSTREAM_ERROR', mayHaveSucceeded: true },
    { name: 'connection reset', fault: reset, code: 'UPSTREAM_UNAVAILABLE', mayHaveSucceeded: true },
    { name: 'hang', fault: hang, code: 'UPSTREAM_TIMEOUT', mayHaveSucceeded: true },
    { name: 'slow body outlasting the timeout', fault: slowBody(10, 100), code: 'UPSTREAM_TIMEOUT', mayHaveSucceeded: true },
    { name: 'HTML 500 page', fault: raw(500, 'text/html', HTML_ERROR_PAGE), code: 'UPSTREAM_ERROR', mayHaveSucceeded: true },
    {
      name: 'malformed JSON with 201',
      fault: raw(201, 'application/json', '{"items":[{"id":'),
      code: 'UPSTREAM_ERROR',
      mayHaveSucceeded: true,
    },
    { name: 'a body over the 16 MiB read limit', fault: huge(OVER_READ_LIMIT), code: 'UPSTREAM_ERROR', mayHaveSucceeded: true },
    { name: 'connection closed in a chunked body', fault: closeEarlyChunked, code: 'UPSTREAM_UNAVAILABLE', mayHaveSucceeded: true },
    {
      name: '400',
      fault: status(400, { type: 'Validation', message: 'email is invalid' }),
      code: 'BAD_USER_INPUT',
      mayHaveSucceeded: false,
    },
    { name: '403', fault: status(403, { type: 'Forbidden', message: 'no' }), code: 'FORBIDDEN', mayHaveSucceeded: false },
    {
      name: '404',
      fault: status(404, { type: 'NotFound', message: 'Organization was not found' }),
      code: 'NOT_FOUND',
      mayHaveSucceeded: false,
    },
  ];

  test.each(cases)('$name → $code, mayHaveSucceeded $mayHaveSucceeded, one POST', async ({ fault: injected, code, mayHaveSucceeded }) => {
    fault.always(injected);

    const result = await inviteMember();
    const error = onlyError(result);

    expect(error.extensions?.code).toBe(code);
    expect(error.extensions?.mayHaveSucceeded).toBe(mayHaveSucceeded);
    expect(fault.count('POST')).toBe(1);
    expect(fault.count()).toBe(1);
    expect(fault.requests[0].body).toStrictEqual({ email: NEW_INVITE.email, role: 'view' });
  });

  test('a connection closed before the promised Content-Length: one POST, mayHaveSucceeded true', async () => {
    fault.always(closeEarly);

    const error = onlyError(await inviteMember());

    expect(error.extensions?.mayHaveSucceeded).toBe(true);
    expect(fault.count('POST')).toBe(1);
  });

  test('without a fault the POST is sent once and the new invite comes back', async () => {
    const result = await inviteMember();

    expect(result.body.errors).toBeUndefined();
    expect(result.body.data).toMatchObject({ inviteMember: { invite: { email: NEW_INVITE.email, role: 'VIEW' }, invites: { count: 3 } } });
    expect(fault.count('POST')).toBe(1);
  });
});

describe('a connection closed before the promised Content-Length (closeEarly)', () => {
  // The upstream sends headers with `Content-Length: N` and fewer than N bytes, then closes the
  // connection (FIN). That is a dropped connection, as a reset is: it should be reported as
  // UPSTREAM_UNAVAILABLE at once, and a read retried.
  // Fails today (src bug): in src/rest/HttpInvitesApi.ts `await response.text()` never settles on
  // such a body (node-fetch 2 pipes the IncomingMessage into a PassThrough and only detects a
  // truncated *chunked* body), so the call ends only when the abort timer fires: UPSTREAM_TIMEOUT
  // after the whole UPSTREAM_TIMEOUT_MS, and a read is not retried. The chunked variant above passes.
  test('GET → UPSTREAM_UNAVAILABLE, retried like a reset (3 attempts), without waiting for UPSTREAM_TIMEOUT_MS', async () => {
    fault.always(closeEarly);

    const { result, ms } = await timed(() => listInvites());

    expect(onlyError(result).extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(fault.count('GET')).toBe(MAX_ATTEMPTS);
    expect(ms).toBeLessThan(UPSTREAM_TIMEOUT_MS);
  });

  test('POST → UPSTREAM_UNAVAILABLE without waiting for UPSTREAM_TIMEOUT_MS', async () => {
    fault.always(closeEarly);

    const { result, ms } = await timed(() => inviteMember());

    expect(onlyError(result).extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', mayHaveSucceeded: true });
    expect(ms).toBeLessThan(UPSTREAM_TIMEOUT_MS);
  });
});

describe('a body larger than the gateway reads', () => {
  // Its own gateway with a generous UPSTREAM_TIMEOUT_MS: reading the first 16 MiB on a loaded
  // machine can take longer than the main stack's 500 ms, and the read limit, not the timeout, is
  // what this checks. Once the limit is hit, the request is aborted, so the connection goes.
  let patient: TestStack;
  beforeAll(async () => {
    patient = await startStack({ upstreamUrl: fault.url, env: { UPSTREAM_TIMEOUT_MS: '20000' } });
  });
  afterAll(() => patient?.close());

  test('an endless 200 body: UPSTREAM_ERROR, and the gateway stops downloading it (drops the connection)', async () => {
    fault.enqueue(huge(Infinity));
    try {
      const error = onlyError(await listInvites(patient.graphqlUrl));
      expect(error.extensions?.code).toBe('UPSTREAM_ERROR');
      expect(fault.count('GET')).toBe(1);

      // Once the answer is refused, nothing more of it is worth reading: the connection should go.
      const deadline = Date.now() + 500;
      while (fault.hugeClosedByClient === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(fault.hugeClosedByClient).toBe(1);
    } finally {
      // Whatever the outcome, stop the stream before the next test.
      fault.destroyConnections();
    }
  });
});

describe('connection refused (nothing listens on the upstream port)', () => {
  let refusing: FaultUpstream;
  let refusingStack: TestStack;

  beforeAll(async () => {
    refusing = await startFaultUpstream();
    refusingStack = await startStack({ upstreamUrl: refusing.url });
  });

  afterAll(async () => {
    await refusingStack?.close();
    await refusing?.close();
  });

  beforeEach(async () => {
    refusing.reset();
    await refusing.refuseConnections();
  });

  test('orgInvites → UPSTREAM_UNAVAILABLE, nothing reached the upstream', async () => {
    const error = onlyError(await listInvites(refusingStack.graphqlUrl));

    expect(error.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.extensions).not.toHaveProperty('mayHaveSucceeded');
    expect(refusing.count()).toBe(0);
  });

  test('inviteMember → UPSTREAM_UNAVAILABLE with mayHaveSucceeded false, no POST reached the upstream', async () => {
    const error = onlyError(await inviteMember(refusingStack.graphqlUrl));

    expect(error.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', mayHaveSucceeded: false });
    expect(refusing.count()).toBe(0);
  });

  test('once the upstream listens again on the same port, calls go through', async () => {
    expect(onlyError(await listInvites(refusingStack.graphqlUrl)).extensions?.code).toBe('UPSTREAM_UNAVAILABLE');

    await refusing.acceptConnections();
    const result = await listInvites(refusingStack.graphqlUrl);

    expect(result.body.errors).toBeUndefined();
    expect(refusing.count('GET')).toBe(1);
  });
});

describe('the operation budget (OPERATION_TIMEOUT_MS) bounds calls and retries', () => {
  const BUDGET_MS = 400;
  let budgetFault: FaultUpstream;
  let budgetStack: TestStack;

  beforeAll(async () => {
    budgetFault = await startFaultUpstream();
    budgetStack = await startStack({
      upstreamUrl: budgetFault.url,
      env: { OPERATION_TIMEOUT_MS: String(BUDGET_MS), UPSTREAM_TIMEOUT_MS: '60000' },
    });
  });

  afterAll(async () => {
    await budgetStack?.close();
    await budgetFault?.close();
  });

  beforeEach(() => budgetFault.reset());
  // A call sent with a few milliseconds of budget left may reach the upstream after the test.
  afterEach(() => budgetFault.settle());

  test('a hanging upstream → UPSTREAM_TIMEOUT within about the budget, not UPSTREAM_TIMEOUT_MS', async () => {
    budgetFault.always(hang);

    const { result, ms } = await timed(() => listInvites(budgetStack.graphqlUrl));

    expect(onlyError(result).extensions?.code).toBe('UPSTREAM_TIMEOUT');
    expect(budgetFault.count('GET')).toBe(1);
    expect(ms).toBeGreaterThanOrEqual(BUDGET_MS - 100);
    expect(ms).toBeLessThan(3000);
  });

  test('a hanging upstream under the mutation → UPSTREAM_TIMEOUT within the budget, mayHaveSucceeded true, one POST', async () => {
    budgetFault.always(hang);

    const { result, ms } = await timed(() => inviteMember(budgetStack.graphqlUrl));

    expect(onlyError(result).extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT', mayHaveSucceeded: true });
    expect(budgetFault.count('POST')).toBe(1);
    expect(ms).toBeLessThan(3000);
  });

  test('a slow body → UPSTREAM_TIMEOUT within the budget', async () => {
    budgetFault.always(slowBody(20, 100));

    const { result, ms } = await timed(() => listInvites(budgetStack.graphqlUrl));

    expect(onlyError(result).extensions?.code).toBe('UPSTREAM_TIMEOUT');
    expect(budgetFault.count('GET')).toBe(1);
    expect(ms).toBeLessThan(3000);
  });

  test('slow 503s: retries stop when the budget is spent', async () => {
    // Each answer takes 250 ms of a 400 ms budget: a second attempt cannot finish in time.
    budgetFault.always(delay(250, status(503)));

    const { result, ms } = await timed(() => listInvites(budgetStack.graphqlUrl));

    expect(['UPSTREAM_TIMEOUT', 'UPSTREAM_ERROR']).toContain(onlyError(result).extensions?.code);
    expect(budgetFault.count('GET')).toBeLessThanOrEqual(2);
    expect(ms).toBeLessThan(3000);
  });

  test('429 with Retry-After: 1 does not fit a 400 ms budget → RATE_LIMITED after 1 attempt', async () => {
    budgetFault.always(status(429, undefined, { 'retry-after': '1' }));

    const { result, ms } = await timed(() => listInvites(budgetStack.graphqlUrl));

    expect(onlyError(result).extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 1 });
    expect(budgetFault.count('GET')).toBe(1);
    expect(ms).toBeLessThan(900);
  });
});

describe('a budget already spent before the call', () => {
  test('the write is not sent: UPSTREAM_TIMEOUT with mayHaveSucceeded false', async () => {
    const transport = new HttpInvitesApi({ baseUrl: fault.url, timeoutMs: 5000 });
    const api = new ResilientInvitesApi(transport, {
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
      breakerThreshold: 100,
      breakerCooldownMs: 1000,
      maxConcurrentCalls: 4,
      maxQueuedCalls: 4,
    });
    try {
      const error = await api
        .inviteMember(DEMO_ORG, { email: NEW_INVITE.email, role: 'view' }, { authorization: 'Bearer t' }, { deadline: Date.now() - 1 })
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT', mayHaveSucceeded: false });
      expect(fault.count()).toBe(0);
    } finally {
      transport.close();
    }
  });
});

describe('the default answers of the fault upstream', () => {
  test('GET answers a valid collection, POST a 201 collection with the new invite', async () => {
    fault.enqueue(ok, ok);

    const list = await listInvites();
    const invite = await inviteMember();

    expect(list.body.data).toMatchObject({ orgInvites: { count: 2 } });
    expect(invite.body.data).toMatchObject({ inviteMember: { invites: { count: 3 } } });
    expect(fault.count('GET')).toBe(1);
    expect(fault.count('POST')).toBe(1);
  });
});
