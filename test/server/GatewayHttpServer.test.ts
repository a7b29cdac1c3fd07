import { DEMO_TOKENS, graphql, startStack, TestStack } from '../support/stack';
import { DEMO_ORG } from '../support/operations';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const auth = { authorization: `Bearer ${DEMO_TOKENS.admin}` };

test('/healthz answers 200 without touching the upstream', async () => {
  stack.simulator.requests.length = 0;
  const response = await fetch(`${stack.gateway.url}/healthz`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
  expect(stack.simulator.requests).toHaveLength(0);
});

test('unknown paths are 404 and say where GraphQL is', async () => {
  const response = await fetch(`${stack.gateway.url}/nope`);
  expect(response.status).toBe(404);
  expect(await response.text()).toContain('/graphql');
});

test('queries over GET work (with a preflight header, as CSRF prevention requires)', async () => {
  const query = encodeURIComponent(`{ orgInvites(instanceId: "${DEMO_ORG.instanceId}", orgId: "${DEMO_ORG.orgId}") { count } }`);
  const response = await fetch(`${stack.gateway.url}/graphql?query=${query}`, { headers: { ...auth, 'apollo-require-preflight': 'true' } });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ data: { orgInvites: { count: 7 } } });
});

test('a GET without a preflight header is refused by CSRF prevention, before any upstream call', async () => {
  stack.simulator.requests.length = 0;
  const query = encodeURIComponent(`{ orgInvites(instanceId: "${DEMO_ORG.instanceId}", orgId: "${DEMO_ORG.orgId}") { count } }`);
  const response = await fetch(`${stack.gateway.url}/graphql?query=${query}`, { headers: auth });
  expect(response.status).toBe(400);
  expect(stack.simulator.requests).toHaveLength(0);
});

test('mutations over GET are refused', async () => {
  const query = encodeURIComponent(
    `mutation { inviteMember(instanceId: "${DEMO_ORG.instanceId}", orgId: "${DEMO_ORG.orgId}", invite: {email: "g@example.com", role: VIEW}) { invite { id } } }`,
  );
  const response = await fetch(`${stack.gateway.url}/graphql?query=${query}`, { headers: { ...auth, 'apollo-require-preflight': 'true' } });
  expect(response.status).toBe(405);
  expect(stack.simulator.callsTo('POST')).toHaveLength(0);
});

test('a body that is not JSON is a 400 BAD_REQUEST', async () => {
  const response = await fetch(`${stack.gateway.url}/graphql`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: '{"query": ',
  });
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
});

test('a body over the size limit is a 413, refused without reading it all', async () => {
  const response = await fetch(`${stack.gateway.url}/graphql`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ query: `{ __typename }`, padding: 'x'.repeat(1024 * 1024) }),
  });
  expect(response.status).toBe(413);
  expect(response.headers.get('connection')).toBe('close');
  expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'REQUEST_TOO_LARGE' } }] });
});

test('the incoming x-request-id is echoed, and one is made up otherwise', async () => {
  const body = JSON.stringify({ query: '{ __typename }' });
  const given = await fetch(`${stack.gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'abc-123' },
    body,
  });
  expect(given.headers.get('x-request-id')).toBe('abc-123');
  const made = await fetch(`${stack.gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
});

test('INTROSPECTION=false refuses introspection, naming the setting to change, while queries still run', async () => {
  const closed = await startStack({ env: { INTROSPECTION: 'false' } });
  try {
    const introspection = await graphql(closed.graphqlUrl, '{ __schema { queryType { name } } t: __type(name: "Query") { name } }');
    expect(introspection.status).toBe(400);
    expect(introspection.body).toEqual({
      errors: [3, 35].map((column) => ({
        message: 'Introspection is off on this gateway (set INTROSPECTION=true to allow it)',
        locations: [{ line: 1, column }],
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', validationErrorCode: 'INTROSPECTION_DISABLED' },
      })),
    });
    const query = `{ orgInvites(instanceId: "${DEMO_ORG.instanceId}", orgId: "${DEMO_ORG.orgId}") { count } }`;
    expect((await graphql(closed.graphqlUrl, query)).body.data).toEqual({ orgInvites: { count: 7 } });
  } finally {
    await closed.close();
  }
});
