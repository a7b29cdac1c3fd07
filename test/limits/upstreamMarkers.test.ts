import {
  astFromValue,
  ConstValueNode,
  getNamedType,
  GraphQLField,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isIntrospectionType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  Kind,
  OperationDefinitionNode,
  parse,
  print,
} from 'graphql';
import { buildGatewaySchema } from '../../src/graphql/buildGatewaySchema';
import { measureOperation } from '../../src/limits/measureOperation';
import { UPSTREAM_CALL_COST } from '../../src/graphql/federation/routerDirectives';
import { callsUpstream, referenceCallsUpstream, upstreamActionOf } from '../../src/limits/upstreamMarkers';
import { ACTION_SCOPES } from '../../src/rest/actionScopes';
import type { UpstreamAction } from '../../src/rest/upstreamActions';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKEN_SCOPES, errorCodes, graphql, startStack, TestStack } from '../support/stack';

/**
 * The upstream-call measure reads markers on the schema (`@CallsUpstream`, `@ReferenceCallsUpstream`)
 * rather than a list kept by hand. This suite runs every field of the schema, and every entity
 * type's reference, against a gateway whose upstream counts requests, and requires the markers to
 * say exactly which ones call: a resolver that calls upstream without its marker would let an
 * operation repeat it past MAX_UPSTREAM_CALLS_PER_OPERATION. The same walk holds the subgraph SDL's
 * router directives to what each field really does: a field that calls weighs `@cost` one call, and
 * requires the scopes the upstream checks for the action it performs.
 */

/** Every scope some action accepts. */
const ALL_SCOPES = [...new Set(Object.values(ACTION_SCOPES).flat())];
/** A simulator token per scope, holding that scope alone. */
const scopeToken = (scope: string) => `scope-${ALL_SCOPES.indexOf(scope)}`;
/** A simulator token per action, holding every scope but the ones the action accepts (and one no action does). */
const allButToken = (action: UpstreamAction) => `all-but-${action}`;
const TOKENS: Record<string, readonly string[]> = {
  ...DEMO_TOKEN_SCOPES,
  ...Object.fromEntries(ALL_SCOPES.map((scope) => [scopeToken(scope), [scope]])),
  ...Object.fromEntries(
    Object.entries(ACTION_SCOPES).map(([action, scopes]) => [
      allButToken(action as UpstreamAction),
      [...ALL_SCOPES.filter((scope) => !scopes.includes(scope)), 'all.Application'],
    ]),
  ),
};

let stack: TestStack;
let schema: GraphQLSchema;
let inviteId: string;
let emails = 0;

beforeAll(async () => {
  stack = await startStack({ env: { MAX_UPSTREAM_CALLS_PER_OPERATION: '10000' }, simulator: { tokens: TOKENS } });
  schema = await buildGatewaySchema();
  const list = await graphql<{ orgInvites: { items: Array<{ id: string }> } }>(
    stack.graphqlUrl,
    `{ orgInvites(instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}") { items { id } } }`,
  );
  inviteId = list.body.data!.orgInvites.items[0].id;
});
afterAll(() => stack.close());

/** A value the gateway's own checks accept, so that a resolver gets as far as its upstream call. */
function valueFor(type: GraphQLInputType, name: string): unknown {
  if (isNonNullType(type)) return valueFor(type.ofType, name);
  if (isListType(type)) return [valueFor(type.ofType, name)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    const object: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined) object[field.name] = valueFor(field.type, field.name);
    }
    return object;
  }
  if (isScalarType(type)) {
    if (type.name === 'ID') return name === 'instanceId' ? DEMO_INSTANCE_ID : name === 'inviteId' || name === 'id' ? inviteId : DEMO_ORG_ID;
    if (type.name === 'String') return name === 'email' ? `walk${++emails}@example.com` : 'x';
    if (type.name === 'Boolean') return false;
    return 1;
  }
  throw new Error(`no value for ${String(type)}`);
}

/**
 * `name(arg: value, …)` with every required argument, values printed as literals, and a
 * connection's `first` (a connection refuses a page without `first` or `last`, before any call).
 */
