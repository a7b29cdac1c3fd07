import { DocumentNode, FragmentSpreadNode, Kind, NameNode, parse, OperationDefinitionNode, validate, visit } from 'graphql';
import { buildGatewaySchema } from '../../src/graphql/buildGatewaySchema';
import { OperationLimitError } from '../../src/errors/gatewayErrors';
import { documentLimitRules } from '../../src/limits/documentLimits';
import { measureOperation, SATURATED } from '../../src/limits/measureOperation';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS, errorCodes, graphql, startStack, TestStack } from '../support/stack';

const ORG = `instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}"`;

/**
 * What the limits measure of a document's first operation: depth and aliases by the document rules, upstream calls by the operation
 * measure.
 */
async function measure(source: string | DocumentNode, variables: Record<string, unknown> = {}) {
  const schema = await buildGatewaySchema();
  const document = typeof source === 'string' ? parse(source) : source;
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  // With every maximum at 0, each rule reports what it found as `actual`.
  const found: Record<string, unknown> = { depth: 0, aliases: 0, directives: 0 };
  for (const error of validate(schema, document, documentLimitRules({ maxDepth: 0, maxAliases: 0, maxDirectives: 0 }))) {
    if (error instanceof OperationLimitError) found[String(error.extensions.limit)] = error.extensions.actual;
  }
  return { ...found, ...measureOperation(schema, document, operation, variables) };
}

describe('measureOperation', () => {
  test('depth counts field nesting, fragments expanded; introspection fields count like any other', async () => {
    expect(await measure(`{ orgInvites(${ORG}) { count } }`)).toMatchObject({ depth: 2, aliases: 0, upstreamCalls: 1 });
    expect(
      await measure(`{ orgInvites(${ORG}) { ...F } } fragment F on OrgInviteCollection { items { applicationRoles { role } } }`),
    ).toMatchObject({ depth: 4 });
    // Introspection was left out of the depth once; the type graph it walks is cyclic, so it counts.
    expect(await measure(`{ __schema { types { fields { type { ofType { ofType { name } } } } } } }`)).toMatchObject({
      depth: 7,
      upstreamCalls: 0,
      introspectionFields: 1,
    });
  });

  test('every upstream-calling field counts once per occurrence, before deduplication', async () => {
    const twice = `{ a: orgInvites(${ORG}) { count } b: orgInvites(${ORG}) { count } instanceOrg(${ORG}) { invites { count } } }`;
    expect(await measure(twice)).toMatchObject({ aliases: 2, upstreamCalls: 3 });
    const mutation = `mutation { inviteMember(${ORG}, invite: { email: "a@example.com", role: VIEW }) { query { orgInvites(${ORG}) { count } } } }`;
    expect(await measure(mutation)).toMatchObject({ upstreamCalls: 2 });
  });

  test('_entities counts each representation by its __typename, from the variables', async () => {
    const source = `query($r: [_Any!]!) { _entities(representations: $r) { ... on InstanceOrg { invites { count } } ... on OrgInvite { email } } }`;
    const orgs = Array.from({ length: 7 }, () => ({ __typename: 'InstanceOrg', instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID }));
    // 7 invites lists; the OrgInvite fragment does not apply to InstanceOrg representations.
    expect(await measure(source, { r: orgs })).toMatchObject({ upstreamCalls: 7 });
    // 7 invites lists, and 7 single-invite reads for the OrgInvite references.
    const invites = Array.from({ length: 7 }, (_, i) => ({
      __typename: 'OrgInvite',
      instanceId: DEMO_INSTANCE_ID,
      orgId: DEMO_ORG_ID,
      id: `${i}`.padStart(24, 'a'),
    }));
    expect(await measure(source, { r: [...orgs, ...invites] })).toMatchObject({ upstreamCalls: 14 });
    // A representation whose type cannot be read counts as every entity type at once.
    expect(await measure(source, { r: orgs.map(({ __typename: _dropped, ...key }) => key) })).toMatchObject({ upstreamCalls: 14 });
  });
});

