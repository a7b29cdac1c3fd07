import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildASTSchema, parse, type GraphQLSchema } from 'graphql';
import { apolloRouterCost, hiveGatewayCost, subgraphSchemaOf } from '../support/declaredCost';
import { READ_MAX_AGE_SECONDS } from '../../src/graphql/caching/cacheHints';
import { ASSUMED_LIST_SIZES, UPSTREAM_CALL_COST } from '../../src/graphql/federation/routerDirectives';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID } from '../../src/simulator/demoData';
import { HiveStack, startHiveStack } from '../support/hiveGateway';
import { RESPONSE_CACHE_TTL_MS } from '../support/hiveGateway.config';
import { DEMO_ORG, INVITE_FIELDS, INVITE_MEMBER, LIST_INVITES } from '../support/operations';
import { DEMO_TOKENS, errorCodes, graphql, GraphQLResult } from '../support/stack';
import { ORGS } from './orgsSubgraph';

/**
 * The supergraph (this subgraph composed with an organizations subgraph) behind a real router,
 * Hive Gateway, as a platform team would run it: its demand control prices operations from the
 * weights the subgraph declares (`@cost`, `@listSize`), its response cache keeps answers per
 * caller, and paging works through it. The subgraphs' own SDL, as served to the router, is what
 * the expected prices are computed from (`test/support/declaredCost.ts`), and docs/router.md's cost
 * table is checked against the router's estimates and against the IBM spec as Apollo Router
 * computes it on the same supergraph.
 */

interface CostExtension {
  cost?: { estimated: number; max: number };
  responseCache?: { hit: boolean; didCache?: boolean; ttl?: number; invalidatedEntities?: Array<{ typename: string; id?: string }> };
}

const extensionsOf = (result: GraphQLResult<unknown>): CostExtension => (result.body as { extensions?: CostExtension }).extensions ?? {};

/**
 * The three priced examples, each with the subgraph requests the router's plan sends for it: the
 * router prices each of those against its subgraph's schema (an entity fetch is `_entities`, whose
 * union result counts as one object) and adds them up.
 */
const INSTANCE_ORG_THROUGH_ORGS = `
  query InstanceOrgWithName($instanceId: ID!, $orgId: ID!) {
    instanceOrg(instanceId: $instanceId, orgId: $orgId) {
      name
      invites(sortField: EMAIL, sortDirection: ASC) { count items { ${INVITE_FIELDS} } }
    }
  }`;
const NEW_INVITE = { email: 'priced.member@example.com', role: 'VIEW' } as const;

interface PricedExample {
  readonly name: string;
  readonly operation: string;
  readonly variables: Record<string, unknown>;
  /** What the declared weights give for the subgraph requests the router sends for it. */
  expected(schemas: { invites: GraphQLSchema; orgs: GraphQLSchema }): number;
}

const EXAMPLES: readonly PricedExample[] = [
  {
    name: 'a list read with its items (orgInvites)',
    operation: LIST_INVITES,
    variables: { ...DEMO_ORG, sortField: 'EMAIL', sortDirection: 'ASC' },
    // One request, to the invites subgraph: the operation itself (plus key fields, which are free).
    expected: ({ invites }) => hiveGatewayCost(invites, LIST_INVITES, { ...DEMO_ORG, sortField: 'EMAIL', sortDirection: 'ASC' }),
  },
  {
    name: 'instanceOrg { name invites { items } } through the organizations subgraph',
    operation: INSTANCE_ORG_THROUGH_ORGS,
    variables: { ...DEMO_ORG },
    // The invites subgraph answers the organization and its invites; the organizations subgraph then resolves its name.
    expected: ({ invites, orgs }) =>
      hiveGatewayCost(
        invites,
        `query($instanceId: ID!, $orgId: ID!) { instanceOrg(instanceId: $instanceId, orgId: $orgId) {
           __typename instanceId orgId invites(sortField: EMAIL, sortDirection: ASC) { count items { ${INVITE_FIELDS} } } } }`,
        { ...DEMO_ORG },
      ) +
      hiveGatewayCost(
        orgs,
        `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on InstanceOrg { name } } }`,
      ),
  },
  {
    name: 'inviteMember',
    operation: INVITE_MEMBER,
    variables: { ...DEMO_ORG, invite: NEW_INVITE },
    expected: ({ invites }) => hiveGatewayCost(invites, INVITE_MEMBER, { ...DEMO_ORG, invite: NEW_INVITE }),
  },
];

