import { DEMO_EMPTY_ORG_ID, DEMO_INSTANCE_ID, DEMO_SECOND_ORG_ID, errorCodes, graphql, startStack, TestStack } from '../support/stack';
import { DEMO_ORG } from '../support/operations';

/*
 * `orgInvitesConnection` and `InstanceOrg.invitesConnection` against the simulator, over HTTP:
 * the Relay cursor connections specification's behaviour, the bounds, and the refusals. The stack
 * allows pages of 5 and answers of 6 invites, so that the page bound and the response budget can
 * both be reached with the demo organization's 7 invites.
 */

const CONNECTION = `
  query Page(
    $instanceId: ID!, $orgId: ID!, $sortField: InviteSortField, $sortDirection: SortDirection,
    $filterField: InviteFilterField, $filter: String, $first: Int, $after: String, $last: Int, $before: String
  ) {
    orgInvitesConnection(
      instanceId: $instanceId, orgId: $orgId, sortField: $sortField, sortDirection: $sortDirection,
      filterField: $filterField, filter: $filter, first: $first, after: $after, last: $last, before: $before
    ) {
      totalCount
      edges { cursor node { id email role inviteDate } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

interface Connection {
  totalCount: number;
  edges: Array<{ cursor: string; node: { id: string; email: string; role: string; inviteDate: string } }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ env: { MAX_PAGE_SIZE: '5', MAX_RESPONSE_ITEMS: '8' } });
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.simulator.requests.length = 0;
});

async function page(variables: Record<string, unknown>) {
  return graphql<{ orgInvitesConnection: Connection | null }>(stack.graphqlUrl, CONNECTION, { variables: { ...DEMO_ORG, ...variables } });
}

async function connection(variables: Record<string, unknown>): Promise<Connection> {
  const result = await page(variables);
  expect(result.body.errors).toBeUndefined();
  return result.body.data!.orgInvitesConnection!;
}

/** The ids of the whole list as `orgInvites` answers it (the same upstream order). */
async function wholeList(variables: Record<string, unknown>): Promise<string[]> {
  const result = await graphql<{ orgInvites: { items: Array<{ id: string }> } }>(
    stack.graphqlUrl,
    `
      query (
        $instanceId: ID!
        $orgId: ID!
        $sortField: InviteSortField
        $sortDirection: SortDirection
        $filterField: InviteFilterField
        $filter: String
      ) {
        orgInvites(
          instanceId: $instanceId
          orgId: $orgId
          sortField: $sortField
          sortDirection: $sortDirection
          filterField: $filterField
          filter: $filter
        ) {
          items {
            id
          }
        }
      }
    `,
    { variables: { ...DEMO_ORG, ...variables } },
  );
  expect(result.body.errors).toBeUndefined();
  return result.body.data!.orgInvites.items.map((item) => item.id);
}

const SORTS = ['EMAIL', 'ROLE', 'INVITE_DATE'].flatMap((sortField) =>
  ['ASC', 'DESC'].map((sortDirection) => ({ sortField, sortDirection })),
);

describe('paging forwards and backwards', () => {
  test.each(SORTS)('first/after walks the whole list in order by $sortField $sortDirection, with exact pageInfo', async (sort) => {
    const expected = await wholeList(sort);
    expect(expected).toHaveLength(7);
    const seen: string[] = [];
    let after: string | null = null;
    for (let pageNumber = 0; ; pageNumber++) {
      const current = await connection({ ...sort, first: 3, after });
      expect(current.totalCount).toBe(7);
      expect(current.pageInfo.hasPreviousPage).toBe(pageNumber > 0);
      expect(current.pageInfo.startCursor).toBe(current.edges[0].cursor);
      expect(current.pageInfo.endCursor).toBe(current.edges.at(-1)!.cursor);
      seen.push(...current.edges.map((edge) => edge.node.id));
      if (!current.pageInfo.hasNextPage) break;
      if (pageNumber > 7) throw new Error('the pages never end');
      after = current.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  test.each(SORTS)('last/before walks the whole list backwards by $sortField $sortDirection', async (sort) => {
    const expected = await wholeList(sort);
    const pages: string[][] = [];
    let before: string | null = null;
    for (let pageNumber = 0; ; pageNumber++) {
      const current = await connection({ ...sort, last: 3, before });
      expect(current.pageInfo.hasNextPage).toBe(pageNumber > 0);
      pages.unshift(current.edges.map((edge) => edge.node.id));
      if (!current.pageInfo.hasPreviousPage) break;
      if (pageNumber > 7) throw new Error('the pages never end');
      before = current.pageInfo.startCursor;
    }
    expect(pages.flat()).toEqual(expected);
    expect(pages.map((ids) => ids.length)).toEqual([1, 3, 3]);
  });

  test('after and before together give the invites between them; first and last together follow the spec (first, then last)', async () => {
    const all = await connection({ sortField: 'EMAIL', sortDirection: 'ASC', first: 5 });
    const ids = all.edges.map((edge) => edge.node.id);
    const between = await connection({
      sortField: 'EMAIL',
      sortDirection: 'ASC',
      first: 5,
      after: all.edges[0].cursor,
      before: all.edges[4].cursor,
    });
    expect(between.edges.map((edge) => edge.node.id)).toEqual(ids.slice(1, 4));
    expect(between.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const both = await connection({ sortField: 'EMAIL', sortDirection: 'ASC', first: 4, last: 2 });
    expect(both.edges.map((edge) => edge.node.id)).toEqual(ids.slice(2, 4));
    expect(both.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
  });

  test('first: 0 answers no edges, the count, and whether invites lie ahead', async () => {
    const none = await connection({ first: 0 });
    expect(none).toEqual({
      totalCount: 7,
      edges: [],
      pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  test('an empty organization answers an empty connection', async () => {
    expect(await connection({ orgId: DEMO_EMPTY_ORG_ID, first: 5 })).toEqual({
      totalCount: 0,
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
    expect(await connection({ orgId: DEMO_EMPTY_ORG_ID, last: 5 })).toMatchObject({ totalCount: 0, edges: [] });
  });

  test('totalCount is the filtered count, and the filter reaches the upstream', async () => {
    const filtered = await connection({
      filterField: 'EMAIL',
      filter: '*@example.org',
      sortField: 'EMAIL',
      sortDirection: 'ASC',
      first: 2,
    });
    expect(filtered.totalCount).toBe(3);
    expect(filtered.edges.map((edge) => edge.node.email)).toEqual(['dennis@example.org', 'ken@example.org']);
    expect(filtered.pageInfo.hasNextPage).toBe(true);
    expect(stack.simulator.requests[0].query).toMatchObject({ filterField: 'email', filter: '*@example.org' });
  });

  test('an invite revoked at the cursor and one added before it: the next page neither repeats nor skips', async () => {
    const org = { orgId: DEMO_SECOND_ORG_ID, sortField: 'EMAIL', sortDirection: 'ASC' };
    const first = await connection({ ...org, first: 2 });
    expect(first.edges.map((edge) => edge.node.email)).toEqual(['alan@example.net', 'edsger@example.net']);
    stack.simulator.store.remove(DEMO_INSTANCE_ID, DEMO_SECOND_ORG_ID, first.edges[1].node.id);
    stack.simulator.store.add(DEMO_INSTANCE_ID, DEMO_SECOND_ORG_ID, { email: 'aaron@example.net', role: 'view' });
    try {
      const next = await connection({ ...org, first: 2, after: first.pageInfo.endCursor });
      expect(next.edges.map((edge) => edge.node.email)).toEqual(['tony@example.net']);
      expect(next.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      expect(next.totalCount).toBe(3);
    } finally {
      const added = stack.simulator.store
        .invites(DEMO_INSTANCE_ID, DEMO_SECOND_ORG_ID)!
        .find((invite) => invite.email === 'aaron@example.net')!;
      stack.simulator.store.remove(DEMO_INSTANCE_ID, DEMO_SECOND_ORG_ID, added.id);
      stack.simulator.store.add(DEMO_INSTANCE_ID, DEMO_SECOND_ORG_ID, { email: 'edsger@example.net', role: 'view' });
    }
  });
});

describe('one upstream call, and the response budget', () => {
  test('orgInvites, orgInvitesConnection and InstanceOrg.invitesConnection of one list make one upstream call', async () => {
    const result = await graphql<{
      orgInvites: { count: number };
      orgInvitesConnection: Connection;
      instanceOrg: { invitesConnection: Connection };
    }>(
      stack.graphqlUrl,
      `
        query ($instanceId: ID!, $orgId: ID!) {
          orgInvites(instanceId: $instanceId, orgId: $orgId) {
            count
          }
          orgInvitesConnection(instanceId: $instanceId, orgId: $orgId, first: 1) {
            totalCount
            edges {
              node {
                id
              }
            }
          }
          instanceOrg(instanceId: $instanceId, orgId: $orgId) {
            invitesConnection(last: 1) {
              totalCount
              edges {
                node {
                  id
                }
              }
            }
          }
        }
      `,
      { variables: { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_SECOND_ORG_ID } },
    );
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data!.orgInvites.count).toBe(3);
    expect(result.body.data!.orgInvitesConnection.totalCount).toBe(3);
    expect(result.body.data!.instanceOrg.invitesConnection.edges).toHaveLength(1);
    expect(stack.simulator.callsTo('GET')).toHaveLength(1);
  });

  test('only the page counts against MAX_RESPONSE_ITEMS (8): two pages of 4 of a 7-invite list are answered, a third is not', async () => {
    const pages = (count: number) =>
      graphql<Record<string, Connection>>(
        stack.graphqlUrl,
        `query($instanceId: ID!, $orgId: ID!) {
          ${Array.from({ length: count }, (_, index) => `p${index}: orgInvitesConnection(instanceId: $instanceId, orgId: $orgId, first: ${4 - index}) { edges { node { id } } }`).join('\n')}
        }`,
        { variables: DEMO_ORG },
      );
    const two = await pages(2);
    expect(two.body.errors).toBeUndefined();
    expect([two.body.data!.p0.edges.length, two.body.data!.p1.edges.length]).toEqual([4, 3]);
    const three = await pages(3);
    expect(errorCodes(three)).toContain('RESPONSE_TOO_LARGE');
  });
});

describe('refused arguments: BAD_USER_INPUT naming the argument, before any upstream call', () => {
  async function refusal(variables: Record<string, unknown>): Promise<{ argumentPath: unknown; message: string }> {
    const result = await page(variables);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.body.data).toEqual({ orgInvitesConnection: null });
    expect(stack.simulator.requests).toHaveLength(0);
    const error = result.body.errors![0];
    return { argumentPath: error.extensions?.argumentPath, message: error.message };
  }

  test('first and last must lie between 0 and MAX_PAGE_SIZE, and one of them is required', async () => {
    expect(await refusal({ first: -1 })).toMatchObject({
      argumentPath: 'first',
      message: expect.stringMatching(/between 0 and 5 \(MAX_PAGE_SIZE\)/),
    });
    expect(await refusal({ first: 6 })).toMatchObject({ argumentPath: 'first' });
    expect(await refusal({ last: 6 })).toMatchObject({ argumentPath: 'last' });
    expect(await refusal({ last: -3 })).toMatchObject({ argumentPath: 'last' });
    expect(await refusal({})).toMatchObject({ argumentPath: 'first', message: expect.stringMatching(/give first .* or last/) });
    expect(await refusal({ after: 'x' })).toMatchObject({ argumentPath: 'first' });
  });

  test('malformed, forged and overlong cursors', async () => {
    const good = (await connection({ first: 1 })).pageInfo.endCursor!;
    const encode = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');
    const [version, list, key, id] = JSON.parse(Buffer.from(good, 'base64url').toString()) as [number, string, number, string];
    stack.simulator.requests.length = 0;
    const forged = [
      'not a cursor!',
      '',
      good.slice(0, -3),
      encode({ version, list, key, id }),
      encode([version, list, key]),
      encode([version + 1, list, key, id]),
      encode([version, list, String(key), id]),
      encode([version, list, 1.5, id]),
      encode([version, list, key, 'not-an-id']),
      encode([version, list, key, id, 'extra']),
      'A'.repeat(9_000),
    ];
    for (const cursor of forged) {
      expect(await refusal({ first: 2, after: cursor })).toMatchObject({ argumentPath: 'after' });
      expect(await refusal({ last: 2, before: cursor })).toMatchObject({ argumentPath: 'before' });
    }
    // Refused by its length alone, before it is decoded.
    expect((await refusal({ first: 2, after: encode([version, list, 'k'.repeat(7_000), id]) })).message).toMatch(/longer than any cursor/);
    // A cursor made by hand with a well-formed position just names a position: it is served.
    expect((await connection({ first: 2, after: encode([version, list, key - 1, id]) })).totalCount).toBe(7);
  });

  test('a cursor of another sort, direction, filter or organization is refused, not reinterpreted', async () => {
    const byEmail = (await connection({ sortField: 'EMAIL', sortDirection: 'ASC', first: 1 })).pageInfo.endCursor;
    const byDate = (await connection({ first: 1 })).pageInfo.endCursor;
    const filtered = (await connection({ filterField: 'ROLE', filter: 'view', first: 1 })).pageInfo.endCursor;
    const otherOrg = (await connection({ orgId: DEMO_SECOND_ORG_ID, first: 1 })).pageInfo.endCursor;
    stack.simulator.requests.length = 0;
    const refused = [
      { sortField: 'EMAIL', sortDirection: 'DESC', after: byEmail },
      { sortField: 'ROLE', sortDirection: 'ASC', after: byEmail },
      { sortField: 'EMAIL', sortDirection: 'ASC', filterField: 'EMAIL', filter: '*', after: byEmail },
      { after: byEmail },
      { after: filtered },
      { filterField: 'ROLE', filter: 'edit', after: filtered },
      { after: otherOrg },
    ];
    for (const variables of refused) {
      expect(await refusal({ first: 2, ...variables })).toMatchObject({
        argumentPath: 'after',
        message: expect.stringMatching(/another organization, sort or filter/),
      });
    }
    // The same list again, a blank filter being no filter: accepted.
    expect((await connection({ first: 2, after: byDate, filterField: 'EMAIL', filter: ' ' })).edges).toHaveLength(2);
  });
});
