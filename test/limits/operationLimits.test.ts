import { parse, OperationDefinitionNode } from 'graphql';
import { buildGatewaySchema } from '../../src/graphql/buildGatewaySchema';
import { measureOperation } from '../../src/limits/measureOperation';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS, errorCodes, graphql, startStack, TestStack } from '../support/stack';

const ORG = `instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}"`;

async function measure(source: string, variables: Record<string, unknown> = {}) {
  const document = parse(source);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  return measureOperation(await buildGatewaySchema(), document, operation, variables);
}

describe('measureOperation', () => {
  test('depth counts field nesting, fragments expanded, introspection left out', async () => {
    expect(await measure(`{ orgInvites(${ORG}) { count } }`)).toMatchObject({ depth: 2, aliases: 0, upstreamCalls: 1 });
    expect(await measure(`{ orgInvites(${ORG}) { ...F } } fragment F on OrgInviteCollection { items { applicationRoles { role } } }`)).toMatchObject({ depth: 4 });
    expect(await measure(`{ __schema { types { fields { type { ofType { ofType { name } } } } } } }`)).toMatchObject({ depth: 0, upstreamCalls: 0 });
  });

  test('every upstream-calling field counts once per occurrence, before deduplication', async () => {
    const twice = `{ a: orgInvites(${ORG}) { count } b: orgInvites(${ORG}) { count } instanceOrg(${ORG}) { invites { count } } }`;
    expect(await measure(twice)).toMatchObject({ aliases: 2, upstreamCalls: 3 });
    const mutation = `mutation { inviteMember(${ORG}, invite: { email: "a@example.com", role: VIEW }) { query { orgInvites(${ORG}) { count } } } }`;
    expect(await measure(mutation)).toMatchObject({ upstreamCalls: 2 });
  });

  test('_entities multiplies what is under it by the representations, from the variables', async () => {
    const source = `query($r: [_Any!]!) { _entities(representations: $r) { ... on InstanceOrg { invites { count } } ... on OrgInvite { email } } }`;
    const r = Array.from({ length: 7 }, () => ({ __typename: 'InstanceOrg', instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID }));
    // 7 invites lists, and 7 single-invite reads for the OrgInvite fragment.
    expect(await measure(source, { r })).toMatchObject({ upstreamCalls: 14 });
  });
});

describe('limits over HTTP, before any upstream call', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ env: { MAX_QUERY_DEPTH: '4', MAX_ALIASES: '3', MAX_UPSTREAM_CALLS_PER_OPERATION: '3', MAX_BATCH_SIZE: '2', MAX_BODY_BYTES: '4096' } });
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    stack.simulator.requests.length = 0;
  });

  test.each([
    ['depth', `{ orgInvites(${ORG}) { items { applicationRoles { role } dashboardRoles { resourceId } } } instanceOrg(${ORG}) { invites { items { applicationRoles { role } } } } }`, 4, 5],
    ['aliases', `{ a: orgInvites(${ORG}) { count } b: orgInvites(${ORG}) { count } c: orgInvites(${ORG}) { count } d: instanceOrg(${ORG}) { orgId } }`, 3, 4],
    ['upstreamCalls', `{ orgInvites(${ORG}) { count } x: orgInvites(${ORG}, sortDirection: ASC) { count } instanceOrg(${ORG}) { invites { count } i: invites(sortField: EMAIL) { count } } }`, 3, 4],
  ])('%s over the limit: OPERATION_LIMIT_EXCEEDED with max and actual, HTTP 400, nothing sent', async (limit, query, max, actual) => {
    const result = await graphql(stack.graphqlUrl, query, { accept: 'application/graphql-response+json' });
    expect(result.status).toBe(400);
    expect(errorCodes(result)).toEqual(['OPERATION_LIMIT_EXCEEDED']);
    expect(result.body.errors![0].extensions).toEqual({ code: 'OPERATION_LIMIT_EXCEEDED', limit, max, actual });
    expect(stack.simulator.requests).toHaveLength(0);
  });

  test('under application/json the same refusal is HTTP 200, errors in the body', async () => {
    const result = await graphql(stack.graphqlUrl, `{ a: orgInvites(${ORG}) { count } b: orgInvites(${ORG}) { count } c: orgInvites(${ORG}) { count } d: orgInvites(${ORG}) { count } }`, {
      accept: 'application/json',
    });
    expect(result.status).toBe(200);
    expect(errorCodes(result)).toEqual(['OPERATION_LIMIT_EXCEEDED']);
  });

  test('an operation at every limit runs', async () => {
    const result = await graphql(stack.graphqlUrl, `{ a: orgInvites(${ORG}) { items { applicationRoles { role } } } b: orgInvites(${ORG}, sortDirection: ASC) { count } }`);
    expect(result.body.errors).toBeUndefined();
  });

  async function post(body: unknown): Promise<Response> {
    return fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKENS.admin}` },
      body: JSON.stringify(body),
    });
  }

  test('batches up to MAX_BATCH_SIZE run; larger ones are REQUEST_TOO_LARGE (413)', async () => {
    const operation = { query: `{ orgInvites(${ORG}) { count } }` };
    const ok = await post([operation, operation]);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual([{ data: { orgInvites: { count: 7 } } }, { data: { orgInvites: { count: 7 } } }]);
    stack.simulator.requests.length = 0;
    const tooMany = await post([operation, operation, operation]);
    expect(tooMany.status).toBe(413);
    expect(await tooMany.json()).toMatchObject({ errors: [{ extensions: { code: 'REQUEST_TOO_LARGE' } }] });
    expect(stack.simulator.requests).toHaveLength(0);
  });

  test('a body over MAX_BODY_BYTES is REQUEST_TOO_LARGE (413)', async () => {
    const response = await post({ query: `{ orgInvites(${ORG}) { count } }`, padding: 'x'.repeat(5000) });
    expect(response.status).toBe(413);
    expect(stack.simulator.requests).toHaveLength(0);
  });
});

test('with batching off (the default) a batch is refused before any upstream call', async () => {
  const stack = await startStack();
  try {
    const response = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKENS.admin}` },
      body: JSON.stringify([{ query: `{ orgInvites(${ORG}) { count } }` }]),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    expect(stack.simulator.requests).toHaveLength(0);
  } finally {
    await stack.close();
  }
});
