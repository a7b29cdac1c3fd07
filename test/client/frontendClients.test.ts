import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache } from '@apollo/client';
import { cacheExchange, Client as UrqlClient, fetchExchange, type OperationResult } from '@urql/core';
import type { DocumentNode } from 'graphql';
import { ClientError, GraphQLClient } from 'graphql-request';
import {
  InviteMemberDocument,
  ListOrgInvitesDocument,
  OrgInviteDocument,
  OrgWithInvitesDocument,
  ResendInviteDocument,
  RevokeInviteDocument,
  type TypedDocumentNode,
} from '../../client/index';
import { DEMO_EMPTY_ORG_ID, DEMO_INSTANCE_ID, DEMO_SECOND_ORG_ID, DEMO_TOKENS, startStack, type TestStack } from '../support/stack';

/*
 * The committed operations (schema/operations, typed in client/generated) sent by the GraphQL
 * clients frontend teams ship, set up as docs/frontend.md shows, against a real gateway: urql
 * (@urql/core, both of its documented set-ups), Apollo Client (4, whose main entry is the core,
 * without React) and graphql-request. Each infers data and variable types from the generated
 * documents, reads the data, and hands the gateway's error codes to the application in
 * `extensions.code`.
 */

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack.close();
});

const AUTHORIZATION = `Bearer ${DEMO_TOKENS.admin}`;
const UNKNOWN_ORG_ID = 'ffffffffffffffffffffffff';

/** What a client hands the application: the data, and the code of each GraphQL error. */
interface Outcome<TData> {
  readonly data: TData | null | undefined;
  readonly codes: readonly unknown[];
}

type Variables = Record<string, unknown>;

/** One client as a frontend uses it, reduced to the calls the cases make. */
interface FrontendClient {
  query<TData, TVariables extends Variables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
  ): Promise<Outcome<TData>>;
  mutate<TData, TVariables extends Variables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
  ): Promise<Outcome<TData>>;
  /** The HTTP methods of the requests it sent to the gateway, in order. */
  readonly methods: string[];
}

/** `fetch` that notes each request's method: the clients' own, only observed. */
function recordingFetch(methods: string[]): typeof fetch {
  return (input, init) => {
    methods.push(init?.method ?? 'GET');
    return fetch(input, init);
  };
}

/** urql's result: GraphQL errors in `error.graphQLErrors`; a network error with none of them fails the case. */
function fromUrql<TData>(result: OperationResult<TData>): Outcome<TData> {
  if (result.error && result.error.graphQLErrors.length === 0) throw result.error;
  return { data: result.data, codes: (result.error?.graphQLErrors ?? []).map((error) => error.extensions?.code) };
}

/** urql as created in docs/frontend.md; `extra` holds the option each set-up adds. */
function urql(extra: { preferGetMethod?: false; headers?: Record<string, string> }): FrontendClient {
  const methods: string[] = [];
  const client = new UrqlClient({
    url: stack.graphqlUrl,
    exchanges: [cacheExchange, fetchExchange],
    ...(extra.preferGetMethod === false ? { preferGetMethod: false } : {}),
    fetchOptions: () => ({ headers: { authorization: AUTHORIZATION, ...extra.headers } }),
    fetch: recordingFetch(methods),
  });
  return {
    methods,
    query: async (document, variables) => fromUrql(await client.query(document, variables).toPromise()),
    mutate: async (document, variables) => fromUrql(await client.mutation(document, variables).toPromise()),
  };
}

/** Apollo Client rejects on GraphQL errors (its default errorPolicy, "none") with a CombinedGraphQLErrors. */
async function fromApollo<TData>(run: () => Promise<TData | null | undefined>): Promise<Outcome<TData>> {
  try {
    return { data: await run(), codes: [] };
  } catch (error) {
    if (!CombinedGraphQLErrors.is(error)) throw error;
    return { data: error.data as TData | null | undefined, codes: error.errors.map((entry) => entry.extensions?.code) };
  }
}

/*
 * The wrappers below take any typed document, so inside them the document is a plain one and
 * the data is cast back to the document's type: each client's own call resolves its types from a
 * concrete document only. That the clients infer the types from the generated documents is
 * checked on concrete documents at the end of this file.
 */

function apolloClient(): FrontendClient {
  const methods: string[] = [];
  const client = new ApolloClient({
    link: new HttpLink({ uri: stack.graphqlUrl, headers: { authorization: AUTHORIZATION }, fetch: recordingFetch(methods) }),
    cache: new InMemoryCache(),
  });
  return {
    methods,
    query<TData, TVariables extends Variables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables) {
      return fromApollo(async () => (await client.query({ query: document, variables })).data);
    },
    mutate<TData, TVariables extends Variables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables) {
      return fromApollo(async () => (await client.mutate({ mutation: document, variables })).data);
    },
  };
}

