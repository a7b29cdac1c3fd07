import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { Client as UrqlClient, fetchExchange } from '@urql/core';
import { cacheExchange as graphcacheExchange } from '@urql/exchange-graphcache';
import { relayPagination } from '@urql/exchange-graphcache/extras';
import { PageOrgInvitesDocument, type PageOrgInvitesQuery } from '../../client/index';
import { DEMO_INSTANCE_ID, DEMO_TOKENS, demoSeed, startStack, type TestStack } from '../support/stack';
import { LARGE_ORG_ID, largeOrgSeed } from '../support/largeOrg';

/*
 * Paging `orgInvitesConnection` the way frontends do, with the committed `PageOrgInvites`
 * operation: Apollo Client's `relayStylePagination()` and urql Graphcache's `relayPagination()`
 * merge the pages in their caches, each page asked with `after: endCursor`, over real HTTP to a
 * gateway on the simulator. The merged list must be the whole list, in order.
 */

const INVITES = 23;
const PAGE = 5;
const AUTHORIZATION = `Bearer ${DEMO_TOKENS.admin}`;
const LIST = { instanceId: DEMO_INSTANCE_ID, orgId: LARGE_ORG_ID, sortField: 'ROLE', sortDirection: 'DESC' } as const;

let stack: TestStack;
let wholeList: string[];

beforeAll(async () => {
  stack = await startStack({ simulator: { seed: [...demoSeed(new Date()), largeOrgSeed(INVITES)] } });
  const response = await fetch(stack.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: AUTHORIZATION },
    body: JSON.stringify({
      query:
        'query($instanceId: ID!, $orgId: ID!) { orgInvites(instanceId: $instanceId, orgId: $orgId, sortField: ROLE, sortDirection: DESC) { items { id } } }',
      variables: LIST,
    }),
  });
  wholeList = ((await response.json()) as { data: { orgInvites: { items: Array<{ id: string }> } } }).data.orgInvites.items.map(
    (item) => item.id,
  );
  expect(wholeList).toHaveLength(INVITES);
});

afterAll(async () => {
  await stack.close();
});

type Connection = NonNullable<PageOrgInvitesQuery['orgInvitesConnection']>;
const idsOf = (connection: Connection | null | undefined) => (connection?.edges ?? []).map((edge) => edge.node.id);

test('Apollo Client: fetchMore with after: endCursor, merged by relayStylePagination()', async () => {
  const client = new ApolloClient({
    link: new HttpLink({ uri: stack.graphqlUrl, headers: { authorization: AUTHORIZATION } }),
    cache: new InMemoryCache({
      typePolicies: {
        Query: {
          fields: {
            orgInvitesConnection: relayStylePagination(['instanceId', 'orgId', 'sortField', 'sortDirection', 'filterField', 'filter']),
          },
        },
      },
    }),
  });
  try {
    const watched = client.watchQuery({ query: PageOrgInvitesDocument, variables: { ...LIST, first: PAGE } });
    const subscription = watched.subscribe(() => undefined);
    try {
      const first = await watched.refetch();
      expect(idsOf(first.data?.orgInvitesConnection)).toEqual(wholeList.slice(0, PAGE));
      let pages = 1;
      let merged = first.data!.orgInvitesConnection!;
      while (merged.pageInfo.hasNextPage) {
        await watched.fetchMore({ variables: { after: merged.pageInfo.endCursor } });
        merged = client.readQuery({ query: PageOrgInvitesDocument, variables: { ...LIST, first: PAGE } })!.orgInvitesConnection!;
        pages++;
        if (pages > INVITES) throw new Error('the pages never end');
      }
      expect(pages).toBe(Math.ceil(INVITES / PAGE));
      expect(idsOf(merged)).toEqual(wholeList);
      expect(merged.totalCount).toBe(INVITES);
    } finally {
      subscription.unsubscribe();
    }
  } finally {
    client.stop();
  }
});

test('urql Graphcache: the next page with after: endCursor, merged by relayPagination()', async () => {
  const client = new UrqlClient({
    url: stack.graphqlUrl,
    preferGetMethod: false,
    exchanges: [
      graphcacheExchange({
        // Connections, edges and page infos have no id of their own: they live inside their parent.
        keys: { OrgInviteConnection: () => null, OrgInviteEdge: () => null, PageInfo: () => null, ResourceRoleGrant: () => null },
        resolvers: { Query: { orgInvitesConnection: relayPagination() } },
      }),
      fetchExchange,
    ],
    fetchOptions: () => ({ headers: { authorization: AUTHORIZATION } }),
  });
  let after: string | null = null;
  let merged: Connection | null | undefined;
  let pages = 0;
  do {
    const result = await client.query(PageOrgInvitesDocument, { ...LIST, first: PAGE, after }).toPromise();
    expect(result.error).toBeUndefined();
    merged = result.data?.orgInvitesConnection;
    pages++;
    // Each answer is every page so far, merged by the cache.
    expect(idsOf(merged)).toEqual(wholeList.slice(0, Math.min(INVITES, pages * PAGE)));
    after = merged?.pageInfo.endCursor ?? null;
    if (pages > INVITES) throw new Error('the pages never end');
  } while (merged?.pageInfo.hasNextPage);
  expect(pages).toBe(Math.ceil(INVITES / PAGE));
  expect(idsOf(merged)).toEqual(wholeList);
});