function call(field: GraphQLField<unknown, unknown>): string {
  const args = field.args
    .filter((arg) => (isNonNullType(arg.type) && arg.defaultValue === undefined) || arg.name === 'first')
    .map((arg) => `${arg.name}: ${print(astFromValue(valueFor(arg.type, arg.name), arg.type)!)}`);
  return args.length > 0 ? `${field.name}(${args.join(', ')})` : field.name;
}

interface Step {
  readonly type: GraphQLObjectType;
  readonly field: GraphQLField<unknown, unknown>;
}

/** The shortest path of fields from a root type to each object type reachable through object-typed fields. */
function pathsToTypes(): Map<string, { root: 'query' | 'mutation'; steps: Step[] }> {
  const paths = new Map<string, { root: 'query' | 'mutation'; steps: Step[] }>();
  const queue: Array<{ type: GraphQLObjectType; root: 'query' | 'mutation'; steps: Step[] }> = [];
  for (const [root, type] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const) {
    if (type) {
      paths.set(type.name, { root, steps: [] });
      queue.push({ type, root, steps: [] });
    }
  }
  while (queue.length > 0) {
    const { type, root, steps } = queue.shift()!;
    for (const field of Object.values(type.getFields())) {
      const next = getNamedType(field.type);
      if (!isObjectType(next) || paths.has(next.name)) continue;
      const path = { root, steps: [...steps, { type, field }] };
      paths.set(next.name, path);
      queue.push({ type: next, ...path });
    }
  }
  return paths;
}

function document(root: string, steps: readonly Step[], innermost: string): string {
  let selection = innermost;
  for (const step of [...steps].reverse()) selection = `${call(step.field)} { ${selection} }`;
  return `${root} { ${selection} }`;
}

function measured(source: string, variables: Record<string, unknown> = {}): number {
  const parsed = parse(source);
  const operation = parsed.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return measureOperation(schema, parsed, operation, variables).upstreamCalls;
}

async function upstreamCallsOf(source: string, variables?: Record<string, unknown>): Promise<number> {
  const before = stack.simulator.requests.length;
  await graphql(stack.graphqlUrl, source, { variables });
  return stack.simulator.requests.length - before;
}

function directiveArgument(field: GraphQLField<unknown, unknown>, directive: string, argument: string): ConstValueNode | undefined {
  return field.astNode?.directives?.find((applied) => applied.name.value === directive)?.arguments?.find((a) => a.name.value === argument)
    ?.value;
}

/** The field's `@cost` weight in the subgraph SDL; undefined without one. */
function costOf(field: GraphQLField<unknown, unknown>): number | undefined {
  const weight = directiveArgument(field, 'cost', 'weight');
  return weight?.kind === Kind.INT ? Number(weight.value) : undefined;
}

/** The field's `@requiresScopes` in the subgraph SDL, as lists of scopes (any list enough, all of one needed); undefined without one. */
function requiredScopesOf(field: GraphQLField<unknown, unknown>): string[][] | undefined {
  const scopes = directiveArgument(field, 'requiresScopes', 'scopes');
  if (scopes?.kind !== Kind.LIST) return undefined;
  return scopes.values.map((all) =>
    all.kind === Kind.LIST ? all.values.map((scope) => (scope.kind === Kind.STRING ? scope.value : print(scope))) : [print(all)],
  );
}

function isApiType(type: GraphQLNamedType): type is GraphQLObjectType {
  return isObjectType(type) && !isIntrospectionType(type);
}

/** Every field that reaches the REST API, sorted: what both walks below must find. */
const FIELDS_CALLING_UPSTREAM = [
  'InstanceOrg.invites',
  'InstanceOrg.invitesConnection',
  'Mutation.inviteMember',
  'Mutation.resendInvite',
  'Mutation.revokeInvite',
  'Query.orgInvite',
  'Query.orgInvites',
  'Query.orgInvitesConnection',
];