describe('linear in the document', () => {
  /** `levels` fragments, each spreading the next twice, the last selecting `leaf`. */
  const fanOut = (levels: number, leaf: string) =>
    `query { ...F0 } ${Array.from({ length: levels - 1 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F${levels - 1} on Query { ${leaf} }`;

  /**
   * Counts the work of any walk over the document as the reads of its fragment spreads' names (how
   * a walk follows a spread), and stops one that reads a spread more than `perSpread` times on
   * average: an exponential walk fails at once, on any machine, rather than running for ever.
   */
  function countingSpreadReads(document: DocumentNode, perSpread: number): { readonly reads: () => number } {
    const spreads: FragmentSpreadNode[] = [];
    visit(document, { FragmentSpread: (node) => void spreads.push(node) });
    const budget = perSpread * spreads.length;
    let reads = 0;
    for (const spread of spreads) {
      const name: NameNode = spread.name;
      Object.defineProperty(spread, 'name', {
        enumerable: true,
        get() {
          if (++reads > budget)
            throw new Error(`over ${budget} reads of the document's ${spreads.length} fragment spreads: the walk is not linear`);
          return name;
        },
      });
    }
    return { reads: () => reads };
  }

  test('fragments that fan out are measured once each: counts are exact, then saturate, and the work is linear in the document', async () => {
    const exact = parse(fanOut(24, `a: orgInvites(${ORG}) { count @include(if: true) }`));
    const exactReads = countingSpreadReads(exact, 50);
    expect(await measure(exact)).toMatchObject({ depth: 2, aliases: 2 ** 23, directives: 2 ** 23, upstreamCalls: 2 ** 23 });
    // 2^79 walks would never end; the measure and the document rules follow each spread a few times.
    const saturated = parse(fanOut(80, `orgInvites(${ORG}) { count }`));
    const saturatedReads = countingSpreadReads(saturated, 50);
    expect(await measure(saturated)).toMatchObject({ depth: 2, upstreamCalls: SATURATED });
    // The counter saw the walks (a spread is followed by reading its name).
    expect(exactReads.reads()).toBeGreaterThan(0);
    expect(saturatedReads.reads()).toBeGreaterThan(0);
  });
});

