import { DEMO_INSTANCE_ID, demoSeed, graphql, startStack, type GraphQLResult, type TestStack } from '../../support/stack';
import { LARGE_ORG_ID, largeOrgSeed } from '../../support/largeOrg';

/*
 * What paging costs the upstream: its list is not paged, so each page is one list call that the
 * gateway slices. Measured over HTTP against the simulator holding a 5,000-invite organization.
 */

jest.setTimeout(120_000);

const INVITES = 5_000;
const PAGE = 50;

const seed = () => [...demoSeed(new Date()), largeOrgSeed(INVITES)];

const QUERY = `query($instanceId: ID!, $orgId: ID!, $after: String) {
  orgInvitesConnection(instanceId: $instanceId, orgId: $orgId, sortField: ROLE, sortDirection: ASC, first: ${PAGE}, after: $after) {
    totalCount edges { node { id } } pageInfo { hasNextPage endCursor }
  }
}`;

interface Page {
  orgInvitesConnection: {
    totalCount: number;
    edges: Array<{ node: { id: string } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

/** Pages through the whole list; answers the pages walked and the ids seen, in order. */
async function walk(stack: TestStack): Promise<{ pages: number; seen: string[] }> {
  const seen: string[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const result: GraphQLResult<Page> = await graphql<Page>(stack.graphqlUrl, QUERY, {
      variables: { instanceId: DEMO_INSTANCE_ID, orgId: LARGE_ORG_ID, after },
    });
    expect(result.body.errors).toBeUndefined();
    const connection = result.body.data!.orgInvitesConnection;
    expect(connection.totalCount).toBe(INVITES);
    seen.push(...connection.edges.map((edge) => edge.node.id));
    pages++;
    if (!connection.pageInfo.hasNextPage) return { pages, seen };
    if (pages > INVITES) throw new Error('the pages never end');
    after = connection.pageInfo.endCursor;
  }
}

test(`without the list cache (the default), paging a ${INVITES}-invite list ${PAGE} at a time makes one upstream list call a page (${INVITES / PAGE}), and sees every invite once`, async () => {
  const stack = await startStack({ simulator: { seed: seed() } });
  try {
    const { pages, seen } = await walk(stack);
    expect(pages).toBe(INVITES / PAGE);
    expect(new Set(seen).size).toBe(INVITES);
    expect(stack.simulator.callsTo('GET')).toHaveLength(INVITES / PAGE);
  } finally {
    await stack.close();
  }
});

test(`with LIST_CACHE_TTL_MS, the same walk makes one upstream list call in all, and sees every invite once`, async () => {
  // A TTL far longer than the walk: the walk never outlives its entry, however slow the machine.
  const stack = await startStack({ simulator: { seed: seed() }, env: { LIST_CACHE_TTL_MS: '300000' } });
  try {
    const { pages, seen } = await walk(stack);
    expect(pages).toBe(INVITES / PAGE);
    expect(new Set(seen).size).toBe(INVITES);
    expect(stack.simulator.callsTo('GET')).toHaveLength(1);
  } finally {
    await stack.close();
  }
});
