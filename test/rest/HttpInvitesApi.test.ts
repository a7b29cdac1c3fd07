import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode } from '../../src/errors/errorCode';
import {
  BadUserInputError,
  ForbiddenError,
  GatewayError,
  NotFoundError,
  OperationTimeoutError,
  RateLimitedError,
  UnauthenticatedError,
  UpstreamError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '../../src/errors/gatewayErrors';
import { HttpInvitesApi } from '../../src/rest/HttpInvitesApi';
import type { CallerCredentials, OrgRef, UpstreamCallEvent } from '../../src/rest/invitesApi';
import { SimulatorServer } from '../../src/simulator/SimulatorServer';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS, errorCodes, graphql, startStack } from '../support/stack';

const ORG: OrgRef = { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID };
const ORG_PATH = `/instances/${DEMO_INSTANCE_ID}/orgs/${DEMO_ORG_ID}/invites`;
const FLAGS = { _actions: 'false', _links: 'true', _embedded: 'true' };
const ADMIN: CallerCredentials = { authorization: `Bearer ${DEMO_TOKENS.admin}` };

let sim: SimulatorServer;
let api: HttpInvitesApi;
let baseUrl: string;
const events: UpstreamCallEvent[] = [];

beforeAll(async () => {
  sim = new SimulatorServer();
  baseUrl = await sim.listen(0, '127.0.0.1');
  api = new HttpInvitesApi({ baseUrl, timeoutMs: 5000, onCall: (event) => events.push(event) });
});

beforeEach(() => {
  sim.requests.length = 0;
  sim.faults.clear();
  events.length = 0;
});

afterAll(async () => {
  api.close();
  await sim.close();
});

/** Awaits a call that must fail and answers its error, checked to be a GatewayError. */
async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the upstream call to fail');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

function onlyRequest() {
  expect(sim.requests).toHaveLength(1);
  return sim.requests[0];
}

function onlyEvent(): UpstreamCallEvent {
  expect(events).toHaveLength(1);
  return events[0];
}

describe('requests as the official clients send them', () => {
  test('list without parameters: GET, flags only, headers, no body headers', async () => {
    const collection = await api.listInvites(ORG, {}, ADMIN);

    const request = onlyRequest();
    expect(request.method).toBe('GET');
    expect(request.path).toBe(ORG_PATH);
    expect(request.query).toStrictEqual(FLAGS);
    expect(request.headers.accept).toBe('application/json');
    expect(request.headers['accept-version']).toBe('^1.30.0');
    expect(request.headers.authorization).toBe(`Bearer ${DEMO_TOKENS.admin}`);
    expect(request.headers).not.toHaveProperty('losantdomain');
    expect(request.headers).not.toHaveProperty('content-type');
    expect(request.body).toBeUndefined();

    expect(collection.count).toBe(7);
    expect(collection.items).toHaveLength(7);
    expect(collection.sortField).toBe('inviteDate');
  });

  test('list with every parameter and a domain', async () => {
    const collection = await api.listInvites(
      ORG,
      { sortField: 'email', sortDirection: 'asc', filterField: 'email', filter: '*@example.org' },
      { ...ADMIN, losantdomain: 'example.onlosant.com' },
    );

    const request = onlyRequest();
    expect(request.query).toStrictEqual({
      sortField: 'email',
      sortDirection: 'asc',
      filterField: 'email',
      filter: '*@example.org',
      ...FLAGS,
    });
    expect(request.headers.losantdomain).toBe('example.onlosant.com');
    expect(collection.items.map((invite) => invite.email)).toEqual(['dennis@example.org', 'ken@example.org', 'linus@example.org']);
  });

  test('forwards the Authorization header verbatim', async () => {
    const authorization = `bearer   ${DEMO_TOKENS.admin}`;
    await api.listInvites(ORG, {}, { authorization });
    expect(onlyRequest().headers.authorization).toBe(authorization);
  });

  test('percent-encodes the ids in the path', async () => {
    const error = await failure(api.listInvites({ instanceId: 'a/b c', orgId: DEMO_ORG_ID }, {}, ADMIN));
    expect(onlyRequest().path).toBe(`/instances/a%2Fb%20c/orgs/${DEMO_ORG_ID}/invites`);
    expect(error).toBeInstanceOf(BadUserInputError);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', upstreamStatus: 400, upstreamType: 'Validation' });
  });

  test('invite: POST with a JSON body, Content-Type and the flags only', async () => {
    const invite = {
      email: 'new.member@example.com',
      role: 'edit' as const,
      applicationRoles: [{ resourceId: '5f1e0a9b2c3d4e5f607182a1', role: 'view' as const }],
      disallowTransfer: true,
    };
    const collection = await api.inviteMember(ORG, invite, { ...ADMIN, losantdomain: 'example.onlosant.com' });

    const request = onlyRequest();
    expect(request.method).toBe('POST');
    expect(request.path).toBe(ORG_PATH);
    expect(request.query).toStrictEqual(FLAGS);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers.accept).toBe('application/json');
    expect(request.headers['accept-version']).toBe('^1.30.0');
    expect(request.headers.authorization).toBe(ADMIN.authorization);
    expect(request.headers.losantdomain).toBe('example.onlosant.com');
    expect(request.body).toStrictEqual(invite);

    expect(collection.items.find((item) => item.email === invite.email)).toMatchObject({ role: 'edit', disallowTransfer: true });
    expect(onlyEvent()).toMatchObject({ action: 'instanceOrgInvites.post', method: 'POST', path: ORG_PATH, status: 201 });
    expect(events[0].errorCode).toBeUndefined();
  });
});

