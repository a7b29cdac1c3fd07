/**
 * What the benchmark sends and what it must get back: the GraphQL documents and variables of every
 * case, the REST calls the upstream baseline makes for the same work, the answers expected (built
 * from the fast upstream's data, not from a gateway answer), and the upstream calls each operation
 * may make.
 */
import { deepStrictEqual } from 'node:assert/strict';
import type { OrgInviteDto, ResourceRoleGrantDto } from '../src/contract/types';
import {
  BENCH_AUTHORIZATION,
  BENCH_INSTANCE_ID,
  BENCH_NEW_MEMBER_EMAIL,
  benchCollection,
  benchInvites,
  benchOrgId,
  newMemberInvite,
} from './fastUpstream';

/** One HTTP request of a workload and the answer it must get. */
export interface BenchRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly expectStatus: number;
  /** The parsed body expected, compared structurally (key order aside). */
  readonly expectJson: unknown;
}

/**
 * What one target is asked to do, again and again on every connection: one request, or a sequence
 * counted as one operation (the upstream baseline of a multi-call GraphQL operation).
 */
export interface Workload {
  readonly requests: readonly BenchRequest[];
}

export interface BenchCase {
  readonly id: string;
  readonly label: string;
  readonly connections: number;
  /** The GraphQL operation sent to the gateway (and, for list cases, the plain floor). */
  readonly graphql: Workload;
  /** The same work done on the upstream directly: the REST calls the operation needs. */
  readonly baseline: Workload;
  /** Whether the plain Node floor serves this case (the list query only). */
  readonly floor: boolean;
  /** Whether the hand-written Apollo peer serves this case (the queries its SDL covers). */
  readonly peer: boolean;
  /** Settings the gateway needs for this case beyond its defaults. */
  readonly gatewayEnv?: Readonly<Record<string, string>>;
  /** Upstream calls ("METHOD path") one operation must make, exactly. */
  readonly upstreamCallsPerOp: Readonly<Record<string, number>>;
}

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

/** The list query of the bounded load test (test/load/load.process.test.ts): every invite field a list shows. */
export const LIST_QUERY = `query BenchOrgInvites($instanceId: ID!, $orgId: ID!) {
  orgInvites(instanceId: $instanceId, orgId: $orgId, sortField: EMAIL, sortDirection: ASC) {
    count sortField sortDirection
    items { id email role hasExpired disallowTransfer applicationRoles { resourceId role } dashboardRoles { resourceId role } }
  }
}`;

const ALIASES = Array.from({ length: 10 }, (_, i) => `l${i}`);

/** Ten aliases of the same list (through a fragment): the per-request loader makes it one REST call. */
export const ALIASES_QUERY = `query BenchAliases($instanceId: ID!, $orgId: ID!) {
${ALIASES.map((alias) => `  ${alias}: orgInvites(instanceId: $instanceId, orgId: $orgId, sortField: EMAIL, sortDirection: ASC) { ...Listed }`).join('\n')}
}
fragment Listed on OrgInviteCollection { count items { id email role hasExpired } }`;

/** An invite, then a read of the same org through the payload's `query` field (a POST, then a GET). */
export const MUTATION_THEN_READ = `mutation BenchInviteThenRead($instanceId: ID!, $orgId: ID!, $invite: OrgInviteInput!) {
  inviteMember(instanceId: $instanceId, orgId: $orgId, invite: $invite) {
    invite { id email role hasExpired }
    query {
      orgInvites(instanceId: $instanceId, orgId: $orgId, sortField: EMAIL, sortDirection: ASC) { count items { id email role hasExpired } }
    }
  }
}`;

/** What a federation router sends this subgraph for organizations it holds references to. */
export const ENTITIES_QUERY = `query BenchEntities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on InstanceOrg {
      instanceId orgId
      invites(sortField: EMAIL, sortDirection: ASC) { count items { id email role hasExpired } }
    }
  }
}`;

/**
 * An operation that calls no upstream: what every request costs before any REST call, parsing the
 * HTTP request and running Apollo's pipeline, plugins, logging and metrics included.
 */
export const FIXED_COST_QUERY = `query BenchFixedCost { __typename }`;

// ---------------------------------------------------------------------------------------------
// Expected answers, from the fast upstream's data
// ---------------------------------------------------------------------------------------------

const upper = (value: string): string => value.toUpperCase();
const grantsView = (grants: readonly ResourceRoleGrantDto[] | undefined): unknown[] =>
  (grants ?? []).map((grant) => ({ resourceId: grant.resourceId, role: upper(grant.role) }));