test('every field that calls upstream is marked and weighs its calls in @cost, every marked field calls, and the measure is never below the calls', async () => {
  const paths = pathsToTypes();
  const calling: string[] = [];
  const marked: string[] = [];
  const walked: string[] = [];
  for (const type of Object.values(schema.getTypeMap()).filter(isApiType)) {
    const path = paths.get(type.name);
    if (!path) continue; // reached only through `_entities`: see the next test
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const target = `${call(field)}${isCompositeType(getNamedType(field.type)) ? ' { __typename }' : ''}`;
      // The same path selecting only `__typename` where the field was: the difference is the field's own.
      const withField = document(path.root, path.steps, target);
      const without = document(path.root, path.steps, '__typename');
      const calls = (await upstreamCallsOf(withField)) - (await upstreamCallsOf(without));
      const counted = measured(withField) - measured(without);
      expect({ coordinate, counted: counted >= calls }).toEqual({ coordinate, counted: true });
      // What the router is told the field costs: one call's weight per call it made, nothing when it made none.
      expect({ coordinate, cost: costOf(field) }).toEqual({ coordinate, cost: calls > 0 ? calls * UPSTREAM_CALL_COST : undefined });
      walked.push(coordinate);
      if (calls > 0) calling.push(coordinate);
      if (callsUpstream(field)) marked.push(coordinate);
    }
  }
  expect(walked.length).toBeGreaterThan(20);
  expect(calling.sort()).toEqual(marked.sort());
  expect(marked.sort()).toEqual(FIELDS_CALLING_UPSTREAM);
});

test('every entity type whose reference resolution calls upstream is marked, and counted per representation', async () => {
  const entityUnion = schema.getType('_Entity');
  if (!isUnionType(entityUnion)) throw new Error('the schema has no _Entity union');
  const source = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }';
  const calling: string[] = [];
  const marked: string[] = [];
  for (const type of entityUnion.getTypes()) {
    const keyDirective = type.astNode?.directives?.find((directive) => directive.name.value === 'key');
    const fields = keyDirective?.arguments?.find((argument) => argument.name.value === 'fields')?.value;
    const key = fields?.kind === Kind.STRING ? fields.value : undefined;
    if (!key) throw new Error(`${type.name} has no @key`);
    const representation: Record<string, unknown> = { __typename: type.name };
    for (const name of key.split(/\s+/))
      representation[name] = valueFor(schema.getType('ID') as GraphQLInputType, name === 'id' ? 'inviteId' : name);
    const r = [representation, representation, representation];
    const calls = await upstreamCallsOf(source, { r });
    const counted = measured(source, { r });
    expect({ type: type.name, counted: counted >= calls }).toEqual({ type: type.name, counted: true });
    if (calls > 0) calling.push(type.name);
    if (referenceCallsUpstream(type)) marked.push(type.name);
  }
  expect(calling).toEqual(marked);
  expect(marked).toEqual(['OrgInvite']);
});

test('each field that calls upstream requires the scopes of its action, and the upstream agrees: any one of them is enough, a token with none is refused', async () => {
  const paths = pathsToTypes();
  const checked: string[] = [];
  for (const type of Object.values(schema.getTypeMap()).filter(isApiType)) {
    const path = paths.get(type.name);
    if (!path) continue;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const action = upstreamActionOf(field);
      expect({ coordinate, scopes: requiredScopesOf(field) }).toEqual({
        coordinate,
        scopes: action && ACTION_SCOPES[action].map((scope) => [scope]),
      });
      if (!action) continue;
      const source = document(path.root, path.steps, `${call(field)}${isCompositeType(getNamedType(field.type)) ? ' { __typename }' : ''}`);
      for (const scope of ACTION_SCOPES[action]) {
        // Accepted: the call reached the upstream and was not refused for its token (an earlier
        // write may have revoked the invite, so NOT_FOUND is an answer like any other here).
        const before = stack.simulator.received;
        const result = await graphql(stack.graphqlUrl, source, { token: scopeToken(scope) });
        const refusals = errorCodes(result).filter((code) => code === 'FORBIDDEN' || code === 'UNAUTHENTICATED');
        expect({ coordinate, scope, refusals, reached: stack.simulator.received > before }).toEqual({
          coordinate,
          scope,
          refusals: [],
          reached: true,
        });
      }
      const refused = await graphql(stack.graphqlUrl, source, { token: allButToken(action) });
      expect({ coordinate, codes: errorCodes(refused) }).toEqual({ coordinate, codes: ['FORBIDDEN'] });
      checked.push(coordinate);
    }
  }
  expect(checked.sort()).toEqual(FIELDS_CALLING_UPSTREAM);
});