describe('onCall', () => {
  test('reports a successful list', async () => {
    await api.listInvites(ORG, {}, ADMIN);
    const event = onlyEvent();
    expect(event).toMatchObject({ action: 'instanceOrgInvites.get', method: 'GET', path: ORG_PATH, status: 200 });
    expect(event.errorCode).toBeUndefined();
    expect(event.durationMs).toBeGreaterThanOrEqual(0);
  });

  test('reports a failed call with its status and error code', async () => {
    await failure(api.listInvites(ORG, {}, { authorization: 'Bearer nope' }));
    expect(onlyEvent()).toMatchObject({ action: 'instanceOrgInvites.get', method: 'GET', status: 401, errorCode: 'UNAUTHENTICATED' });
  });
});

describe('upstream answers mapped to typed errors', () => {
  test('400 -> BAD_USER_INPUT', async () => {
    const error = await failure(api.inviteMember(ORG, { email: 'not-an-email', role: 'view' }, ADMIN));
    expect(error).toBeInstanceOf(BadUserInputError);
    expect(error.extensions).toStrictEqual({
      code: ErrorCode.BAD_USER_INPUT,
      upstreamStatus: 400,
      upstreamType: 'Validation',
      upstreamMessage: 'email must be a valid email',
    });
    expect(error.message).toContain('email must be a valid email');
    expect(onlyEvent()).toMatchObject({ method: 'POST', status: 400, errorCode: 'BAD_USER_INPUT' });
  });

  test('401 -> UNAUTHENTICATED', async () => {
    const error = await failure(api.listInvites(ORG, {}, { authorization: 'Bearer unknown-token' }));
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(error.extensions).toStrictEqual({
      code: ErrorCode.UNAUTHENTICATED,
      upstreamStatus: 401,
      upstreamType: 'Unauthorized',
      upstreamMessage: 'A valid API access token is required',
    });
  });

  test('403 -> FORBIDDEN', async () => {
    const error = await failure(
      api.inviteMember(ORG, { email: 'ro@example.com', role: 'view' }, { authorization: `Bearer ${DEMO_TOKENS.readOnly}` }),
    );
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.extensions).toMatchObject({ code: ErrorCode.FORBIDDEN, upstreamStatus: 403, upstreamType: 'Forbidden' });
    expect(error.extensions.upstreamMessage).toContain('instanceOrgInvites.post');
  });

  test('404 -> NOT_FOUND', async () => {
    const error = await failure(api.listInvites({ instanceId: DEMO_INSTANCE_ID, orgId: 'ffffffffffffffffffffffff' }, {}, ADMIN));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.extensions).toStrictEqual({
      code: ErrorCode.NOT_FOUND,
      upstreamStatus: 404,
      upstreamType: 'NotFound',
      upstreamMessage: 'Organization was not found',
    });
  });

  test('429 with Retry-After in seconds -> RATE_LIMITED with retryAfter', async () => {
    sim.faults.inject({
      kind: 'status',
      status: 429,
      body: { type: 'RateLimited', message: 'Slow down' },
      headers: { 'Retry-After': '17' },
    });
    const error = await failure(api.listInvites(ORG, {}, ADMIN));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBe(17);
    expect(error.extensions).toStrictEqual({
      code: ErrorCode.RATE_LIMITED,
      upstreamStatus: 429,
      upstreamType: 'RateLimited',
      upstreamMessage: 'Slow down',
      retryAfter: 17,
    });
    expect(onlyEvent()).toMatchObject({ status: 429, errorCode: 'RATE_LIMITED' });
  });

  test('429 with Retry-After as an HTTP date -> seconds from now', async () => {
    const when = new Date(Date.now() + 30_000).toUTCString();
    sim.faults.inject({
      kind: 'status',
      status: 429,
      body: { type: 'RateLimited', message: 'Slow down' },
      headers: { 'Retry-After': when },
    });
    const error = await failure(api.listInvites(ORG, {}, ADMIN));
    expect(error).toBeInstanceOf(RateLimitedError);
    // HTTP dates have whole-second precision, so 29 or 30 depending on where in the second we are.
    expect(error.extensions.retryAfter).toBeGreaterThanOrEqual(29);
    expect(error.extensions.retryAfter).toBeLessThanOrEqual(30);
  });

  test('429 without Retry-After has no retryAfter', async () => {
    sim.faults.inject({ kind: 'status', status: 429 });
    const error = await failure(api.listInvites(ORG, {}, ADMIN));
    expect(error.extensions.code).toBe(ErrorCode.RATE_LIMITED);
    expect(error.extensions).not.toHaveProperty('retryAfter');
    expect(error.extensions).toMatchObject({ upstreamStatus: 429, upstreamType: 'Injected' });
  });

  test.each([500, 502, 503])('%i -> UPSTREAM_ERROR with the status', async (status) => {
    sim.faults.inject({ kind: 'status', status, body: { type: 'ServerError', message: 'Something broke' } });
    const error = await failure(api.listInvites(ORG, {}, ADMIN));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.extensions).toStrictEqual({
      code: ErrorCode.UPSTREAM_ERROR,
      upstreamStatus: status,
      upstreamType: 'ServerError',
      upstreamMessage: 'Something broke',
    });
    expect(error.message).toContain(String(status));
    expect(onlyEvent()).toMatchObject({ status, errorCode: 'UPSTREAM_ERROR' });
  });

  test('a 2xx body that is not JSON -> UPSTREAM_ERROR', async () => {
    sim.faults.inject({ kind: 'raw', status: 200, contentType: 'text/plain', body: 'all good, honest' });
    const error = await failure(api.listInvites(ORG, {}, ADMIN));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.extensions).toStrictEqual({ code: ErrorCode.UPSTREAM_ERROR, upstreamStatus: 200 });
    expect(error.message).not.toContain('all good');
    expect(onlyEvent()).toMatchObject({ status: 200, errorCode: 'UPSTREAM_ERROR' });
  });

  test('an HTML error page -> UPSTREAM_ERROR without upstream type or message', async () => {
    sim.faults.inject({ kind: 'raw', status: 502, contentType: 'text/html', body: '<html><body><h1>502 Bad Gateway</h1></body></html>' });
    const error = await failure(api.listInvites(ORG, {}, ADMIN));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.extensions).toStrictEqual({ code: ErrorCode.UPSTREAM_ERROR, upstreamStatus: 502 });
    expect(error.message).not.toContain('<html>');
  });

  test('an HTML 404 page still maps by status', async () => {
    sim.faults.inject({ kind: 'raw', status: 404, contentType: 'text/html', body: '<html>nope</html>' });
    const error = await failure(api.listInvites(ORG, {}, ADMIN));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.extensions).toStrictEqual({ code: ErrorCode.NOT_FOUND, upstreamStatus: 404 });
  });

  test('a 2xx JSON body that is not a collection -> UPSTREAM_ERROR', async () => {
    sim.faults.inject({ kind: 'status', status: 200, body: { type: 'orgInvite', id: 'x' } });
    const error = await failure(api.listInvites(ORG, {}, ADMIN));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.extensions.code).toBe(ErrorCode.UPSTREAM_ERROR);
  });

  test('onCall reports a 2xx JSON body that is not a collection as failed', async () => {
    sim.faults.inject({ kind: 'status', status: 201, body: { items: 'none' } }, { method: 'POST' });
    const error = await failure(api.inviteMember(ORG, { email: 'shape@example.com', role: 'view' }, ADMIN));
    expect(error.extensions.code).toBe(ErrorCode.UPSTREAM_ERROR);
    // The call ended in UPSTREAM_ERROR, so logs and metrics must not count it as a success.
    expect(onlyEvent()).toMatchObject({ status: 201, errorCode: 'UPSTREAM_ERROR' });
  });
});

