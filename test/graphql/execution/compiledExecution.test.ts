/**
 * The compiled executor (graphql-jit, COMPILED_EXECUTION=true) against graphql-js's interpreter
 * (COMPILED_EXECUTION=false), over real HTTP: two gateways on one simulator, the same requests to
 * both, and the same answer expected from each (status, content type and body, key order
 * included) after the same upstream calls. Only correlation ids, random by design, are
 * normalised. Each case also states the error codes it expects, so that a case which stopped
 * exercising what it names fails too.
 *
 * Three cases here once showed graphql-jit answering differently (a mutation field run after an
 * earlier one failed, a shifted `_entities` list, `@skip(if: null)` skipping): those shapes now run
 * interpreted (see src/graphql/execution/compiledExecution.ts), and these cases keep them so.
 * One difference remains, reachable only through a bug (several items of one list the schema
 * cannot represent): its case states exactly what differs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { getIntrospectionQuery, parse, print, separateOperations } from 'graphql';
import type { OrgInviteCollectionDto } from '../../../src/contract/types';
import { HttpInvitesApi } from '../../../src/rest/HttpInvitesApi';
import type { Fault } from '../../../src/simulator/faults';
import { DEMO_ORG, LIST_INVITES } from '../../support/operations';
import {
  DEMO_EMPTY_ORG_ID,
  DEMO_INSTANCE_ID,
  DEMO_ORG_ID,
  DEMO_SECOND_ORG_ID,
  DEMO_TOKENS,
  demoSeed,
  startStack,
  startTestGateway,
  TestGateway,
  TestStack,
} from '../../support/stack';
import {
  domainArgument,
  filterArgument,
  filterFieldArgument,
  idArgument,
  sortDirectionArgument,
  sortFieldArgument,
  TokenChoice,
  tokenChoice,
  validInstanceId,
  validOrgId,
} from '../../properties/arbitraries';
import { authorizationFor } from '../../properties/harness';

jest.setTimeout(60_000);

// -----------------------------------------------------------------------------------------------
// Sending one request to a gateway, and what is compared
// -----------------------------------------------------------------------------------------------

interface GraphQLRequest {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  readonly operationName?: string;
  /** `Authorization` header to send; `undefined` sends none. */
  readonly authorization?: string;
  readonly accept?: string;
  /** Queued on the simulator before each gateway's turn, so every gateway meets the same upstream answer. */
  readonly fault?: Fault;
}

interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  /** The body, parsed and normalised: for a readable diff. */
  readonly body: unknown;
  /** The same, printed again: equal only when the keys come in the same order too. */
  readonly text: string;
  /**
   * The calls the simulator received while the request ran (`METHOD path query body`), sorted: concurrent calls may arrive in any order.
   */
  readonly upstream: readonly string[];
}

interface ErrorBody {
  message: string;
  extensions?: Record<string, unknown>;
}

const ADMIN = `Bearer ${DEMO_TOKENS.admin}`;
const READ_ONLY = `Bearer ${DEMO_TOKENS.readOnly}`;
const DEFAULT_ACCEPT = 'application/graphql-response+json, application/json';
const STRICT_ACCEPT = 'application/graphql-response+json';
const CORRELATION_ID = '<correlationId>';

/**
 * Replaces each error's correlation id (a fresh UUID per masked error, so never equal between two
 * answers) in its extensions and wherever its message repeats it. Nothing else is touched.
 */
function withoutCorrelationIds(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || !('errors' in body) || !Array.isArray(body.errors)) return body;
  const errors = (body.errors as ErrorBody[]).map((error) => {
    const id = error.extensions?.correlationId;
    if (typeof id !== 'string') return error;
    return {
      ...error,
      message: error.message.split(id).join(CORRELATION_ID),
      extensions: { ...error.extensions, correlationId: CORRELATION_ID },
    };
  });
  return { ...body, errors };
}

type Simulator = TestStack['simulator'];

/** What reached the upstream: enough to tell a call made by one executor and not the other; headers hold per-request ids. */
function describeCall(call: Simulator['requests'][number]): string {
  return `${call.method} ${call.path} ${JSON.stringify(call.query)} ${JSON.stringify(call.body ?? null)}`;
}

async function send(
  url: string,
  request: GraphQLRequest,
  simulator: Simulator,
  normalise: (text: string) => string = (text) => text,
): Promise<Answer> {
  simulator.faults.clear();
  simulator.requests.length = 0;
  if (request.fault) simulator.faults.inject(request.fault);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: request.accept ?? DEFAULT_ACCEPT,
      ...(request.authorization !== undefined ? { authorization: request.authorization } : {}),
    },
    body: JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName }),
  });
  const body = withoutCorrelationIds(JSON.parse(normalise(await response.text())));
  const upstream = simulator.requests.map((call) => normalise(describeCall(call))).sort();
  return { status: response.status, contentType: response.headers.get('content-type'), body, text: JSON.stringify(body), upstream };
}

function expectSameAnswer(compiled: Answer, interpreted: Answer): void {
  // The structural comparison first, for its diff; then the texts, which also compare key order.
  expect({ status: compiled.status, contentType: compiled.contentType, body: compiled.body, upstream: compiled.upstream }).toEqual({
    status: interpreted.status,
    contentType: interpreted.contentType,
    body: interpreted.body,
    upstream: interpreted.upstream,
  });
  expect(compiled.text).toBe(interpreted.text);
}

function codesOf(answer: Answer): unknown[] {
  const errors = (answer.body as { errors?: ErrorBody[] }).errors ?? [];
  return errors.map((error) => error.extensions?.code);
}

// -----------------------------------------------------------------------------------------------
// The documents of schema/operations, one document per operation with the fragments it uses
// -----------------------------------------------------------------------------------------------

const OPERATIONS_DIR = join(__dirname, '..', '..', '..', 'schema', 'operations');