let hive: HiveStack;
let schemas: { invites: GraphQLSchema; orgs: GraphQLSchema };
/** Demand control's budget: the dearest example's price, so all three pass and twice the dearest does not. */
let maxCost: number;

beforeAll(async () => {
  hive = await startHiveStack({
    maxCost: (invitesSdl, orgsSdl) => {
      schemas = { invites: subgraphSchemaOf(invitesSdl), orgs: subgraphSchemaOf(orgsSdl) };
      maxCost = Math.max(...EXAMPLES.map((example) => example.expected(schemas)));
      return maxCost;
    },
  });
});

afterAll(async () => {
  await hive?.close();
});

beforeEach(() => {
  hive.stack.simulator.requests.length = 0;
});

test('a query crossing both subgraphs returns each organization’s invites, with the caller’s token reaching the REST upstream', async () => {
  const result = await graphql<{
    organizations: Array<{ name: string; orgId: string; invites: { count: number; items: Array<{ email: string }> } }>;
  }>(
    hive.url,
    `
      {
        organizations {
          name
          orgId
          invites(sortField: EMAIL, sortDirection: ASC) {
            count
            items {
              email
            }
          }
        }
      }
    `,
  );
  expect(result.body.errors).toBeUndefined();
  const organizations = result.body.data!.organizations;
  expect(organizations.map((org) => org.name)).toEqual(ORGS.map((org) => org.name));
  for (const org of organizations) {
    const held = hive.stack.simulator.store.invites(ORGS[0].instanceId, org.orgId)!;
    expect(org.invites.count).toBe(held.length);
    expect(org.invites.items.map((invite) => invite.email)).toEqual(held.map((invite) => invite.email).sort());
  }
  const gets = hive.stack.simulator.callsTo('GET');
  expect(gets).toHaveLength(ORGS.length);
  for (const get of gets) expect(get.headers.authorization).toBe(`Bearer ${DEMO_TOKENS.admin}`);
});

describe('demand control', () => {
  test.each(EXAMPLES.map((example) => [example.name, example] as const))(
    '%s: the estimated cost is what the declared weights give',
    async (_name, example) => {
      const result = await graphql(hive.url, example.operation, { variables: example.variables });
      expect(result.body.errors).toBeUndefined();
      expect(extensionsOf(result).cost).toEqual({ estimated: example.expected(schemas), max: maxCost });
    },
  );

  test('an operation over the budget is refused with COST_ESTIMATED_TOO_EXPENSIVE and makes no REST call', async () => {
    const dearest = EXAMPLES.find((example) => example.expected(schemas) === maxCost)!;
    // The dearest example twice, under two aliases: twice the budget's price.
    const result = await graphql(hive.url, aliasTwice(dearest.operation), { variables: dearest.variables });
    expect(new Set(errorCodes(result))).toEqual(new Set(['COST_ESTIMATED_TOO_EXPENSIVE']));
    expect(result.body.data).toEqual({ first: null, second: null });
    const { cost } = extensionsOf(result);
    expect(cost!.max).toBe(maxCost);
    expect(cost!.estimated).toBeGreaterThan(maxCost);
    expect(hive.stack.simulator.requests).toHaveLength(0);
  });
});