describe('transport failures', () => {
  test('connection refused -> UPSTREAM_UNAVAILABLE', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const refusedEvents: UpstreamCallEvent[] = [];
    const refused = new HttpInvitesApi({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2000, onCall: (e) => refusedEvents.push(e) });
    try {
      const error = await failure(refused.listInvites(ORG, { filter: 'secret-filter' }, ADMIN));
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect(error.extensions).toStrictEqual({ code: ErrorCode.UPSTREAM_UNAVAILABLE });
      expect(error.message).toContain('ECONNREFUSED');
      expect(error.message).not.toContain('secret-filter');
      expect(error.message).not.toContain(String(port));
      expect(refusedEvents).toHaveLength(1);
      expect(refusedEvents[0]).toMatchObject({ action: 'instanceOrgInvites.get', method: 'GET', errorCode: 'UPSTREAM_UNAVAILABLE' });
      expect(refusedEvents[0].status).toBeUndefined();
    } finally {
      refused.close();
    }
  });

  test('a hanging upstream -> UPSTREAM_TIMEOUT after timeoutMs', async () => {
    const quickEvents: UpstreamCallEvent[] = [];
    const quick = new HttpInvitesApi({ baseUrl, timeoutMs: 200, onCall: (e) => quickEvents.push(e) });
    sim.faults.inject({ kind: 'hang' });
    const started = Date.now();
    try {
      const error = await failure(quick.listInvites(ORG, {}, ADMIN));
      expect(error).toBeInstanceOf(UpstreamTimeoutError);
      expect(error.extensions).toStrictEqual({ code: ErrorCode.UPSTREAM_TIMEOUT });
      expect(error.message).toContain('200 ms');
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(quickEvents).toHaveLength(1);
      expect(quickEvents[0]).toMatchObject({ method: 'GET', errorCode: 'UPSTREAM_TIMEOUT' });
      expect(quickEvents[0].status).toBeUndefined();
    } finally {
      quick.close();
    }
  });

  test('a hanging upstream cut short by the operation budget -> OperationTimeoutError, not an upstream timeout', async () => {
    const budgetEvents: UpstreamCallEvent[] = [];
    const patient = new HttpInvitesApi({ baseUrl, timeoutMs: 5000, onCall: (e) => budgetEvents.push(e) });
    sim.faults.inject({ kind: 'hang' });
    const started = Date.now();
    try {
      const error = await failure(patient.listInvites(ORG, {}, ADMIN, { deadline: Date.now() + 200 }));
      expect(error).toBeInstanceOf(OperationTimeoutError);
      expect(error).not.toBeInstanceOf(UpstreamTimeoutError);
      expect((error as OperationTimeoutError).requestSent).toBe(true);
      expect(error.extensions).toStrictEqual({ code: ErrorCode.UPSTREAM_TIMEOUT, gatewayLimit: 'OPERATION_TIMEOUT_MS' });
      expect(error.message).toContain('budget');
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(sim.requests).toHaveLength(1);
      expect(budgetEvents).toHaveLength(1);
      expect(budgetEvents[0]).toMatchObject({ method: 'GET', errorCode: 'UPSTREAM_TIMEOUT' });
    } finally {
      patient.close();
    }
  });

  test('a budget longer than the timeout leaves the upstream its full timeout -> UpstreamTimeoutError', async () => {
    const quick = new HttpInvitesApi({ baseUrl, timeoutMs: 200 });
    sim.faults.inject({ kind: 'hang' });
    try {
      const error = await failure(quick.listInvites(ORG, {}, ADMIN, { deadline: Date.now() + 10_000 }));
      expect(error).toBeInstanceOf(UpstreamTimeoutError);
      expect(error.extensions).toStrictEqual({ code: ErrorCode.UPSTREAM_TIMEOUT });
    } finally {
      quick.close();
    }
  });

  test('a budget already spent -> OperationTimeoutError, nothing sent', async () => {
    const error = await failure(api.inviteMember(ORG, { email: 'late@example.com', role: 'view' }, ADMIN, { deadline: Date.now() - 1 }));
    expect(error).toBeInstanceOf(OperationTimeoutError);
    expect((error as OperationTimeoutError).requestSent).toBe(false);
    expect(error.extensions).toStrictEqual({ code: ErrorCode.UPSTREAM_TIMEOUT, gatewayLimit: 'OPERATION_TIMEOUT_MS' });
    expect(sim.requests).toHaveLength(0);
  });

  test('a short delay within the timeout still succeeds', async () => {
    const quick = new HttpInvitesApi({ baseUrl, timeoutMs: 1000 });
    sim.faults.inject({ kind: 'delay', ms: 50 });
    try {
      const collection = await quick.listInvites(ORG, {}, ADMIN);
      expect(collection.items.length).toBeGreaterThanOrEqual(7);
      expect(sim.requests).toHaveLength(1);
    } finally {
      quick.close();
    }
  });

  test('a reset connection -> UPSTREAM_UNAVAILABLE', async () => {
    sim.faults.inject({ kind: 'reset' }, { method: 'POST' });
    const error = await failure(api.inviteMember(ORG, { email: 'reset@example.com', role: 'view' }, ADMIN));
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error.extensions.code).toBe(ErrorCode.UPSTREAM_UNAVAILABLE);
    expect(onlyEvent()).toMatchObject({ action: 'instanceOrgInvites.post', method: 'POST', errorCode: 'UPSTREAM_UNAVAILABLE' });
    expect(events[0].status).toBeUndefined();
  });
});

