import { print } from 'graphql';
import { createHash } from 'node:crypto';
import { ListOrgInvitesDocument } from '../../client/index';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS } from '../../src/simulator/demoData';
import { codesOf, post, ProductionGateway, startProductionGateway } from '../support/attack';

/**
 * With TRUSTED_DOCUMENTS=only, the built gateway running as production does runs the app's
 * documents and nothing else: hostile documents of every kind are refused with one answer, before
 * Apollo parses them (the operation metrics, which Apollo records for every document it reads, see
 * none of them), and nothing goes upstream.
 */

/** Generous: refusing is hashing a body; the machine is shared. */
const BOUND_MS = 1000;
const ANY_TOKEN = { authorization: 'Bearer x' };
const ORG = `instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}"`;

/** `levels` fragments, each spreading the next twice: the last one's selection stands for 2^(levels-1) copies. */
function fanOut(levels: number, leaf: string): string {
  const fragments = Array.from({ length: levels - 1 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
  return `query { ...F0 } ${fragments.join(' ')} fragment F${levels - 1} on Query { ${leaf} }`;
}

const HOSTILE: ReadonlyArray<readonly [string, unknown]> = [
  // Answered with data by a gateway that runs any document (see costAnalysis.process.test.ts).
  ['fragments that fan out, 24 levels', { query: fanOut(24, '__typename') }],
  ['the fan-out over an upstream field, 40 levels', { query: fanOut(40, `orgInvites(${ORG}) { count }`) }],
  ['900 KB of fields', { query: `{ ${'__typename '.repeat(80_000)}}` }],
  [
    '6,000 entity representations',
    {
      query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
      variables: {
        r: Array.from({ length: 6000 }, () => ({ __typename: 'InstanceOrg', instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID })),
      },
    },
  ],
  [
    'the fan-out by an APQ hash',
    { extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(fanOut(24, '__typename')).digest('hex') } } },
  ],
];

describe('a production gateway with TRUSTED_DOCUMENTS=only', () => {
  let gateway: ProductionGateway;
  beforeAll(async () => {
    gateway = await startProductionGateway({ TRUSTED_DOCUMENTS: 'only' });
  });
  afterAll(() => gateway.close());

  test.each(HOSTILE)('%s: refused with DOCUMENT_NOT_TRUSTED at once, nothing upstream', async (_name, body) => {
    gateway.simulator.requests.length = 0;
    const started = performance.now();
    const response = await post(gateway.graphqlUrl, body, ANY_TOKEN);
    const elapsedMs = performance.now() - started;
    expect([response.status, codesOf(response.json)]).toEqual([400, ['DOCUMENT_NOT_TRUSTED']]);
    expect(elapsedMs).toBeLessThan(BOUND_MS);
    expect(gateway.simulator.requests).toHaveLength(0);
  });

  test("the app's documents still run, and Apollo never read a refused one", async () => {
    const documentId = `sha256:${createHash('sha256').update(print(ListOrgInvitesDocument)).digest('hex')}`;
    const response = await post(
      gateway.graphqlUrl,
      { documentId, variables: { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID } },
      { authorization: `Bearer ${DEMO_TOKENS.admin}` },
    );
    expect(response.json).toMatchObject({ data: { orgInvites: { orgId: DEMO_ORG_ID } } });
    const metrics = await (await fetch(new URL('/metrics', gateway.graphqlUrl))).text();
    const operations = metrics.split('\n').filter((line) => line.startsWith('graphql_operations_total{'));
    expect(operations.sort()).toEqual([
      `graphql_operations_total{operation="ListOrgInvites",type="query",outcome="ok"} 1`,
      `graphql_operations_total{operation="anonymous",type="unknown",outcome="DOCUMENT_NOT_TRUSTED"} ${HOSTILE.length}`,
    ]);
  });
});