/** graphql-request rejects on GraphQL errors with a ClientError holding the response. */
async function fromGraphQLRequest<TData>(run: () => Promise<TData>): Promise<Outcome<TData>> {
  try {
    return { data: await run(), codes: [] };
  } catch (error) {
    if (!(error instanceof ClientError)) throw error;
    return { data: error.response.data as TData | undefined, codes: (error.response.errors ?? []).map((entry) => entry.extensions?.code) };
  }
}

function graphqlRequest(): FrontendClient {
  const methods: string[] = [];
  const client = new GraphQLClient(stack.graphqlUrl, { headers: { authorization: AUTHORIZATION }, fetch: recordingFetch(methods) });
  const request = <TData>(document: DocumentNode, variables: Variables) =>
    fromGraphQLRequest(async () => (await client.request<unknown>(document, variables)) as TData);
  return {
    methods,
    query: <TData, TVariables extends Variables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables) =>
      request<TData>(document, variables),
    mutate: <TData, TVariables extends Variables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables) =>
      request<TData>(document, variables),
  };
}

const CLIENTS: Array<[name: string, slug: string, create: () => FrontendClient, queryMethod: string]> = [
  [
    'urql, GET with the apollo-require-preflight header',
    'urql-get',
    () => urql({ headers: { 'apollo-require-preflight': 'true' } }),
    'GET',
  ],
  ['urql, preferGetMethod: false', 'urql-post', () => urql({ preferGetMethod: false }), 'POST'],
  ['Apollo Client', 'apollo', apolloClient, 'POST'],
  ['graphql-request', 'graphql-request', graphqlRequest, 'POST'],
];

describe.each(CLIENTS)('%s', (_name, slug, create, queryMethod) => {
  let client: FrontendClient;
  beforeAll(() => {
    client = create();
  });

  test('ListOrgInvites answers the sorted invites', async () => {
    const { data, codes } = await client.query(ListOrgInvitesDocument, {
      instanceId: DEMO_INSTANCE_ID,
      orgId: DEMO_SECOND_ORG_ID,
      sortField: 'EMAIL',
      sortDirection: 'ASC',
    });
    expect(codes).toEqual([]);
    expect(data?.orgInvites?.count).toBe(3);
    expect(data?.orgInvites?.items.map((invite) => invite.email)).toEqual(['alan@example.net', 'edsger@example.net', 'tony@example.net']);
    expect(client.methods.at(-1)).toBe(queryMethod);
  });

  test('OrgWithInvites answers the organization and its invites', async () => {
    const { data, codes } = await client.query(OrgWithInvitesDocument, {
      instanceId: DEMO_INSTANCE_ID,
      orgId: DEMO_SECOND_ORG_ID,
      filterField: 'ROLE',
      filter: 'view',
    });
    expect(codes).toEqual([]);
    expect(data?.instanceOrg?.orgId).toBe(DEMO_SECOND_ORG_ID);
    expect(data?.instanceOrg?.invites?.filterField).toBe('ROLE');
    expect(data?.instanceOrg?.invites?.items.every((invite) => invite.role === 'VIEW')).toBe(true);
  });

  test('InviteMember, OrgInvite, ResendInvite and RevokeInvite: an invite from creation to revocation', async () => {
    const org = { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_EMPTY_ORG_ID };
    const email = `${slug}@frontend.example`;

    const invited = await client.mutate(InviteMemberDocument, { ...org, invite: { email, role: 'VIEW' } });
    expect(invited.codes).toEqual([]);
    const inviteId = invited.data?.inviteMember?.invite?.id;
    if (!inviteId) throw new Error(`no invite in ${JSON.stringify(invited)}`);
    expect(invited.data?.inviteMember?.invites?.items.map((invite) => invite.email)).toContain(email);
    expect(client.methods.at(-1)).toBe('POST');

    const read = await client.query(OrgInviteDocument, { ...org, inviteId });
    expect(read.codes).toEqual([]);
    expect(read.data?.orgInvite).toMatchObject({ id: inviteId, email, role: 'VIEW', status: 'PENDING' });

    const resent = await client.mutate(ResendInviteDocument, { ...org, inviteId, roles: { role: 'EDIT' } });
    expect(resent.codes).toEqual([]);
    expect(resent.data?.resendInvite?.invite).toMatchObject({ id: inviteId, role: 'EDIT' });

    const revoked = await client.mutate(RevokeInviteDocument, { ...org, inviteId });
    expect(revoked.codes).toEqual([]);
    expect(revoked.data?.revokeInvite?.success).toBe(true);
    expect(revoked.data?.revokeInvite?.query.orgInvites?.items.map((invite) => invite.id)).not.toContain(inviteId);
  });

  test('an unknown organization reaches the application as NOT_FOUND', async () => {
    const { codes } = await client.query(ListOrgInvitesDocument, { instanceId: DEMO_INSTANCE_ID, orgId: UNKNOWN_ORG_ID });
    expect(codes).toEqual(['NOT_FOUND']);
  });

  test('a malformed id reaches the application as BAD_USER_INPUT', async () => {
    const { codes } = await client.query(OrgInviteDocument, { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_SECOND_ORG_ID, inviteId: 'nope' });
    expect(codes).toEqual(['BAD_USER_INPUT']);
  });
});