describe('redaction of the caller token', () => {
  test('a token inside an upstream error message does not reach the error', async () => {
    const token = 'tok_9f8e7d6c5b4a';
    sim.faults.inject({
      kind: 'status',
      status: 401,
      body: { type: 'Unauthorized', message: `token ${token} has expired; sent as Bearer ${token}` },
    });
    const error = await failure(api.listInvites(ORG, {}, { authorization: `Bearer ${token}` }));
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(JSON.stringify(error.toJSON())).not.toContain(token);
    expect(error.message).not.toContain(token);
    // The whole header value is a secret too, so it goes as one.
    expect(error.extensions.upstreamMessage).toBe('token [REDACTED] has expired; sent as [REDACTED]');
  });

  test('the upstream type is scrubbed too, and a token holding a quote is removed whole', async () => {
    const token = 'tok"9f8e,7d6c 5b4a';
    sim.faults.inject({
      kind: 'status',
      status: 403,
      body: { type: `Forbidden:${token}`, message: `Authorization: Bearer ${token}` },
    });
    const error = await failure(api.listInvites(ORG, {}, { authorization: `Bearer ${token}` }));
    expect(error.extensions).toMatchObject({ upstreamType: 'Forbidden:[REDACTED]', upstreamMessage: 'Authorization: [REDACTED]' });
    expect(JSON.stringify(error.toJSON())).not.toMatch(/7d6c|5b4a/);
  });

  test('through the gateway, the GraphQL error carries no token', async () => {
    const stack = await startStack();
    try {
      stack.simulator.faults.inject({
        kind: 'status',
        status: 400,
        body: { type: 'Validation', message: `bad request for ${DEMO_TOKENS.admin}` },
      });
      const result = await graphql(
        stack.graphqlUrl,
        `{ orgInvites(instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}") { count } }`,
      );
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(JSON.stringify(result.body)).not.toContain(DEMO_TOKENS.admin);
      expect(result.body.errors?.[0].extensions?.upstreamMessage).toBe('bad request for [REDACTED]');
    } finally {
      await stack.close();
    }
  });
});

