import { createHash } from 'node:crypto';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, type DocumentNode } from '@apollo/client/core';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { parse, print } from 'graphql';
import { InviteMemberDocument, ListOrgInvitesDocument, OrgRole, OrgWithInvitesDocument } from '../../client/index';
import manifest from '../../schema/trusted-documents.json';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS, startStack, type TestStack } from '../support/stack';

/*
 * TRUSTED_DOCUMENTS in each mode, through Apollo Client's persisted-query link as a frontend sets
 * it up (`sha256` over the text it sends) and through `documentId`, against a real gateway serving
 * the committed manifest, schema/trusted-documents.json.
 */

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const variables = { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID };
/** A valid document that is not in the manifest. */
const UNTRUSTED = parse(`query Untrusted($instanceId: ID!, $orgId: ID!) { orgInvites(instanceId: $instanceId, orgId: $orgId) { count } }`);
/** The manifest id of the committed ListOrgInvites document, as `print` writes it. */
const LIST_ID = `sha256:${sha256(print(ListOrgInvitesDocument))}`;

interface Sent {
  readonly method: string;
  /** The JSON body of a POST, or the query-string fields of a GET. */
  readonly fields: Record<string, unknown>;
}

/** Apollo Client with the persisted-query link in front of its HTTP link; `sent` records each request. */
function apolloClient(graphqlUrl: string, options: { useGETForHashedQueries?: boolean } = {}) {
  const sent: Sent[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const method = init?.method ?? 'GET';
    // Apollo Client sends its POST bodies as JSON text and its GETs to a string URL.
    const body = typeof init?.body === 'string' ? init.body : '';
    const url = input instanceof Request ? input.url : input.toString();
    const fields = method === 'POST' ? (JSON.parse(body) as Record<string, unknown>) : Object.fromEntries(new URL(url).searchParams);
    sent.push({ method, fields });
    return fetch(input, init);
  };
  const client = new ApolloClient({
    cache: new InMemoryCache(),
    link: ApolloLink.from([
      new PersistedQueryLink({ sha256, useGETForHashedQueries: options.useGETForHashedQueries ?? false }),
      new HttpLink({
        uri: graphqlUrl,
        fetch: recordingFetch,
        headers: { authorization: `Bearer ${DEMO_TOKENS.admin}`, 'apollo-require-preflight': 'true' },
      }),
    ]),
  });
  return { client, sent };
}

/** Runs a query through the client and answers its data, or the codes of the errors it failed with. */
async function run(client: ApolloClient, query: DocumentNode): Promise<{ data?: unknown; codes?: unknown[] }> {
  try {
    const { data } = await client.query({ query, variables, fetchPolicy: 'network-only' });
    return { data };
  } catch (error) {
    const errors = (error as { errors?: Array<{ extensions?: { code?: unknown } }> }).errors;
    if (!errors) throw error;
    return { codes: errors.map((e) => e.extensions?.code) };
  }
}

/** One POST (or GET, with `search`) without a client library. */
async function send(
  url: string,
  body: unknown,
  accept = 'application/graphql-response+json',
): Promise<{ status: number; json: { data?: unknown; errors?: Array<{ extensions?: { code?: unknown } }> } }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${DEMO_TOKENS.admin}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as never };
}

const codes = (json: { errors?: Array<{ extensions?: { code?: unknown } }> }): unknown[] =>
  (json.errors ?? []).map((e) => e.extensions?.code);
const listed = (data: unknown): unknown => (data as { orgInvites?: { orgId?: unknown } } | undefined)?.orgInvites?.orgId;

test('the manifest holds the committed documents under the id a frontend sends for each', () => {
  expect(Object.keys(manifest)).toContain(LIST_ID);
});