describe('limits over HTTP, before any upstream call', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({
      env: {
        MAX_QUERY_DEPTH: '4',
        MAX_ALIASES: '3',
        MAX_DIRECTIVES: '2',
        MAX_INTROSPECTION_FIELDS: '1',
        MAX_TOKENS: '200',
        MAX_UPSTREAM_CALLS_PER_OPERATION: '3',
        MAX_BATCH_SIZE: '2',
        MAX_BODY_BYTES: '4096',
      },
    });
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    stack.simulator.requests.length = 0;
  });

  test.each([
    [
      'depth',
      `{ orgInvites(${ORG}) { items { applicationRoles { role } dashboardRoles { resourceId } } } instanceOrg(${ORG}) { invites { items { applicationRoles { role } } } } }`,
      4,
      5,
    ],
    [
      'aliases',
      `{ a: orgInvites(${ORG}) { count } b: orgInvites(${ORG}) { count } c: orgInvites(${ORG}) { count } d: instanceOrg(${ORG}) { orgId } }`,
      3,
      4,
    ],
    [
      'upstreamCalls',
      `{ orgInvites(${ORG}) { count } x: orgInvites(${ORG}, sortDirection: ASC) { count } instanceOrg(${ORG}) { invites { count } i: invites(sortField: EMAIL) { count } } }`,
      3,
      4,
    ],
    ['directives', `{ __typename @skip(if: false) orgInvites(${ORG}) @include(if: true) { count @include(if: true) } }`, 2, 3],
    ['introspectionFields', `{ __schema { queryType { name } } __type(name: "Query") { name } }`, 1, 2],
  ])('%s over the limit: OPERATION_LIMIT_EXCEEDED with max and actual, HTTP 400, nothing sent', async (limit, query, max, actual) => {
    const result = await graphql(stack.graphqlUrl, query, { accept: 'application/graphql-response+json' });
    expect(result.status).toBe(400);
    expect(errorCodes(result)).toEqual(['OPERATION_LIMIT_EXCEEDED']);
    expect(result.body.errors![0].extensions).toEqual({ code: 'OPERATION_LIMIT_EXCEEDED', limit, max, actual });
    expect(stack.simulator.requests).toHaveLength(0);
  });

  test.each([
    ['depth', `{ instanceOrg(${ORG}) { invites { items { applicationRoles { __typename } } } } }`, 4, 5],
    ['aliases', `{ a: __typename b: __typename c: __typename d: __typename }`, 3, 4],
  ])('__typename counts for %s like any other field', async (limit, query, max, actual) => {
    const result = await graphql(stack.graphqlUrl, query);
    expect(result.body.errors?.[0]?.extensions).toEqual({ code: 'OPERATION_LIMIT_EXCEEDED', limit, max, actual });
  });

  test('the operation-level refusals say what was counted and the limit', async () => {
    const messageOf = async (query: string) => (await graphql(stack.graphqlUrl, query)).body.errors?.[0]?.message;
    expect(await messageOf(`{ __schema { queryType { name } } __type(name: "Query") { name } }`)).toBe(
      'The operation has 2 __schema or __type fields; at most 1 are allowed',
    );
    expect(
      await messageOf(
        `{ orgInvites(${ORG}) { count } x: orgInvites(${ORG}, sortDirection: ASC) { count } instanceOrg(${ORG}) { invites { count } i: invites(sortField: EMAIL) { count } } }`,
      ),
    ).toBe('The operation could make 4 upstream calls; at most 3 are allowed');
  });

  test('a document over MAX_TOKENS: OPERATION_LIMIT_EXCEEDED without actual (parsing stops there), HTTP 400', async () => {
    const result = await graphql(stack.graphqlUrl, `{ ${'__typename '.repeat(201)}}`, { accept: 'application/graphql-response+json' });
    expect(result.status).toBe(400);
    expect(result.body.errors).toEqual([
      {
        message: 'The document has more than 200 tokens; parsing stopped there',
        extensions: { code: 'OPERATION_LIMIT_EXCEEDED', limit: 'tokens', max: 200 },
      },
    ]);
    expect(stack.simulator.requests).toHaveLength(0);
  });

  test('in a batch, the upstream calls of the operations add up against the limit', async () => {
    const two = { query: `{ orgInvites(${ORG}) { count } x: orgInvites(${ORG}, sortDirection: ASC) { count } }` };
    const response = await post([two, two]);
    const answers = (await response.json()) as Array<{
      data?: unknown;
      errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
    }>;
    const refused = answers.filter((answer) => answer.errors !== undefined);
    expect(refused).toHaveLength(1);
    expect(refused[0].errors![0].extensions).toEqual({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'upstreamCalls', max: 3, actual: 4 });
    expect(refused[0].errors![0]).toMatchObject({
      message: 'The request could make 4 upstream calls (2 by earlier operations of its batch); at most 3 are allowed',
    });
    expect(stack.simulator.requests).toHaveLength(2);
  });

  test('under application/json the same refusal is HTTP 200, errors in the body', async () => {
    const result = await graphql(
      stack.graphqlUrl,
      `{ a: orgInvites(${ORG}) { count } b: orgInvites(${ORG}) { count } c: orgInvites(${ORG}) { count } d: orgInvites(${ORG}) { count } }`,
      {
        accept: 'application/json',
      },
    );
    expect(result.status).toBe(200);
    expect(errorCodes(result)).toEqual(['OPERATION_LIMIT_EXCEEDED']);
  });

  test('an operation at every limit runs', async () => {
    const result = await graphql(
      stack.graphqlUrl,
      `{ a: orgInvites(${ORG}) { items { applicationRoles { role } } } b: orgInvites(${ORG}, sortDirection: ASC) { count } }`,
    );
    expect(result.body.errors).toBeUndefined();
  });

  async function post(body: unknown): Promise<Response> {
    return fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKENS.admin}` },
      body: JSON.stringify(body),
    });
  }

  test('batches up to MAX_BATCH_SIZE run; larger ones are REQUEST_TOO_LARGE (413)', async () => {
    const operation = { query: `{ orgInvites(${ORG}) { count } }` };
    const ok = await post([operation, operation]);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual([{ data: { orgInvites: { count: 7 } } }, { data: { orgInvites: { count: 7 } } }]);
    stack.simulator.requests.length = 0;
    const tooMany = await post([operation, operation, operation]);
    expect(tooMany.status).toBe(413);
    expect(await tooMany.json()).toMatchObject({ errors: [{ extensions: { code: 'REQUEST_TOO_LARGE' } }] });
    expect(stack.simulator.requests).toHaveLength(0);
  });

  test('a body over MAX_BODY_BYTES is REQUEST_TOO_LARGE (413)', async () => {
    const response = await post({ query: `{ orgInvites(${ORG}) { count } }`, padding: 'x'.repeat(5000) });
    expect(response.status).toBe(413);
    expect(stack.simulator.requests).toHaveLength(0);
  });
});

test('with batching off (the default) a batch is refused before any upstream call', async () => {
  const stack = await startStack();
  try {
    const response = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKENS.admin}` },
      body: JSON.stringify([{ query: `{ orgInvites(${ORG}) { count } }` }]),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    expect(stack.simulator.requests).toHaveLength(0);
  } finally {
    await stack.close();
  }
});