function loadOperations(): Record<string, string> {
  const files = readdirSync(OPERATIONS_DIR).filter((file) => file.endsWith('.graphql'));
  const all = parse(files.map((file) => readFileSync(join(OPERATIONS_DIR, file), 'utf8')).join('\n'));
  // Each operation alone with only its fragments: a document with unused fragments fails validation.
  return Object.fromEntries(Object.entries(separateOperations(all)).map(([name, document]) => [name, print(document)]));
}

const OPERATIONS = loadOperations();

function operation(name: string): string {
  const document = OPERATIONS[name];
  if (document === undefined) throw new Error(`schema/operations has no operation ${name}`);
  return document;
}

const UNKNOWN_ID = 'ffffffffffffffffffffffff';
/** Seeded invites of the demo org (see demoData.ts). */
const ADA_INVITE_ID = '6a0000000000000000000001';
const GRACE_INVITE_ID = '6a0000000000000000000002';
const APP_ID = '5f1e0a9b2c3d4e5f607182a1';

/** An upstream collection holding invites the schema cannot represent (role 'superuser', or a null email). */
function badCollectionFault(...items: Array<Record<string, unknown>>): Fault {
  const base = {
    email: 'x@example.com',
    role: 'view',
    inviteDate: '2024-01-01T00:00:00.000Z',
    ttl: 1,
    hasExpired: false,
    applicationRoles: [],
    dashboardRoles: [],
  };
  return {
    kind: 'status',
    status: 200,
    body: { items: items.map((item, i) => ({ ...base, id: `c${i}`.padEnd(24, 'c'), ...item })), count: items.length, ...DEMO_ORG },
  };
}

// -----------------------------------------------------------------------------------------------
// One simulator, two gateways
// -----------------------------------------------------------------------------------------------

/** The simulator, and the compiled gateway in front of it. */
let stack: TestStack;
/** The interpreting gateway, on the same simulator. */
let interpreting: TestGateway;

beforeAll(async () => {
  stack = await startStack({ env: { COMPILED_EXECUTION: 'true' } });
  interpreting = await startTestGateway(stack.simulator.url, { env: { COMPILED_EXECUTION: 'false' } });
});

afterAll(async () => {
  await interpreting?.close();
  await stack?.close();
});

/**
 * The request to the compiled gateway twice (the second run takes the operation from its cache)
 * and to the interpreting one; all three answers must be the same. Answers the compiled one.
 */
async function bothAnswer(request: GraphQLRequest): Promise<Answer> {
  const compiled = await send(stack.graphqlUrl, request, stack.simulator);
  const cached = await send(stack.graphqlUrl, request, stack.simulator);
  const interpreted = await send(interpreting.graphqlUrl, request, stack.simulator);
  expectSameAnswer(compiled, interpreted);
  expectSameAnswer(cached, interpreted);
  return compiled;
}

interface Case {
  readonly request: GraphQLRequest;
  /** Error codes of the answer, in order; empty for an answer without errors. */
  readonly codes: readonly string[];
  /** HTTP status; 200 unless given. */
  readonly status?: number;
}

const list = (variables: Record<string, unknown>, extra: Partial<GraphQLRequest> = {}): GraphQLRequest => ({
  query: operation('ListOrgInvites'),
  variables: { ...DEMO_ORG, ...variables },
  authorization: ADMIN,
  ...extra,
});

/** Every query of schema/operations with valid variables; the mutations are in their own block below. */
const QUERY_OPERATION_CASES: Record<string, Case> = {
  ListOrgInvites: {
    request: list({ sortField: 'EMAIL', sortDirection: 'ASC', filterField: 'EMAIL', filter: '*@example.com', losantdomain: 'example.com' }),
    codes: [],
  },
  PageOrgInvites: {
    request: {
      query: operation('PageOrgInvites'),
      variables: { ...DEMO_ORG, sortField: 'EMAIL', sortDirection: 'ASC', first: 2 },
      authorization: ADMIN,
    },
    codes: [],
  },
  OrgInvite: {
    request: { query: operation('OrgInvite'), variables: { ...DEMO_ORG, inviteId: GRACE_INVITE_ID }, authorization: ADMIN },
    codes: [],
  },
  OrgWithInvites: {
    request: {
      query: operation('OrgWithInvites'),
      variables: {
        instanceId: DEMO_INSTANCE_ID,
        orgId: DEMO_SECOND_ORG_ID,
        sortField: 'ROLE',
        sortDirection: 'ASC',
        filterField: 'ROLE',
        filter: '?dmin',
      },
      authorization: ADMIN,
    },
    codes: [],
  },
};

const MUTATION_OPERATIONS = ['InviteMember', 'ResendInvite', 'RevokeInvite'];

test('the corpus covers every operation of schema/operations', () => {
  expect(Object.keys(OPERATIONS).sort()).toEqual([...Object.keys(QUERY_OPERATION_CASES), ...MUTATION_OPERATIONS].sort());
});

describe('the operations of schema/operations, with valid variables', () => {
  test.each(Object.entries(QUERY_OPERATION_CASES))('%s: the same data from both executors', async (_name, { request, codes }) => {
    const answer = await bothAnswer(request);
    expect(codesOf(answer)).toEqual(codes);
    expect((answer.body as { data?: unknown }).data).toBeTruthy();
  });

  // graphql-jit's own variable coercion misses these defaults; compiledExecution coerces with graphql-js first for them.
  test('omitted non-null variables with defaults take their defaults (INVITE_DATE, DESC) on both', async () => {
    const answer = await bothAnswer(list({}));
    expect(codesOf(answer)).toEqual([]);
    expect(answer.body).toMatchObject({ data: { orgInvites: { sortField: 'INVITE_DATE', sortDirection: 'DESC', count: 7 } } });
  });

  test('OrgWithInvites with its defaults omitted as well', async () => {
    const answer = await bothAnswer({ query: operation('OrgWithInvites'), variables: DEMO_ORG, authorization: ADMIN });
    expect(answer.body).toMatchObject({ data: { instanceOrg: { invites: { sortField: 'INVITE_DATE', sortDirection: 'DESC' } } } });
  });
});