describe('a list longer than maxListItems', () => {
  test('is refused with RESPONSE_TOO_LARGE before its items are checked, the call reported once', async () => {
    const short = new HttpInvitesApi({ baseUrl, timeoutMs: 5000, maxListItems: 2, onCall: (event) => events.push(event) });
    try {
      // Three items none of which is on the contract: the contract check would say UPSTREAM_ERROR.
      sim.faults.inject({ kind: 'status', status: 200, body: { items: [{ id: 1 }, { id: 2 }, { id: 3 }], count: 3 } });
      const error = await failure(short.listInvites(ORG, {}, ADMIN));
      expect(error.extensions).toMatchObject({ code: ErrorCode.RESPONSE_TOO_LARGE, limit: 'items', max: 2, actual: 3 });
      expect(events.map((event) => [event.status, event.errorCode])).toEqual([[200, ErrorCode.RESPONSE_TOO_LARGE]]);
      // At the limit (exactly maxListItems invites, on the contract), a list is read as before.
      const { items } = await api.listInvites(ORG, {}, ADMIN);
      const atLimit = { items: items.slice(0, 2), count: 2, instanceId: ORG.instanceId, orgId: ORG.orgId };
      sim.faults.inject({ kind: 'status', status: 200, body: atLimit });
      await expect(short.listInvites(ORG, {}, ADMIN)).resolves.toMatchObject({ items: atLimit.items });
    } finally {
      short.close();
    }
  });
});
