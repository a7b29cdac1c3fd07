import { randomBytes } from 'node:crypto';
import { ACTION_SCOPES } from '../../src/rest/actionScopes';
import { UpstreamAction } from '../../src/rest/upstreamActions';
import { hiveGatewayCost, subgraphSchemaOf } from '../support/declaredCost';
import { HiveStack, startHiveStack } from '../support/hiveGateway';
import { SCOPES_JWT_HEADER } from '../support/hiveGateway.config';
import { DEMO_ORG, INVITE_MEMBER, LIST_INVITES } from '../support/operations';
import { signScopesJwt } from '../support/scopesJwt';
import { errorCodes, graphql, GraphQLResult } from '../support/stack';

/**
 * Hive Gateway enforcing the `@requiresScopes` the subgraph declares: it reads the caller's scopes
 * from a JWT it verifies (its own header, `SCOPES_JWT_HEADER`), and refuses an operation asking
 * for a field none of whose scopes the caller holds, before any request reaches a subgraph, so
 * the REST API is never called for it. Every request carries the demo admin's Losant token, which
 * the simulator would accept for every action: a refusal here can only be the router's.
 */

/** Hive's generic auth answers a field the caller's scopes do not allow with this code. */
const ROUTER_REFUSAL = 'UNAUTHORIZED_FIELD_OR_TYPE';

/**
 * One scope each action allows and the other does not (its own action scope), taken from the
 * table the SDL's `@requiresScopes` is derived from.
 */
const scopeOnlyFor = (action: UpstreamAction, other: UpstreamAction): string => {
  const scope = ACTION_SCOPES[action].find((candidate) => !ACTION_SCOPES[other].includes(candidate) && candidate === action);
  if (scope === undefined) throw new Error(`ACTION_SCOPES gives ${action} no scope of its own`);
  return scope;
};
const READ_SCOPE = scopeOnlyFor(UpstreamAction.listInvites, UpstreamAction.inviteMember);
const WRITE_SCOPE = scopeOnlyFor(UpstreamAction.inviteMember, UpstreamAction.listInvites);

const INSTANCE_ORG_ID = `query InstanceOrgId($instanceId: ID!, $orgId: ID!) { instanceOrg(instanceId: $instanceId, orgId: $orgId) { orgId } }`;

const listVariables = { ...DEMO_ORG, sortField: 'EMAIL', sortDirection: 'ASC' };
const inviteVariables = (email: string) => ({ ...DEMO_ORG, invite: { email, role: 'VIEW' } });

let hive: HiveStack;
let key: string;

beforeAll(async () => {
  key = randomBytes(32).toString('base64url');
  hive = await startHiveStack({
    scopesJwtKey: key,
    // Demand control stays on, with a budget both operations fit in: only the scopes refuse here.
    maxCost: (invitesSdl) => {
      const invites = subgraphSchemaOf(invitesSdl);
      return Math.max(
        hiveGatewayCost(invites, LIST_INVITES, listVariables),
        hiveGatewayCost(invites, INVITE_MEMBER, inviteVariables('priced@example.com')),
      );
    },
  });
});

afterAll(async () => {
  await hive?.close();
});

beforeEach(() => {
  hive.stack.simulator.requests.length = 0;
});

/** An operation through the router by a caller whose scopes JWT holds `scopes` (and the admin's Losant token). */
const asCaller = <TData>(scopes: readonly string[], query: string, variables: Record<string, unknown>): Promise<GraphQLResult<TData>> =>
  graphql<TData>(hive.url, query, { variables, headers: { [SCOPES_JWT_HEADER]: `Bearer ${signScopesJwt(key, scopes)}` } });

describe('orgInvites (instanceOrgInvites.get)', () => {
  test('a caller whose JWT holds the read scope reads the list through the router', async () => {
    const result = await asCaller<{ orgInvites: { count: number } }>([READ_SCOPE], LIST_INVITES, listVariables);
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data!.orgInvites.count).toBe(hive.stack.simulator.store.invites(DEMO_ORG.instanceId, DEMO_ORG.orgId)!.length);
    expect(hive.stack.simulator.callsTo('GET')).toHaveLength(1);
  });

  test('a caller whose JWT holds only the write scope is refused by the router, and the REST API receives no request', async () => {
    // The same read by a caller allowed it, with the same Losant token, is in the response cache
    // first: the refused caller must not be served it.
    const allowed = await asCaller([READ_SCOPE], LIST_INVITES, listVariables);
    expect(allowed.body.errors).toBeUndefined();
    hive.stack.simulator.requests.length = 0;

    const result = await asCaller([WRITE_SCOPE], LIST_INVITES, listVariables);
    expect(errorCodes(result)).toEqual([ROUTER_REFUSAL]);
    expect(result.body.data ?? null).toBeNull();
    expect(hive.stack.simulator.requests).toHaveLength(0);
  });
});

describe('inviteMember (instanceOrgInvites.post)', () => {
  test('a caller whose JWT holds the write scope invites a member', async () => {
    const email = 'scoped.writer@example.com';
    const result = await asCaller<{ inviteMember: { invite: { email: string } } }>([WRITE_SCOPE], INVITE_MEMBER, inviteVariables(email));
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data!.inviteMember.invite.email).toBe(email);
    expect(hive.stack.simulator.callsTo('POST')).toHaveLength(1);
    expect(hive.stack.simulator.store.invites(DEMO_ORG.instanceId, DEMO_ORG.orgId)!.map((invite) => invite.email)).toContain(email);
  });

  test('a caller whose JWT holds only the read scope is refused before any POST', async () => {
    const email = 'scoped.reader@example.com';
    const result = await asCaller([READ_SCOPE], INVITE_MEMBER, inviteVariables(email));
    expect(errorCodes(result)).toEqual([ROUTER_REFUSAL]);
    expect(hive.stack.simulator.requests).toHaveLength(0);
    expect(hive.stack.simulator.store.invites(DEMO_ORG.instanceId, DEMO_ORG.orgId)!.map((invite) => invite.email)).not.toContain(email);
  });
});

test.each([
  ['the read scope', READ_SCOPE],
  ['the write scope', WRITE_SCOPE],
])('a field that declares no scopes (instanceOrg { orgId }) is answered for a caller with %s', async (_name, scope) => {
  const result = await asCaller<{ instanceOrg: { orgId: string } }>([scope], INSTANCE_ORG_ID, { ...DEMO_ORG });
  expect(result.body.errors).toBeUndefined();
  expect(result.body.data!.instanceOrg.orgId).toBe(DEMO_ORG.orgId);
  expect(hive.stack.simulator.requests).toHaveLength(0);
});

test('a request without a valid scopes JWT is refused before any subgraph request', async () => {
  const unsigned = await graphql(hive.url, LIST_INVITES, { variables: listVariables });
  const forged = await graphql(hive.url, LIST_INVITES, {
    variables: listVariables,
    headers: { [SCOPES_JWT_HEADER]: `Bearer ${signScopesJwt(randomBytes(32).toString('base64url'), [READ_SCOPE])}` },
  });
  for (const result of [unsigned, forged]) {
    expect(result.status).toBe(401);
    expect(result.body.data ?? null).toBeNull();
  }
  expect(hive.stack.simulator.requests).toHaveLength(0);
});