describe('urql with its defaults', () => {
  test('sends queries as GET without a content type, which CSRF prevention refuses with BAD_REQUEST before any upstream call', async () => {
    const methods: string[] = [];
    const client = new UrqlClient({
      url: stack.graphqlUrl,
      exchanges: [cacheExchange, fetchExchange],
      fetchOptions: { headers: { authorization: AUTHORIZATION } },
      fetch: recordingFetch(methods),
    });
    stack.simulator.requests.length = 0;
    const result = await client.query(ListOrgInvitesDocument, { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_SECOND_ORG_ID }).toPromise();

    expect(methods).toEqual(['GET']);
    expect(result.data).toBeUndefined();
    expect((result.error?.response as Response | undefined)?.status).toBe(400);
    expect(result.error?.graphQLErrors.map((error) => error.extensions?.code)).toEqual(['BAD_REQUEST']);
    // The message says what to add.
    expect(result.error?.graphQLErrors[0].message).toMatch(/Cross-Site Request Forgery \(CSRF\).*apollo-require-preflight/);
    expect(stack.simulator.requests).toHaveLength(0);
  });

  test('the same query goes through once the preflight header is added', async () => {
    const client = new UrqlClient({
      url: stack.graphqlUrl,
      exchanges: [cacheExchange, fetchExchange],
      fetchOptions: { headers: { authorization: AUTHORIZATION, 'apollo-require-preflight': 'true' } },
    });
    const result = await client.query(ListOrgInvitesDocument, { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_SECOND_ORG_ID }).toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data?.orgInvites?.count).toBe(3);
  });
});

test('each client infers result and variable types from the generated documents', async () => {
  const variables = { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_SECOND_ORG_ID };
  const urqlClient = new UrqlClient({
    url: stack.graphqlUrl,
    exchanges: [fetchExchange],
    preferGetMethod: false,
    fetchOptions: { headers: { authorization: AUTHORIZATION } },
  });
  const apollo = new ApolloClient({
    link: new HttpLink({ uri: stack.graphqlUrl, headers: { authorization: AUTHORIZATION } }),
    cache: new InMemoryCache(),
  });
  const request = new GraphQLClient(stack.graphqlUrl, { headers: { authorization: AUTHORIZATION } });

  const fromUrqlClient = await urqlClient.query(ListOrgInvitesDocument, variables).toPromise();
  const fromApolloClient = await apollo.query({ query: ListOrgInvitesDocument, variables });
  const fromRequest = await request.request(ListOrgInvitesDocument, variables);
  // Each line compiles only because the result has the generated ListOrgInvitesQuery type.
  const counts: Array<number | undefined> = [
    fromUrqlClient.data?.orgInvites?.count,
    fromApolloClient.data?.orgInvites?.count,
    fromRequest.orgInvites?.count,
  ];
  expect(counts).toEqual([3, 3, 3]);

  // Compiled, never called: the variables are checked against the document's.
  const wrongVariables = async (): Promise<void> => {
    // @ts-expect-error orgId is required
    await urqlClient.query(ListOrgInvitesDocument, { instanceId: DEMO_INSTANCE_ID });
    // @ts-expect-error sortField takes an InviteSortField
    await apollo.query({ query: ListOrgInvitesDocument, variables: { ...variables, sortField: 'NAME' } });
    // @ts-expect-error orgId is required
    await request.request(ListOrgInvitesDocument, { instanceId: DEMO_INSTANCE_ID });
  };
  void wrongVariables;
});