/** An invite as LIST_QUERY selects it; absent optionals read as the gateway documents them. */
export function listedInvite(invite: OrgInviteDto): Record<string, unknown> {
  return {
    id: invite.id,
    email: invite.email,
    role: upper(invite.role),
    hasExpired: invite.hasExpired,
    disallowTransfer: invite.disallowTransfer ?? false,
    applicationRoles: grantsView(invite.applicationRoles),
    dashboardRoles: grantsView(invite.dashboardRoles),
  };
}

const shortInvite = (invite: OrgInviteDto): Record<string, unknown> => ({
  id: invite.id,
  email: invite.email,
  role: upper(invite.role),
  hasExpired: invite.hasExpired,
});
const shortList = (n: number): Record<string, unknown> => ({ count: n, items: benchInvites(n).map(shortInvite) });

export function expectedListData(n: number): unknown {
  return { orgInvites: { count: n, sortField: 'EMAIL', sortDirection: 'ASC', items: benchInvites(n).map(listedInvite) } };
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

const GRAPHQL_HEADERS = { 'content-type': 'application/json', authorization: BENCH_AUTHORIZATION };
/** The headers the gateway sends upstream (src/rest/requests.ts), minus its request id. */
const REST_HEADERS = { accept: 'application/json', 'accept-version': '^1.30.0', authorization: BENCH_AUTHORIZATION };
const REST_FLAGS = '_actions=false&_links=true&_embedded=true';
const SORTED = `sortField=email&sortDirection=asc&${REST_FLAGS}`;

export const invitesPath = (orgId: string): string => `/instances/${BENCH_INSTANCE_ID}/orgs/${orgId}/invites`;

function graphqlRequest(
  query: string,
  variables: Record<string, unknown>,
  expectedData: unknown,
  headers: Record<string, string> = {},
): BenchRequest {
  return {
    method: 'POST',
    path: '/graphql',
    headers: { ...GRAPHQL_HEADERS, ...headers },
    body: JSON.stringify({ query, variables }),
    expectStatus: 200,
    expectJson: { data: expectedData },
  };
}

function restList(orgId: string): BenchRequest {
  return {
    method: 'GET',
    path: `${invitesPath(orgId)}?${SORTED}`,
    headers: REST_HEADERS,
    expectStatus: 200,
    expectJson: benchCollection(orgId, 'email', 'asc'),
  };
}

// ---------------------------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------------------------

function listCase(invites: number, connections: number): BenchCase {
  const orgId = benchOrgId(0, invites);
  return {
    id: `list-${invites}-c${connections}`,
    label: `orgInvites, ${invites} invites`,
    connections,
    graphql: { requests: [graphqlRequest(LIST_QUERY, { instanceId: BENCH_INSTANCE_ID, orgId }, expectedListData(invites))] },
    baseline: { requests: [restList(orgId)] },
    floor: true,
    peer: true,
    upstreamCallsPerOp: { [`GET ${invitesPath(orgId)}`]: 1 },
  };
}

function aliasesCase(connections: number): BenchCase {
  const invites = 20;
  const orgId = benchOrgId(1, invites);
  const data = Object.fromEntries(ALIASES.map((alias) => [alias, shortList(invites)]));
  return {
    id: `aliases-c${connections}`,
    label: `10 aliases of one list (${invites} invites)`,
    connections,
    graphql: { requests: [graphqlRequest(ALIASES_QUERY, { instanceId: BENCH_INSTANCE_ID, orgId }, data)] },
    baseline: { requests: [restList(orgId)] },
    floor: false,
    peer: true,
    upstreamCallsPerOp: { [`GET ${invitesPath(orgId)}`]: 1 },
  };
}

function mutationCase(connections: number): BenchCase {
  const invites = 20;
  const orgId = benchOrgId(2, invites);
  const resourceId = 'a99000000000000000000001';
  const invite = { email: BENCH_NEW_MEMBER_EMAIL, role: 'VIEW', applicationRoles: [{ resourceId, role: 'VIEW' }] };
  const data = { inviteMember: { invite: shortInvite(newMemberInvite()), query: { orgInvites: shortList(invites) } } };
  const post: BenchRequest = {
    method: 'POST',
    path: `${invitesPath(orgId)}?${REST_FLAGS}`,
    headers: { ...REST_HEADERS, 'content-type': 'application/json' },
    body: JSON.stringify({ email: BENCH_NEW_MEMBER_EMAIL, role: 'view', applicationRoles: [{ resourceId, role: 'view' }] }),
    expectStatus: 201,
    expectJson: benchCollection(orgId, 'inviteDate', 'desc', [newMemberInvite()]),
  };
  return {
    id: `mutation-c${connections}`,
    label: `inviteMember, then a read (${invites} invites)`,
    connections,
    graphql: { requests: [graphqlRequest(MUTATION_THEN_READ, { instanceId: BENCH_INSTANCE_ID, orgId, invite }, data)] },
    baseline: { requests: [post, restList(orgId)] },
    floor: false,
    peer: false,
    upstreamCallsPerOp: { [`POST ${invitesPath(orgId)}`]: 1, [`GET ${invitesPath(orgId)}`]: 1 },
  };
}

function fixedCostCase(connections: number): BenchCase {
  return {
    id: `fixed-c${connections}`,
    label: 'no upstream call: `{ __typename }`',
    connections,
    graphql: { requests: [graphqlRequest(FIXED_COST_QUERY, {}, { __typename: 'Query' })] },
    baseline: { requests: [] },
    floor: false,
    peer: true,
    upstreamCallsPerOp: {},
  };
}

/**
 * The router's secret in the `_entities` case: under NODE_ENV=production only a caller sending it
 * may select `_entities` (docs/router.md), as the router does. Not a credential of anything real.
 */
const BENCH_ROUTER_SECRET = 'bench-router-secret-0123456789abcdef';

/** Organizations in the federated read; MAX_UPSTREAM_CALLS_PER_OPERATION must allow this many. */
export const ENTITY_ORGS = 50;

function entitiesCase(connections: number): BenchCase {
  const invites = 20;
  const orgIds = Array.from({ length: ENTITY_ORGS }, (_, k) => benchOrgId(100 + k, invites));
  const representations = orgIds.map((orgId) => ({ __typename: 'InstanceOrg', instanceId: BENCH_INSTANCE_ID, orgId }));
  const data = { _entities: orgIds.map((orgId) => ({ instanceId: BENCH_INSTANCE_ID, orgId, invites: shortList(invites) })) };
  return {
    id: `entities-c${connections}`,
    label: `_entities: ${ENTITY_ORGS} orgs × ${invites} invites`,
    connections,
    graphql: { requests: [graphqlRequest(ENTITIES_QUERY, { representations }, data, { 'router-authorization': BENCH_ROUTER_SECRET })] },
    baseline: { requests: orgIds.map(restList) },
    floor: false,
    peer: false,
    // The default MAX_UPSTREAM_CALLS_PER_OPERATION (25) refuses this read, as it would from a router.
    gatewayEnv: { MAX_UPSTREAM_CALLS_PER_OPERATION: String(ENTITY_ORGS), ROUTER_SECRET: BENCH_ROUTER_SECRET },
    upstreamCallsPerOp: Object.fromEntries(orgIds.map((orgId) => [`GET ${invitesPath(orgId)}`, 1])),
  };
}

/** Every case, in the order they run and print. */
export function benchCases(): BenchCase[] {
  return [
    listCase(20, 1),
    listCase(20, 10),
    listCase(20, 100),
    listCase(500, 1),
    listCase(500, 10),
    listCase(500, 100),
    aliasesCase(10),
    mutationCase(10),
    entitiesCase(10),
    fixedCostCase(1),
    fixedCostCase(10),
  ];
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

/** Why an answer is wrong, or `undefined` when it is the expected one. */
export function answerProblem(request: BenchRequest, status: number, text: string): string | undefined {
  if (status !== request.expectStatus) return `HTTP ${status} instead of ${request.expectStatus}: ${text.slice(0, 500)}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `a body that is not JSON: ${text.slice(0, 200)}`;
  }
  try {
    deepStrictEqual(parsed, request.expectJson);
  } catch (error) {
    return `a body that differs from the expected one:\n${(error as Error).message.slice(0, 2000)}`;
  }
  return undefined;
}

/**
 * Why the upstream calls counted for `ops` operations are wrong, or `undefined`. `ops` is a range
 * under load (completed ≤ made ≤ sent); exact after a single request.
 */
export function upstreamCallsProblem(
  expectedPerOp: Readonly<Record<string, number>>,
  counts: Readonly<Record<string, number>>,
  ops: { readonly min: number; readonly max: number },
): string | undefined {
  const problems: string[] = [];
  for (const [key, perOp] of Object.entries(expectedPerOp)) {
    const seen = counts[key] ?? 0;
    if (seen < ops.min * perOp || seen > ops.max * perOp) {
      problems.push(
        `${key}: ${seen} calls for ${ops.min === ops.max ? ops.min : `${ops.min}-${ops.max}`} operations (expected ${perOp} each)`,
      );
    }
  }
  for (const [key, seen] of Object.entries(counts)) {
    // `GET /` is the readiness ping; anything else unexpected is a call the operation should not make.
    if (!(key in expectedPerOp) && key !== 'GET /' && seen > 0) problems.push(`${key}: ${seen} unexpected calls`);
  }
  return problems.length > 0 ? problems.join('; ') : undefined;
}