describe('the cost table of docs/router.md', () => {
  const OBJECT = 1; // the spec's default weight of an object-typed field
  const TABLE = [
    // [name, operation, Hive Gateway's estimate, the IBM spec's as Apollo Router computes it]. Hive Gateway
    // adds a field's @cost to its type's weight, and (2.15) applies no mutation base cost.
    [
      'a list read with items',
      `query { orgInvites(instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}") { count items { id email role } } }`,
      UPSTREAM_CALL_COST + OBJECT + ASSUMED_LIST_SIZES.OrgInvite * OBJECT,
      UPSTREAM_CALL_COST + ASSUMED_LIST_SIZES.OrgInvite * OBJECT,
    ],
    [
      'a read through instanceOrg { invites }',
      `query { instanceOrg(instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}") { orgId invites { count items { id email } } } }`,
      OBJECT + UPSTREAM_CALL_COST + OBJECT + ASSUMED_LIST_SIZES.OrgInvite * OBJECT,
      OBJECT + UPSTREAM_CALL_COST + ASSUMED_LIST_SIZES.OrgInvite * OBJECT,
    ],
    [
      'inviteMember',
      `mutation { inviteMember(instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}", invite: { email: "cost@example.com", role: VIEW }) { invite { id email } } }`,
      UPSTREAM_CALL_COST + OBJECT + OBJECT,
      10 + UPSTREAM_CALL_COST + OBJECT,
    ],
  ] as const;

  describe.each(TABLE)('%s', (_name, operation, hiveFigure, apolloFigure) => {
    test('Hive Gateway serves it at the Hive Gateway figure, which the declared weights give', async () => {
      const result = await graphql(hive.url, operation);
      expect(result.body.errors).toBeUndefined();
      expect(result.body.data).not.toBeNull();
      expect(extensionsOf(result).cost?.estimated).toBe(hiveFigure);
      // All its fields are the invites subgraph's: the router's one request there is the operation.
      expect(hiveGatewayCost(schemas.invites, operation)).toBe(hiveFigure);
    });

    test('the IBM spec, as Apollo Router computes it on the supergraph, gives the other figure', () => {
      expect(apolloRouterCost(buildASTSchema(parse(hive.supergraphSdl)), operation)).toBe(apolloFigure);
    });
  });

  test('docs/router.md gives these figures', () => {
    const page = readFileSync(join(__dirname, '..', '..', 'docs', 'router.md'), 'utf8');
    const rows = [...page.matchAll(/^\| `.*` \| (\d+) \| (\d+) \|$/gm)].map(([, hiveFigure, apolloFigure]) => [
      Number(hiveFigure),
      Number(apolloFigure),
    ]);
    expect(rows).toEqual(TABLE.map(([, , hiveFigure, apolloFigure]) => [hiveFigure, apolloFigure]));
  });
});

/** The operation with its one root field selected twice, as `first` and `second`. */
function aliasTwice(operation: string): string {
  const open = operation.indexOf('{');
  const close = operation.lastIndexOf('}');
  const body = operation.slice(open + 1, close);
  return `${operation.slice(0, open)}{ first: ${body.trim()} second: ${body.trim()} }`;
}

