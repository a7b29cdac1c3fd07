import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { buildASTSchema, parse } from 'graphql';
import { ASSUMED_LIST_SIZES, UPSTREAM_CALL_COST } from '../../src/graphql/federation/routerDirectives';
import { ibmCost } from '../support/ibmCost';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS, startStack, TestStack } from '../support/stack';
import { ORGS_SUBGRAPH_SDL } from './orgsSubgraph';

/**
 * What a router's demand control makes of the committed SDL's `@cost` and `@listSize`: the composed
 * supergraph served by a real router, Hive Gateway (its `useDemandControl`), in front of the running
 * subgraph, which reports the cost it estimated for each operation; and the IBM spec's figure as
 * Apollo Router computes it (`ibmCost`), for the same operations on the same supergraph.
 */

const subgraphSdl = readFileSync(join(__dirname, '..', '..', 'schema', 'subgraph.graphql'), 'utf8');
const OBJECT = 1; // the spec's default weight of an object-typed field

const OPERATIONS = {
  'a list read with items': `query { orgInvites(instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}") { count items { id email role } } }`,
  'a read through instanceOrg { invites }': `query { instanceOrg(instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}") { orgId invites { count items { id email } } } }`,
  inviteMember: `mutation { inviteMember(instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}", invite: { email: "cost@example.com", role: VIEW }) { invite { id email } } }`,
} as const;
type OperationName = keyof typeof OPERATIONS;

let stack: TestStack;
let supergraphSdl: string;
let hive: ReturnType<typeof createGatewayRuntime>;

beforeAll(async () => {
  stack = await startStack();
  const composed = composeServices([
    { name: 'invites', typeDefs: parse(subgraphSdl), url: stack.graphqlUrl },
    // No operation here reaches the organizations subgraph.
    { name: 'orgs', typeDefs: parse(ORGS_SUBGRAPH_SDL), url: 'http://orgs.invalid/graphql' },
  ]);
  if (!composed.supergraphSdl) throw new Error(`composition failed: ${JSON.stringify(composed.errors)}`);
  supergraphSdl = composed.supergraphSdl;
  hive = createGatewayRuntime({
    supergraph: supergraphSdl,
    logging: false,
    demandControl: { includeExtensionMetadata: true },
    propagateHeaders: { fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }) },
  });
});

afterAll(async () => {
  await hive?.dispose();
  await stack?.close();
});

async function throughHive(name: OperationName): Promise<{ data: unknown; errors?: unknown[]; estimated: number }> {
  const response = await hive.fetch('http://router.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKENS.admin}` },
    body: JSON.stringify({ query: OPERATIONS[name] }),
  });
  const body = (await response.json()) as { data: unknown; errors?: unknown[]; extensions?: { cost?: { estimated?: number } } };
  return { data: body.data, errors: body.errors, estimated: body.extensions?.cost?.estimated ?? Number.NaN };
}

const figures: string[] = [];
afterAll(() => {
  // The figures for the README and the report, printed once the three operations ran.
  if (figures.length > 0) console.log(`router cost estimates (UPSTREAM_CALL_COST ${UPSTREAM_CALL_COST}, invites list assumed ${ASSUMED_LIST_SIZES.OrgInvite}):\n${figures.join('\n')}`);
});

const CASES = [
  // [operation, Hive Gateway's estimate, the IBM spec's as Apollo Router computes it]. Hive Gateway
  // adds a field's @cost to its type's weight, and (2.15) applies no mutation base cost.
  ['a list read with items', UPSTREAM_CALL_COST + OBJECT + ASSUMED_LIST_SIZES.OrgInvite * OBJECT, UPSTREAM_CALL_COST + ASSUMED_LIST_SIZES.OrgInvite * OBJECT],
  ['a read through instanceOrg { invites }', OBJECT + UPSTREAM_CALL_COST + OBJECT + ASSUMED_LIST_SIZES.OrgInvite * OBJECT, OBJECT + UPSTREAM_CALL_COST + ASSUMED_LIST_SIZES.OrgInvite * OBJECT],
  ['inviteMember', UPSTREAM_CALL_COST + OBJECT + OBJECT, 10 + UPSTREAM_CALL_COST + OBJECT],
] as const;

describe.each(CASES)('%s', (name, hiveExpected, apolloExpected) => {
  test('Hive Gateway serves it and prices it from the SDL’s directives', async () => {
    const result = await throughHive(name);
    expect(result.errors).toBeUndefined();
    expect(result.data).not.toBeNull();
    expect(result.estimated).toBe(hiveExpected);
    figures.push(`  ${name}: Hive Gateway ${result.estimated}`);
  });

  test('the IBM spec, as Apollo Router reads it, gives its figure', () => {
    const cost = ibmCost(buildASTSchema(parse(supergraphSdl)), parse(OPERATIONS[name]));
    expect(cost).toBe(apolloExpected);
    figures.push(`  ${name}: IBM spec (Apollo Router) ${cost}`);
  });
});

test('the README gives these figures', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `.*` \| (\d+) \| (\d+) \|$/gm)].map(([, hive, apollo]) => [Number(hive), Number(apollo)]);
  expect(rows).toEqual(CASES.map(([, hive, apollo]) => [hive, apollo]));
});