describe('TRUSTED_DOCUMENTS=only', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ env: { TRUSTED_DOCUMENTS: 'only', MAX_BATCH_SIZE: '2' } });
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    stack.simulator.requests.length = 0;
  });

  test("a manifest operation runs from the persisted-query link's first request, which carries only the hash", async () => {
    const { client, sent } = apolloClient(stack.graphqlUrl);
    expect(listed((await run(client, ListOrgInvitesDocument)).data)).toBe(DEMO_ORG_ID);
    expect(sent).toHaveLength(1);
    expect(sent[0].fields.query).toBeUndefined();
    expect(sent[0].fields.extensions).toMatchObject({
      persistedQuery: { version: 1, sha256Hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
  });

  // Each of these tests runs a document no other test here sends, so none can lean on a hash an
  // earlier one registered (which only a gateway that fell back to APQ would have).
  test('hashes go in the query string too (useGETForHashedQueries)', async () => {
    const { client, sent } = apolloClient(stack.graphqlUrl, { useGETForHashedQueries: true });
    const { data } = await run(client, OrgWithInvitesDocument);
    expect((data as { instanceOrg?: { orgId?: unknown } }).instanceOrg?.orgId).toBe(DEMO_ORG_ID);
    expect(sent.map((request) => [request.method, request.fields.query])).toEqual([['GET', undefined]]);
  });

  test('a manifest mutation runs by hash and reaches the upstream', async () => {
    const { client, sent } = apolloClient(stack.graphqlUrl);
    const email = `trusted-${Date.now()}@example.com`;
    const { data } = await client.mutate({
      mutation: InviteMemberDocument,
      variables: { ...variables, invite: { email, role: OrgRole.VIEW } },
    });
    expect(data?.inviteMember?.invite?.email).toBe(email);
    expect(sent).toHaveLength(1);
    expect(stack.simulator.requests.some((request) => request.method === 'POST')).toBe(true);
  });

  test.each([
    ['prefixed', LIST_ID],
    ['bare', LIST_ID.slice('sha256:'.length)],
  ])('a manifest operation runs by documentId (%s)', async (_form, documentId) => {
    const { status, json } = await send(stack.graphqlUrl, { documentId, variables });
    expect(status).toBe(200);
    expect(listed(json.data)).toBe(DEMO_ORG_ID);
  });

  test('a manifest operation runs by documentId in a GET', async () => {
    const search = new URLSearchParams({ documentId: LIST_ID, variables: JSON.stringify(variables) });
    const response = await fetch(`${stack.graphqlUrl}?${search}`, {
      headers: { authorization: `Bearer ${DEMO_TOKENS.admin}`, 'apollo-require-preflight': 'true' },
    });
    expect(listed(((await response.json()) as { data?: unknown }).data)).toBe(DEMO_ORG_ID);
  });

  test('a manifest document sent in full, byte for byte, runs', async () => {
    const { json } = await send(stack.graphqlUrl, { query: print(ListOrgInvitesDocument), variables });
    expect(listed(json.data)).toBe(DEMO_ORG_ID);
  });

  test('any other document is refused with DOCUMENT_NOT_TRUSTED, and the link does not fall back to sending it', async () => {
    const { client, sent } = apolloClient(stack.graphqlUrl);
    expect(await run(client, UNTRUSTED)).toEqual({ codes: ['DOCUMENT_NOT_TRUSTED'] });
    expect(sent).toHaveLength(1);
    expect(stack.simulator.requests).toHaveLength(0);
  });

  test('a document sent in full is refused before it is parsed: broken syntax gets DOCUMENT_NOT_TRUSTED, not GRAPHQL_PARSE_FAILED', async () => {
    for (const query of [print(UNTRUSTED), '{', `${print(ListOrgInvitesDocument)} `]) {
      const { status, json } = await send(stack.graphqlUrl, { query, variables });
      expect(status).toBe(400);
      expect(codes(json)).toEqual(['DOCUMENT_NOT_TRUSTED']);
    }
    // Under plain application/json, as Apollo answers a document it cannot run: 200, error in the body.
    const { status, json } = await send(stack.graphqlUrl, { query: '{' }, 'application/json');
    expect([status, codes(json)]).toEqual([200, ['DOCUMENT_NOT_TRUSTED']]);
    expect(stack.simulator.requests).toHaveLength(0);
  });

  test.each([
    ['a hash', { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(print(UNTRUSTED)) } } }],
    ['a documentId', { documentId: `sha256:${sha256(print(UNTRUSTED))}` }],
    ['a malformed hash', { extensions: { persistedQuery: { version: 1, sha256Hash: 42 } } }],
  ])('%s the manifest lacks is refused', async (_kind, body) => {
    const { json } = await send(stack.graphqlUrl, { ...body, variables });
    expect(codes(json)).toEqual(['DOCUMENT_NOT_TRUSTED']);
  });

  test('a GET with an untrusted document is refused', async () => {
    const response = await fetch(`${stack.graphqlUrl}?${new URLSearchParams({ query: '{ __typename }' })}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(codes((await response.json()) as never)).toEqual(['DOCUMENT_NOT_TRUSTED']);
  });

  test('a batch runs only when every operation in it is trusted', async () => {
    const trusted = { documentId: LIST_ID, variables };
    const both = await send(stack.graphqlUrl, [trusted, trusted]);
    expect((both.json as unknown as Array<{ data?: unknown }>).map((result) => listed(result.data))).toEqual([DEMO_ORG_ID, DEMO_ORG_ID]);
    stack.simulator.requests.length = 0;
    const mixed = await send(stack.graphqlUrl, [trusted, { query: '{ __typename }' }]);
    expect(codes(mixed.json)).toEqual(['DOCUMENT_NOT_TRUSTED']);
    expect(stack.simulator.requests).toHaveLength(0);
  });
});

describe('TRUSTED_DOCUMENTS=allow', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ env: { TRUSTED_DOCUMENTS: 'allow' } });
  });
  afterAll(() => stack.close());

  test("a manifest operation runs from the link's first request", async () => {
    const { client, sent } = apolloClient(stack.graphqlUrl);
    expect(listed((await run(client, ListOrgInvitesDocument)).data)).toBe(DEMO_ORG_ID);
    expect(sent).toHaveLength(1);
  });

  test('any other document runs too, through automatic persisted queries as before', async () => {
    const { client, sent } = apolloClient(stack.graphqlUrl);
    expect(await run(client, UNTRUSTED)).toEqual({
      data: { orgInvites: { __typename: 'OrgInviteCollection', count: expect.any(Number) } },
    });
    expect(sent.map((request) => request.fields.query === undefined)).toEqual([true, false]);
  });

  test('documentId runs a manifest document; one the manifest lacks is PERSISTED_QUERY_NOT_FOUND', async () => {
    expect(listed((await send(stack.graphqlUrl, { documentId: LIST_ID, variables })).json.data)).toBe(DEMO_ORG_ID);
    expect(codes((await send(stack.graphqlUrl, { documentId: `sha256:${'0'.repeat(64)}`, variables })).json)).toEqual([
      'PERSISTED_QUERY_NOT_FOUND',
    ]);
  });
});

describe('TRUSTED_DOCUMENTS=off (the default)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  test('the link works as automatic persisted queries always did: the manifest is not consulted', async () => {
    const { client, sent } = apolloClient(stack.graphqlUrl);
    expect(listed((await run(client, ListOrgInvitesDocument)).data)).toBe(DEMO_ORG_ID);
    // The hash alone is not found, then the document is sent and registered, then the hash alone runs.
    expect(sent.map((request) => request.fields.query === undefined)).toEqual([true, false]);
    expect(listed((await run(client, ListOrgInvitesDocument)).data)).toBe(DEMO_ORG_ID);
    expect(sent.map((request) => request.fields.query === undefined)).toEqual([true, false, true]);
    expect(await run(client, UNTRUSTED)).toMatchObject({ data: { orgInvites: { count: expect.any(Number) } } });
  });

  test('documentId means nothing: the request has no document', async () => {
    const { json } = await send(stack.graphqlUrl, { documentId: LIST_ID, variables });
    expect(codes(json)).toEqual(['BAD_REQUEST']);
  });
});