describe('variables that do not coerce: BAD_USER_INPUT before execution', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['a bad enum value', { sortField: 'SIDEWAYS' }],
    ['an enum value in the wrong case', { sortDirection: 'asc' }],
    ['null for a non-null variable with a default', { sortField: null }],
    ['null for a required variable', { instanceId: null }],
    ['a number for a String', { filter: 42 }],
    ['an object for an ID', { instanceId: { $ne: null } }],
    ['a float for an ID', { orgId: 1.5 }],
    ['several bad variables at once', { sortField: 1, sortDirection: 'UP', filterField: [], filter: {} }],
  ];
  test.each(cases)('%s: HTTP 400 under graphql-response+json, the same errors from both', async (_name, variables) => {
    const answer = await bothAnswer(list(variables, { accept: STRICT_ACCEPT }));
    expect(answer.status).toBe(400);
    expect(new Set(codesOf(answer))).toEqual(new Set(['BAD_USER_INPUT']));
  });

  test('a missing required variable: HTTP 400, BAD_USER_INPUT', async () => {
    const answer = await bothAnswer({
      query: operation('ListOrgInvites'),
      variables: { instanceId: DEMO_INSTANCE_ID },
      authorization: ADMIN,
      accept: STRICT_ACCEPT,
    });
    expect(answer.status).toBe(400);
    expect(codesOf(answer)).toEqual(['BAD_USER_INPUT']);
  });

  test('no variables at all: one error per required variable', async () => {
    const answer = await bothAnswer({ query: operation('OrgInvite'), authorization: ADMIN, accept: STRICT_ACCEPT });
    expect(codesOf(answer)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
  });

  test('under application/json the same refusal is HTTP 200', async () => {
    const answer = await bothAnswer(list({ sortField: 'SIDEWAYS' }, { accept: 'application/json' }));
    expect(answer.status).toBe(200);
    expect(codesOf(answer)).toEqual(['BAD_USER_INPUT']);
  });

  test('an invalid input object for inviteMember (unknown enum value, missing field) is refused the same way', async () => {
    const answer = await bothAnswer({
      query: operation('InviteMember'),
      variables: { ...DEMO_ORG, invite: { email: 'x@example.com', role: 'OWNER', applicationRoles: [{ role: 'VIEW' }] } },
      authorization: ADMIN,
      accept: STRICT_ACCEPT,
    });
    expect(answer.status).toBe(400);
    expect(new Set(codesOf(answer))).toEqual(new Set(['BAD_USER_INPUT']));
  });

  test('more bad values than graphql-js collects (50): the same capped list of errors', async () => {
    const grants = Array.from({ length: 60 }, () => ({ resourceId: APP_ID, role: 'OWNER' }));
    const answer = await bothAnswer({
      query: operation('InviteMember'),
      variables: { ...DEMO_ORG, invite: { email: 'x@example.com', role: 'VIEW', applicationRoles: grants } },
      authorization: ADMIN,
      accept: STRICT_ACCEPT,
    });
    expect(answer.status).toBe(400);
    expect(codesOf(answer).length).toBeGreaterThan(50);
    expect(answer.text).toContain('Too many errors processing variables');
  });

  test('a field the input object does not define is refused the same way', async () => {
    const answer = await bothAnswer({
      query: operation('InviteMember'),
      variables: { ...DEMO_ORG, invite: { email: 'x@example.com', role: 'VIEW', Email: 'y@example.com' } },
      authorization: ADMIN,
      accept: STRICT_ACCEPT,
    });
    expect(codesOf(answer)).toEqual(['BAD_USER_INPUT']);
  });

  test('a variable the operation does not declare is ignored by both', async () => {
    const answer = await bothAnswer(list({ undeclared: 'x', sortField: 'EMAIL' }));
    expect(codesOf(answer)).toEqual([]);
  });

  test('a single value for a list variable is coerced into a list of one on both', async () => {
    const answer = await bothAnswer({
      query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on InstanceOrg { orgId } } }',
      variables: { r: { __typename: 'InstanceOrg', ...DEMO_ORG } },
      authorization: ADMIN,
    });
    expect(answer.body).toEqual({ data: { _entities: [{ orgId: DEMO_ORG_ID }] } });
  });
});