describe('response cache', () => {
  type ListData = { orgInvites: { count: number; items: Array<{ id: string; email: string }> } };
  // A filter no other test sends (it keeps every invite), so no other test's cached answer is in the way.
  const LIST_VARIABLES = { ...DEMO_ORG, sortField: 'EMAIL', sortDirection: 'ASC', filterField: 'EMAIL', filter: '*@*' };
  const readList = (token: string) => graphql<ListData>(hive.url, LIST_INVITES, { token, variables: LIST_VARIABLES });
  const emails = (result: GraphQLResult<ListData>) => result.body.data!.orgInvites.items.map((invite) => invite.email);
  const heldEmails = () =>
    hive.stack.simulator.store
      .invites(DEMO_ORG.instanceId, DEMO_ORG.orgId)!
      .map((invite) => invite.email)
      .sort();

  test('a caller’s repeated read is served without a REST call; another caller never gets it; a mutation is not cached and evicts the read', async () => {
    const first = await readList(DEMO_TOKENS.admin);
    expect(first.body.errors).toBeUndefined();
    expect(emails(first)).toEqual(heldEmails());
    expect(hive.stack.simulator.callsTo('GET')).toHaveLength(1);
    // Kept as long as the subgraph's hint says (its Cache-Control max-age), not the router's longer default.
    expect(extensionsOf(first).responseCache).toEqual({ hit: false, didCache: true, ttl: READ_MAX_AGE_SECONDS * 1000 });
    expect(READ_MAX_AGE_SECONDS * 1000).toBeLessThan(RESPONSE_CACHE_TTL_MS);

    const again = await readList(DEMO_TOKENS.admin);
    expect(again.body.data).toEqual(first.body.data);
    expect(extensionsOf(again).responseCache?.hit).toBe(true);
    expect(hive.stack.simulator.callsTo('GET')).toHaveLength(1);

    // The upstream's list changes behind the cache: the admin's cached answer is now out of date,
    // so a second caller served from it would miss the new invite.
    hive.stack.simulator.store.add(DEMO_ORG.instanceId, DEMO_ORG.orgId, { email: 'cached.elsewhere@example.com', role: 'view' });
    const other = await readList(DEMO_TOKENS.readOnly);
    expect(emails(other)).toEqual(heldEmails());
    expect(emails(other)).toContain('cached.elsewhere@example.com');
    const gets = hive.stack.simulator.callsTo('GET');
    expect(gets).toHaveLength(2);
    expect(gets[1].headers.authorization).toBe(`Bearer ${DEMO_TOKENS.readOnly}`);
    // ...and the admin's own answer is still the admin's cached one.
    expect(emails(await readList(DEMO_TOKENS.admin))).toEqual(emails(first));
    expect(hive.stack.simulator.callsTo('GET')).toHaveLength(2);

    // A mutation always reaches the upstream, and evicts the cached reads of the invites it returns.
    const cachedIds = first.body.data!.orgInvites.items.map((invite) => invite.id);
    for (const email of ['evicts.one@example.com', 'evicts.two@example.com']) {
      const invited = await graphql(hive.url, INVITE_MEMBER, { variables: { ...DEMO_ORG, invite: { email, role: 'VIEW' } } });
      expect(invited.body.errors).toBeUndefined();
      expect(extensionsOf(invited).responseCache?.hit).toBeUndefined();
      // Evicted because the mutation's answer names the cached invites (not because the entry aged out).
      const evicted = (extensionsOf(invited).responseCache?.invalidatedEntities ?? [])
        .filter((entity) => entity.typename === 'OrgInvite')
        .map((entity) => entity.id);
      expect(evicted).toEqual(expect.arrayContaining(cachedIds));
    }
    expect(hive.stack.simulator.callsTo('POST')).toHaveLength(2);
    const afterMutation = await readList(DEMO_TOKENS.admin);
    expect(emails(afterMutation)).toEqual(heldEmails());
    expect(emails(afterMutation)).toEqual(expect.arrayContaining(['evicts.one@example.com', 'evicts.two@example.com']));
    expect(hive.stack.simulator.callsTo('GET')).toHaveLength(3);
  });
});

describe('paging', () => {
  type Page = {
    orgInvitesConnection: {
      totalCount: number;
      edges: Array<{ cursor: string; node: { email: string } }>;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
  const PAGE = `
    query InvitesPage($instanceId: ID!, $orgId: ID!, $first: Int, $after: String) {
      orgInvitesConnection(instanceId: $instanceId, orgId: $orgId, sortField: EMAIL, sortDirection: ASC, first: $first, after: $after) {
        totalCount
        edges { cursor node { email } }
        pageInfo { hasNextPage endCursor }
      }
    }`;

  test('orgInvitesConnection walks a whole list with first/after, each page priced by its size', async () => {
    const held = hive.stack.simulator.store
      .invites(DEMO_ORG.instanceId, DEMO_ORG.orgId)!
      .map((invite) => invite.email)
      .sort();
    const pageSize = 3;
    const walked: string[] = [];
    let after: string | null = null;
    for (let page = 0; page <= held.length; page++) {
      const variables: Record<string, unknown> = { ...DEMO_ORG, first: pageSize, after };
      const result: GraphQLResult<Page> = await graphql<Page>(hive.url, PAGE, { variables });
      expect(result.body.errors).toBeUndefined();
      expect(extensionsOf(result).cost?.estimated).toBe(hiveGatewayCost(schemas.invites, PAGE, variables));
      const connection = result.body.data!.orgInvitesConnection;
      expect(connection.totalCount).toBe(held.length);
      expect(connection.edges.length).toBeLessThanOrEqual(pageSize);
      walked.push(...connection.edges.map((edge) => edge.node.email));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(walked).toEqual(held);
  });
});
