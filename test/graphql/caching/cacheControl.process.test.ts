import { post, ROUTER_ENV, ROUTER_HEADERS, startProductionGateway, type ProductionGateway, type RawResponse } from '../../support/attack';
import { DEMO_ORG, INVITE_MEMBER, LIST_INVITES } from '../../support/operations';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS } from '../../support/stack';
import { ORG_MAX_AGE_SECONDS, READ_MAX_AGE_SECONDS } from '../../../src/graphql/caching/cacheHints';

/**
 * The `Cache-Control` header the built gateway sends, from the schema's `@cacheControl` hints:
 * what a browser or a router's response cache reads. Checked with both executors (graphql-jit runs
 * no per-field hook, so the hints must not depend on one) and for both audiences.
 */
const AS_ADMIN = { authorization: `Bearer ${DEMO_TOKENS.admin}` };
const INSTANCE_ORG = `query { instanceOrg(instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}") { orgId } }`;
const INSTANCE_ORG_INVITES = `query { instanceOrg(instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}") { orgId invites { count items { id applicationRoles { role } } } } }`;
const ENTITY = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on InstanceOrg { orgId } } }`;

const READ = `max-age=${READ_MAX_AGE_SECONDS}, private`;

describe.each([
  ['compiled (graphql-jit)', 'true'],
  ['interpreted (graphql-js)', 'false'],
])('Cache-Control with %s execution', (_mode, compiled) => {
  let gateway: ProductionGateway;
  const send = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = AS_ADMIN): Promise<RawResponse> =>
    post(gateway.graphqlUrl, { query, variables }, headers);

  beforeAll(async () => {
    gateway = await startProductionGateway({ ...ROUTER_ENV, COMPILED_EXECUTION: compiled });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  test('a list read is private, for the shortest maxAge of what it selects', async () => {
    const response = await send(LIST_INVITES, DEMO_ORG);
    expect(response.status).toBe(200);
    expect((response.json as { errors?: unknown }).errors).toBeUndefined();
    expect(response.headers['cache-control']).toBe(READ);
    // The same operation again (compiled and cached by then) gets the same policy.
    expect((await send(LIST_INVITES, DEMO_ORG)).headers['cache-control']).toBe(READ);
  });

  test('an organization alone may be kept longer; with its invites, as long as they may', async () => {
    expect((await send(INSTANCE_ORG)).headers['cache-control']).toBe(`max-age=${ORG_MAX_AGE_SECONDS}, private`);
    const withInvites = await send(INSTANCE_ORG_INVITES);
    expect((withInvites.json as { errors?: unknown }).errors).toBeUndefined();
    expect(withInvites.headers['cache-control']).toBe(READ);
  });

  test('a mutation is never stored', async () => {
    const response = await send(INVITE_MEMBER, { ...DEMO_ORG, invite: { email: `cache-${compiled}@example.com`, role: 'VIEW' } });
    expect((response.json as { data?: { inviteMember?: unknown } }).data?.inviteMember).toBeTruthy();
    expect(response.headers['cache-control']).toBe('no-store');
  });

  test('an answer with an error is never stored', async () => {
    const response = await send(LIST_INVITES, DEMO_ORG, { authorization: 'Bearer not-a-known-token' });
    expect((response.json as { errors?: unknown[] }).errors?.length).toBeGreaterThan(0);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  test('an operation that selects nothing hinted is never stored', async () => {
    expect((await send('{ __typename }')).headers['cache-control']).toBe('no-store');
  });

  test('the router gets the same header, and one for entities', async () => {
    const router = { ...AS_ADMIN, ...ROUTER_HEADERS };
    expect((await send(LIST_INVITES, DEMO_ORG, router)).headers['cache-control']).toBe(READ);
    const entities = await send(
      ENTITY,
      { representations: [{ __typename: 'InstanceOrg', instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID }] },
      router,
    );
    expect((entities.json as { data?: unknown }).data).toEqual({ _entities: [{ orgId: DEMO_ORG_ID }] });
    // The most restrictive of the entity types, whichever the representations name.
    expect(entities.headers['cache-control']).toBe(READ);
    expect((await send('{ _service { sdl } }', {}, router)).headers['cache-control']).toBe('no-store');
  });

  test('a router asking for an inline trace (run on graphql-js, fields timed) gets the same header', async () => {
    const response = await send(LIST_INVITES, DEMO_ORG, { ...AS_ADMIN, ...ROUTER_HEADERS, 'apollo-federation-include-trace': 'ftv1' });
    expect(typeof (response.json as { extensions?: { ftv1?: unknown } }).extensions?.ftv1).toBe('string');
    expect(response.headers['cache-control']).toBe(READ);
  });
});