describe('arguments a nullable variable leaves null or out (the support LIST_INVITES document)', () => {
  // `$sortField: InviteSortField` feeds `sortField: InviteSortField! = INVITE_DATE`: validation
  // allows it because of the default; at run time an omitted variable takes the argument's
  // default and an explicit null is a field error.
  test('omitted: the argument defaults apply', async () => {
    const answer = await bothAnswer({ query: LIST_INVITES, variables: DEMO_ORG, authorization: ADMIN });
    expect(answer.body).toMatchObject({ data: { orgInvites: { sortField: 'INVITE_DATE', sortDirection: 'DESC' } } });
  });

  test('explicit null for a non-null argument: the same BAD_USER_INPUT from both', async () => {
    const answer = await bothAnswer({
      query: LIST_INVITES,
      variables: { ...DEMO_ORG, sortField: null, sortDirection: null },
      authorization: ADMIN,
    });
    expect(codesOf(answer)).toEqual(['BAD_USER_INPUT']);
  });

  test('a variable default of the operation applies when the variable is omitted', async () => {
    const query = `query($instanceId: ID!, $orgId: ID!, $field: InviteSortField = EMAIL, $direction: SortDirection = ASC) {
      orgInvites(instanceId: $instanceId, orgId: $orgId, sortField: $field, sortDirection: $direction) { sortField sortDirection items { email } }
    }`;
    const answer = await bothAnswer({ query, variables: DEMO_ORG, authorization: ADMIN });
    expect(answer.body).toMatchObject({ data: { orgInvites: { sortField: 'EMAIL', sortDirection: 'ASC' } } });
    const explicitNull = await bothAnswer({ query, variables: { ...DEMO_ORG, field: null }, authorization: ADMIN });
    expect(codesOf(explicitNull)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('errors raised by resolvers and by the upstream', () => {
  const cases: Array<[string, Case]> = [
    ['a malformed instance id', { request: list({ instanceId: 'not-an-id' }), codes: ['BAD_USER_INPUT'] }],
    ['a malformed org id (23 hex digits)', { request: list({ orgId: DEMO_ORG_ID.slice(1) }), codes: ['BAD_USER_INPUT'] }],
    [
      'a malformed invite id',
      {
        request: { query: operation('OrgInvite'), variables: { ...DEMO_ORG, inviteId: 'zz' }, authorization: ADMIN },
        codes: ['BAD_USER_INPUT'],
      },
    ],
    ['a filter without filterField', { request: list({ filter: 'a*' }), codes: ['BAD_USER_INPUT'] }],
    ['a malformed losantdomain', { request: list({ losantdomain: 'bad domain' }), codes: ['BAD_USER_INPUT'] }],
    ['no token', { request: list({}, { authorization: undefined }), codes: ['UNAUTHENTICATED'] }],
    ['a token the upstream rejects', { request: list({}, { authorization: 'Bearer not-a-known-token-0000' }), codes: ['UNAUTHENTICATED'] }],
    ['a token without the list scope', { request: list({}, { authorization: `Bearer ${DEMO_TOKENS.noInvites}` }), codes: ['FORBIDDEN'] }],
    ['an unknown organization', { request: list({ orgId: UNKNOWN_ID }), codes: ['NOT_FOUND'] }],
    [
      'a missing invite (orgInvite is nullable)',
      {
        request: { query: operation('OrgInvite'), variables: { ...DEMO_ORG, inviteId: UNKNOWN_ID }, authorization: ADMIN },
        codes: ['NOT_FOUND'],
      },
    ],
    [
      'a malformed id for instanceOrg (non-null all the way up: data is null)',
      {
        request: { query: operation('OrgWithInvites'), variables: { instanceId: 'nope', orgId: DEMO_ORG_ID }, authorization: ADMIN },
        codes: ['BAD_USER_INPUT'],
      },
    ],
    [
      'a read-only token on inviteMember (refused upstream, nothing written)',
      {
        request: {
          query: operation('InviteMember'),
          variables: { ...DEMO_ORG, invite: { email: 'ro@example.com', role: 'VIEW' } },
          authorization: READ_ONLY,
        },
        codes: ['FORBIDDEN'],
      },
    ],
    [
      'an invalid email for inviteMember (refused before the upstream)',
      {
        request: {
          query: operation('InviteMember'),
          variables: { ...DEMO_ORG, invite: { email: 'not-an-email', role: 'VIEW' } },
          authorization: ADMIN,
        },
        codes: ['BAD_USER_INPUT'],
      },
    ],
    [
      'a malformed resource id for resendInvite',
      {
        request: {
          query: operation('ResendInvite'),
          variables: { ...DEMO_ORG, inviteId: ADA_INVITE_ID, roles: { applicationRoles: [{ resourceId: 'zz', role: 'VIEW' }] } },
          authorization: ADMIN,
        },
        codes: ['BAD_USER_INPUT'],
      },
    ],
    [
      'revokeInvite of an unknown invite',
      {
        request: { query: operation('RevokeInvite'), variables: { ...DEMO_ORG, inviteId: UNKNOWN_ID }, authorization: ADMIN },
        codes: ['NOT_FOUND'],
      },
    ],
    [
      'an upstream 400 with its type and message',
      {
        request: list({}, { fault: { kind: 'status', status: 400, body: { type: 'Validation', message: 'filter is too clever' } } }),
        codes: ['BAD_USER_INPUT'],
      },
    ],
    [
      'an upstream 500',
      {
        request: list({}, { fault: { kind: 'status', status: 500, body: { type: 'Server', message: 'boom' } } }),
        codes: ['UPSTREAM_ERROR'],
      },
    ],
    [
      'a 200 that is not a collection',
      { request: list({}, { fault: { kind: 'status', status: 200, body: { items: 'nope' } } }), codes: ['UPSTREAM_ERROR'] },
    ],
    [
      'a parse error (never reaches an executor)',
      { request: { query: '{ orgInvites(', authorization: ADMIN }, codes: ['GRAPHQL_PARSE_FAILED'], status: 400 },
    ],
    [
      'a validation error (never reaches an executor)',
      {
        request: { query: '{ orgInvites { count } }', authorization: ADMIN },
        codes: ['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_VALIDATION_FAILED'],
        status: 400,
      },
    ],
  ];
  test.each(cases)('%s: the same errors and data from both', async (_name, { request, codes, status }) => {
    const answer = await bothAnswer(request);
    expect(answer.status).toBe(status ?? 200);
    expect(codesOf(answer)).toEqual(codes);
  });
});

describe('values the schema cannot represent: masked the same way', () => {
  const query = `query($instanceId: ID!, $orgId: ID!) { orgInvites(instanceId: $instanceId, orgId: $orgId) { count items { id email role ttl } } }`;
  // [name, upstream body, how many of its invites are bad]
  const cases: Array<[string, Fault, number]> = [
    ['an invite with role superuser', badCollectionFault({ role: 'superuser' }), 1],
    ['a null email (non-null field)', badCollectionFault({ email: null }), 1],
    ['a ttl that is not a number', badCollectionFault({ ttl: 'soon' }), 1],
    ['two bad invites in one list', badCollectionFault({ role: 'superuser' }, { role: 'root' }), 2],
  ];

  test.each(cases)('%s from the upstream: UPSTREAM_ERROR from both, before the schema sees it', async (_name, fault) => {
    const answer = await bothAnswer({ query, variables: DEMO_ORG, authorization: ADMIN, fault });
    expect(codesOf(answer)).toEqual(['UPSTREAM_ERROR']);
    expect(answer.text).not.toMatch(/superuser|root|soon/);
  });

  /**
   * The REST client checks every body against the contract, so only a bug could hand the schema
   * such a value: stand one in by having the client answer the body unchecked.
   */
  async function withUncheckedBody<T>(fault: Fault, run: () => Promise<T>): Promise<T> {
    const body = (fault as { body: OrgInviteCollectionDto }).body;
    const unchecked = jest.spyOn(HttpInvitesApi.prototype, 'listInvites').mockImplementation(async () => structuredClone(body));
    try {
      return await run();
    } finally {
      unchecked.mockRestore();
    }
  }

  test.each(cases.filter(([, , bad]) => bad === 1))(
    '%s let through by a bug: INTERNAL_SERVER_ERROR with a correlation id, same path and data on both',
    async (_name, fault) => {
      const answer = await withUncheckedBody(fault, () => bothAnswer({ query, variables: DEMO_ORG, authorization: ADMIN }));
      expect(codesOf(answer)).toEqual(['INTERNAL_SERVER_ERROR']);
      // orgInvites is nullable: the bad item nulls it, not the whole data.
      expect((answer.body as { data: unknown }).data).toEqual({ orgInvites: null });
      // Both answers carried a correlation id (normalised above) and no upstream value.
      expect(answer.text).toContain(`"correlationId":"${CORRELATION_ID}"`);
      expect(answer.text).toContain(`(correlation id ${CORRELATION_ID})`);
      expect(answer.text).not.toMatch(/superuser|root|soon/);
    },
  );

  // KNOWN DIFFERENCE, which only a bug could reach: when several items of a list fail where the
  // schema allows no null, graphql-js stops completing the list at the first and reports it alone;
  // graphql-jit completes the others and reports each. Both null the same nullable field with the
  // same first error, so the data and `errors[0]` agree; the compiled answer has one error more.
  test('two bad invites in one list let through by a bug: the same data and first error; graphql-jit reports the second too', async () => {
    const request: GraphQLRequest = { query, variables: DEMO_ORG, authorization: ADMIN };
    const [compiled, interpreted] = await withUncheckedBody(badCollectionFault({ role: 'superuser' }, { role: 'root' }), async () => [
      await send(stack.graphqlUrl, request, stack.simulator),
      await send(interpreting.graphqlUrl, request, stack.simulator),
    ]);
    const bodyOf = (answer: Answer) => answer.body as { data: unknown; errors: Array<ErrorBody & { path: unknown }> };
    expect(bodyOf(compiled).data).toEqual({ orgInvites: null });
    expect(bodyOf(interpreted).data).toEqual({ orgInvites: null });
    expect(bodyOf(compiled).errors[0]).toEqual(bodyOf(interpreted).errors[0]);
    expect(bodyOf(interpreted).errors.map((error) => error.path)).toEqual([['orgInvites', 'items', 0, 'role']]);
    expect(bodyOf(compiled).errors.map((error) => error.path)).toEqual([
      ['orgInvites', 'items', 0, 'role'],
      ['orgInvites', 'items', 1, 'role'],
    ]);
    expect(new Set([...codesOf(compiled), ...codesOf(interpreted)])).toEqual(new Set(['INTERNAL_SERVER_ERROR']));
    expect(compiled.text + interpreted.text).not.toMatch(/superuser|root/);
  });

  test('the bad invite behind a fragment, next to a field that succeeds: the same partial data', async () => {
    const answer = await withUncheckedBody(badCollectionFault({ role: 'superuser' }), () =>
      bothAnswer({
        query: `query($instanceId: ID!, $orgId: ID!) {
        ok: instanceOrg(instanceId: $instanceId, orgId: $orgId) { orgId }
        bad: orgInvites(instanceId: $instanceId, orgId: $orgId) { ...Items }
      }
      fragment Items on OrgInviteCollection { items { ... on OrgInvite { role } } }`,
        variables: DEMO_ORG,
        authorization: ADMIN,
      }),
    );
    expect(codesOf(answer)).toEqual(['INTERNAL_SERVER_ERROR']);
    // Both fields are nullable: the bad invite nulls `bad` alone, and `ok` is answered.
    expect((answer.body as { data: unknown }).data).toEqual({ ok: { orgId: DEMO_ORG_ID }, bad: null });
  });
});

describe('selection features', () => {
  test('aliases, named and inline fragments, and __typename at every level', async () => {
    const answer = await bothAnswer({
      query: `query Mixed($instanceId: ID!, $orgId: ID!) {
        __typename
        byEmail: orgInvites(instanceId: $instanceId, orgId: $orgId, sortField: EMAIL, sortDirection: ASC) { ...Collection }
        byRole: orgInvites(instanceId: $instanceId, orgId: $orgId, sortField: ROLE, sortDirection: DESC) { count first: items { mail: email } }
        org: instanceOrg(instanceId: $instanceId, orgId: $orgId) {
          __typename
          ... on InstanceOrg { id: orgId invites(filterField: ROLE, filter: "edit") { ...Collection } }
        }
      }
      fragment Collection on OrgInviteCollection {
        __typename count
        items { __typename ...Invite applicationRoles { __typename resourceId role } }
      }
      fragment Invite on OrgInvite { id email role status expiresAt }`,
      variables: DEMO_ORG,
      authorization: ADMIN,
    });
    expect(codesOf(answer)).toEqual([]);
    expect(answer.body).toMatchObject({
      data: { __typename: 'Query', org: { __typename: 'InstanceOrg', id: DEMO_ORG_ID, invites: { count: 2 } } },
    });
  });

  const directives = `query Directives($instanceId: ID!, $orgId: ID!, $withItems: Boolean!, $skipCount: Boolean = false, $withOrg: Boolean!) {
    orgInvites(instanceId: $instanceId, orgId: $orgId) {
      count @skip(if: $skipCount)
      items @include(if: $withItems) { email role @skip(if: $withItems) }
      ... on OrgInviteCollection @include(if: $withOrg) { orgId }
      ...Ids @skip(if: $withOrg)
    }
  }
  fragment Ids on OrgInviteCollection { instanceId }`;
  test.each([
    { withItems: true, withOrg: true },
    { withItems: false, withOrg: true, skipCount: true },
    { withItems: true, withOrg: false, skipCount: false },
    { withItems: false, withOrg: false },
  ])('@skip and @include driven by variables %j', async (flags) => {
    const answer = await bothAnswer({ query: directives, variables: { ...DEMO_ORG, ...flags }, authorization: ADMIN });
    expect(codesOf(answer)).toEqual([]);
  });

  // KNOWN DIFFERENCE. `$skipCount: Boolean = false` may feed `if: Boolean!` because of its default;
  // an explicit null is then an error in graphql-js (BAD_USER_INPUT at orgInvites, data null),
  // while graphql-jit reads the null as "skip" and answers data without `count`.
  test('@skip(if: $v) with an explicit null for a variable that has a default: the same BAD_USER_INPUT from both', async () => {
    const answer = await bothAnswer({
      query: directives,
      variables: { ...DEMO_ORG, withItems: false, withOrg: false, skipCount: null },
      authorization: ADMIN,
    });
    expect(codesOf(answer)).toEqual(['BAD_USER_INPUT']);
  });

  test('nested instanceOrg { invites } for three organizations in one operation', async () => {
    const answer = await bothAnswer({
      query: `query($instanceId: ID!) {
        first: instanceOrg(instanceId: $instanceId, orgId: "${DEMO_ORG_ID}") { orgId invites(sortField: EMAIL, sortDirection: ASC) { count items { email dashboardRoles { role } } } }
        second: instanceOrg(instanceId: $instanceId, orgId: "${DEMO_SECOND_ORG_ID}") { orgId invites { count } }
        empty: instanceOrg(instanceId: $instanceId, orgId: "${DEMO_EMPTY_ORG_ID}") { invites { count items { id } } }
      }`,
      variables: { instanceId: DEMO_INSTANCE_ID },
      authorization: ADMIN,
    });
    expect(answer.body).toMatchObject({
      data: { first: { invites: { count: 7 } }, second: { invites: { count: 3 } }, empty: { invites: { count: 0, items: [] } } },
    });
  });

  test('errors in several root fields: the same errors in the same order', async () => {
    const answer = await bothAnswer({
      query: `query($instanceId: ID!, $orgId: ID!) {
        a: orgInvites(instanceId: $instanceId, orgId: $orgId) { count }
        b: orgInvites(instanceId: "bad", orgId: $orgId) { count }
        c: orgInvite(instanceId: $instanceId, orgId: $orgId, inviteId: "bad") { id }
      }`,
      variables: DEMO_ORG,
      authorization: undefined,
    });
    expect(codesOf(answer)).toEqual(expect.arrayContaining(['UNAUTHENTICATED', 'BAD_USER_INPUT']));
  });

  test('a document of two operations: each operation name runs its own operation (and has its own cache entry)', async () => {
    const query = `
      query Count($instanceId: ID!, $orgId: ID!) { orgInvites(instanceId: $instanceId, orgId: $orgId) { count } }
      query Emails($instanceId: ID!, $orgId: ID!) { orgInvites(instanceId: $instanceId, orgId: $orgId, sortField: EMAIL) { items { email } } }`;
    const count = await bothAnswer({ query, operationName: 'Count', variables: DEMO_ORG, authorization: ADMIN });
    const emails = await bothAnswer({ query, operationName: 'Emails', variables: DEMO_ORG, authorization: ADMIN });
    expect(count.body).toEqual({ data: { orgInvites: { count: 7 } } });
    expect(emails.body).toMatchObject({ data: { orgInvites: { items: expect.any(Array) } } });
    const unnamed = await bothAnswer({ query, variables: DEMO_ORG, authorization: ADMIN });
    expect(unnamed.status).toBe(400);
  });
});

describe('federation and introspection', () => {
  const ENTITIES = `query($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ... on InstanceOrg { instanceId orgId invites(sortField: EMAIL, sortDirection: ASC) { count items { email } } }
      ... on OrgInvite { id email role status instanceId orgId }
    }
  }`;

  const orgRef = (orgId: string) => ({ __typename: 'InstanceOrg', instanceId: DEMO_INSTANCE_ID, orgId });
  const inviteRef = (id: string) => ({ __typename: 'OrgInvite', ...DEMO_ORG, id });

  test('_entities with InstanceOrg and OrgInvite representations, the last a missing invite', async () => {
    const answer = await bothAnswer({
      query: ENTITIES,
      variables: { representations: [orgRef(DEMO_ORG_ID), inviteRef(ADA_INVITE_ID), orgRef(DEMO_SECOND_ORG_ID), inviteRef(UNKNOWN_ID)] },
      authorization: ADMIN,
    });
    expect(codesOf(answer)).toEqual(['NOT_FOUND']);
    expect(answer.body).toMatchObject({
      data: {
        _entities: [
          { __typename: 'InstanceOrg', orgId: DEMO_ORG_ID },
          { __typename: 'OrgInvite', id: ADA_INVITE_ID },
          { orgId: DEMO_SECOND_ORG_ID },
          null,
        ],
      },
    });
  });

  test('_entities with only missing invites: one null and one NOT_FOUND each', async () => {
    const answer = await bothAnswer({
      query: ENTITIES,
      variables: { representations: [inviteRef(UNKNOWN_ID), inviteRef(UNKNOWN_ID.replace(/f$/, 'e'))] },
      authorization: ADMIN,
    });
    expect(codesOf(answer)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(answer.body).toMatchObject({ data: { _entities: [null, null] } });
  });

  // KNOWN DIFFERENCE (a graphql-jit bug). A list item whose promise rejects is recorded with
  // `resultArray.push(null)` instead of at its index: when an item after it was already set (the
  // InstanceOrg reference resolves synchronously, the OrgInvite one asynchronously), the compiled
  // answer has one extra trailing null per such failure, so _entities no longer lines up with the
  // representations a router sent.
  test('_entities with a missing invite before an InstanceOrg reference: as many entities as representations', async () => {
    const representations = [orgRef(DEMO_ORG_ID), inviteRef(UNKNOWN_ID), orgRef(DEMO_SECOND_ORG_ID)];
    const answer = await bothAnswer({ query: ENTITIES, variables: { representations }, authorization: ADMIN });
    expect((answer.body as { data: { _entities: unknown[] } }).data._entities).toHaveLength(representations.length);
  });

  test.each<[string, unknown[], string[]]>([
    ['a malformed id in a representation', [{ __typename: 'InstanceOrg', instanceId: 'nope', orgId: DEMO_ORG_ID }], ['BAD_USER_INPUT']],
    ['a representation of a type that is not an entity', [{ __typename: 'OrgInviteCollection', orgId: DEMO_ORG_ID }], ['BAD_USER_INPUT']],
    ['a representation without __typename', [{ instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID }], ['BAD_USER_INPUT']],
    ['no representations', [], []],
  ])('_entities with %s', async (_name, representations, codes) => {
    const answer = await bothAnswer({ query: ENTITIES, variables: { representations }, authorization: ADMIN });
    expect(new Set(codesOf(answer))).toEqual(new Set(codes));
  });

  test('_service { sdl }', async () => {
    const answer = await bothAnswer({ query: '{ _service { sdl } }' });
    expect(answer.text).toContain('type InstanceOrg');
  });

  test('the full introspection query', async () => {
    const answer = await bothAnswer({
      query: getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true }),
    });
    expect(codesOf(answer)).toEqual([]);
    expect(answer.text).toContain('"name":"OrgInvite"');
  });

  test('__type and __schema next to ordinary fields', async () => {
    const answer = await bothAnswer({
      query: `query($instanceId: ID!, $orgId: ID!) {
        __type(name: "OrgInviteInput") { kind inputFields { name defaultValue type { kind name ofType { name } } } }
        __schema { queryType { name } mutationType { fields { name args { name defaultValue } } } }
        instanceOrg(instanceId: $instanceId, orgId: $orgId) { orgId }
      }`,
      variables: DEMO_ORG,
      authorization: ADMIN,
    });
    expect(codesOf(answer)).toEqual([]);
  });
});

// -----------------------------------------------------------------------------------------------
// A property: any ListOrgInvites variables
// -----------------------------------------------------------------------------------------------

describe('generated ListOrgInvites variables', () => {
  // As in test/properties: PROPERTY_RUNS_SCALE=10 for a long hunt, FC_SEED to replay a reported seed.
  const numRuns = Math.max(1, Math.round(150 * Number(process.env.PROPERTY_RUNS_SCALE ?? '1')));
  const seed = process.env.FC_SEED !== undefined ? { seed: Number(process.env.FC_SEED) } : {};
  const listCase = fc.record({
    // The schema/operations document (non-null variables with defaults) and the support one (nullable variables).
    query: fc.constantFrom(operation('ListOrgInvites'), LIST_INVITES),
    token: tokenChoice,
    accept: fc.constantFrom(DEFAULT_ACCEPT, STRICT_ACCEPT),
    variables: fc.record({
      instanceId: idArgument(validInstanceId),
      orgId: idArgument(validOrgId),
      sortField: sortFieldArgument,
      sortDirection: sortDirectionArgument,
      filterField: filterFieldArgument,
      filter: filterArgument,
      losantdomain: domainArgument,
    }),
  });

  test('get the same answer from both executors', async () => {
    await fc.assert(
      fc.asyncProperty(
        listCase,
        async ({
          query,
          token,
          accept,
          variables,
        }: {
          query: string;
          token: TokenChoice;
          accept: string;
          variables: Record<string, unknown>;
        }) => {
          // `undefined` members are dropped by JSON.stringify: those variables are left out.
          const request: GraphQLRequest = { query, variables, authorization: authorizationFor(token), accept };
          const compiled = await send(stack.graphqlUrl, request, stack.simulator);
          const interpreted = await send(interpreting.graphqlUrl, request, stack.simulator);
          expectSameAnswer(compiled, interpreted);
        },
      ),
      { numRuns, ...seed },
    );
  });
});

// -----------------------------------------------------------------------------------------------
// Mutations: two fresh simulators in the same state, one per executor
// -----------------------------------------------------------------------------------------------

describe('mutations, each executor on its own simulator started in the same state', () => {
  /**
   * One clock for both simulators, moved only by the tests: the seed's dates, a new invite's and a
   * resent one's are then the same in both. It is moved between writes, because invites of equal
   * date are listed in the order of their ids, which are random for new invites.
   */
  const start = new Date();
  let now = start;
  const later = (): void => {
    now = new Date(now.getTime() + 60_000);
  };
  let compiledStack: TestStack;
  let interpretingStack: TestStack;

  beforeAll(async () => {
    [compiledStack, interpretingStack] = await Promise.all([
      startStack({ simulator: { now: () => now }, env: { COMPILED_EXECUTION: 'true' } }),
      startStack({ simulator: { now: () => now }, env: { COMPILED_EXECUTION: 'false' } }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([compiledStack?.close(), interpretingStack?.close()]);
  });

  /** Ids of the seeded invites: the same in both simulators. */
  const SEED_IDS = new Set(demoSeed(start).flatMap((org) => org.invites.map((invite) => invite.id)));

  /** Each simulator gives created invites random ids; they are named by their email instead. */
  function withoutRandomIds(simulator: Simulator): (text: string) => string {
    return (text) => {
      const created = (simulator.store.invites(DEMO_INSTANCE_ID, DEMO_ORG_ID) ?? []).filter((invite) => !SEED_IDS.has(invite.id));
      return created.reduce((result, invite) => result.split(invite.id).join(`<id of ${invite.email}>`), text);
    };
  }

  /** The same mutation to each stack, which must answer alike after the same upstream calls. Answers the compiled one. */
  async function bothMutate(request: GraphQLRequest): Promise<Answer> {
    const compiled = await send(compiledStack.graphqlUrl, request, compiledStack.simulator, withoutRandomIds(compiledStack.simulator));
    const interpreted = await send(
      interpretingStack.graphqlUrl,
      request,
      interpretingStack.simulator,
      withoutRandomIds(interpretingStack.simulator),
    );
    expectSameAnswer(compiled, interpreted);
    return compiled;
  }

  const invite = {
    email: 'new.member@example.com',
    role: 'COLLABORATE',
    applicationRoles: [{ resourceId: APP_ID, role: 'VIEW' }],
    disallowTransfer: true,
  };

  test('InviteMember: the same new invite and collection', async () => {
    const answer = await bothMutate({ query: operation('InviteMember'), variables: { ...DEMO_ORG, invite }, authorization: ADMIN });
    expect(codesOf(answer)).toEqual([]);
    expect(answer.body).toMatchObject({
      data: { inviteMember: { invite: { id: `<id of ${invite.email}>`, email: invite.email }, invites: { count: 8 } } },
    });
  });

  test('InviteMember again with the same email: the same upstream refusal', async () => {
    const answer = await bothMutate({ query: operation('InviteMember'), variables: { ...DEMO_ORG, invite }, authorization: ADMIN });
    expect(codesOf(answer)).toEqual(['BAD_USER_INPUT']);
  });

  test('ResendInvite: the same resent invite, roles left out kept', async () => {
    later();
    const answer = await bothMutate({
      query: operation('ResendInvite'),
      variables: {
        ...DEMO_ORG,
        inviteId: GRACE_INVITE_ID,
        roles: { role: 'VIEW', dashboardRoles: [{ resourceId: APP_ID, role: 'COLLABORATE' }] },
      },
      authorization: ADMIN,
    });
    expect(codesOf(answer)).toEqual([]);
    expect(answer.body).toMatchObject({ data: { resendInvite: { invite: { id: GRACE_INVITE_ID, role: 'VIEW' } } } });
  });

  test('RevokeInvite: the same payload and the list read after it', async () => {
    const answer = await bothMutate({
      query: operation('RevokeInvite'),
      variables: { ...DEMO_ORG, inviteId: ADA_INVITE_ID },
      authorization: ADMIN,
    });
    expect(codesOf(answer)).toEqual([]);
    const left = compiledStack.simulator.store.invites(DEMO_INSTANCE_ID, DEMO_ORG_ID)!.length;
    expect(answer.body).toMatchObject({
      data: { revokeInvite: { success: true, revokedInviteId: ADA_INVITE_ID, query: { orgInvites: { count: left } } } },
    });
    expect(answer.text).not.toContain('ada@example.com');
  });

  test('two mutation fields run in order: the second revoke of the same invite is NOT_FOUND on both', async () => {
    const answer = await bothMutate({
      query: `mutation($instanceId: ID!, $orgId: ID!, $inviteId: ID!) {
        first: revokeInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $inviteId) { success revokedInviteId }
        again: revokeInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $inviteId) { success }
      }`,
      variables: { ...DEMO_ORG, inviteId: GRACE_INVITE_ID },
      authorization: ADMIN,
    });
    expect(codesOf(answer)).toEqual(['NOT_FOUND']);
    // revokeInvite is nullable: its error nulls `again` alone, and the first revoke is answered.
    expect((answer.body as { data: unknown }).data).toEqual({ first: { success: true, revokedInviteId: GRACE_INVITE_ID }, again: null });
  });

  test('both simulators end in the same state', () => {
    const view = (stackOf: TestStack) =>
      (stackOf.simulator.store.invites(DEMO_INSTANCE_ID, DEMO_ORG_ID) ?? [])
        .map(({ id: _random, ...rest }) => rest)
        .sort((a, b) => a.email.localeCompare(b.email));
    expect(view(compiledStack)).toEqual(view(interpretingStack));
  });

  // Once a KNOWN DIFFERENCE: graphql-js stops running a mutation's root fields once a non-null
  // one fails (its error nulls `data`), while graphql-jit runs the rest anyway, so a later write
  // was sent and nobody told. Mutations run interpreted since. Now that the mutation fields are
  // nullable, a failed one nulls itself alone: later ones run on both executors, and their
  // results reach the client.
  test('after a failed mutation field, later mutation fields run and are answered, alike on both', async () => {
    const answer = await bothMutate({
      query: `mutation($instanceId: ID!, $orgId: ID!) {
        revoke: revokeInvite(instanceId: $instanceId, orgId: $orgId, inviteId: "${UNKNOWN_ID}") { success }
        invite: inviteMember(instanceId: $instanceId, orgId: $orgId, invite: { email: "after.failure@example.com", role: VIEW }) { invite { email } }
      }`,
      variables: DEMO_ORG,
      authorization: ADMIN,
    });
    expect(codesOf(answer)).toEqual(['NOT_FOUND']);
    expect((answer.body as { data: unknown }).data).toEqual({ revoke: null, invite: { invite: { email: 'after.failure@example.com' } } });
  });
});
