import {
  ConstArgumentNode,
  ConstDirectiveNode,
  ConstValueNode,
  DocumentNode,
  FieldDefinitionNode,
  GraphQLField,
  GraphQLSchema,
  isObjectType,
  Kind,
  ObjectTypeDefinitionNode,
  TypeNode,
  visit,
} from 'graphql';
import { DEFAULT_MAX_RESPONSE_ITEMS } from '../../config/settings';
import orgInviteSchema from '../../contract/schemas/orgInvite.json';
import orgInviteCollectionSchema from '../../contract/schemas/orgInviteCollection.json';
import { upstreamActionOf } from '../../limits/upstreamMarkers';
import { ACTION_SCOPES } from '../../rest/actionScopes';

/**
 * The directives the router in front of the subgraph (Apollo Router, Hive Gateway, Cosmo) prices
 * and authorizes operations with: IBM's cost directives as Federation 2.9+ defines them, and
 * Federation's `@requiresScopes`. They are not written by hand on each resolver: they are derived,
 * when the subgraph SDL is built, from the mark each resolver already carries for the gateway's own
 * upstream-call limit (`@CallsUpstream(action)`), so the router's price and the gateway's count
 * cannot drift apart.
 */
export const COST_DIRECTIVE = 'cost';
export const LIST_SIZE_DIRECTIVE = 'listSize';
export const REQUIRES_SCOPES_DIRECTIVE = 'requiresScopes';

/**
 * The `@cost` weight of one REST call, in the cost spec's unit: one object in the answer (each
 * object-typed field weighs 1 by default, scalars 0). A call weighs a round figure above what it
 * costs the gateway: `npm run bench` measures a list call's fixed cost at about 45 invites of the
 * answer (0.70 ms of CPU for a 20-invite list, 6.0 ms for 500), and a call also spends the caller's
 * share of the upstream's rate limit, which an object of the answer does not. A write (a `POST` or
 * `DELETE`) is one call like a read.
 */
export const UPSTREAM_CALL_COST = 100;

/**
 * The most grants of each kind an invite the gateway answers with can hold: the contract's `maxItems`, which every upstream body is checked
 * against.
 */
const MAX_ANSWERED_GRANTS = Math.max(
  orgInviteSchema.properties.applicationRoles.maxItems,
  orgInviteSchema.properties.dashboardRoles.maxItems,
  orgInviteCollectionSchema.properties.items.items.properties.applicationRoles.maxItems,
  orgInviteCollectionSchema.properties.items.items.properties.dashboardRoles.maxItems,
);

/**
 * `@listSize(assumedSize)` of every list field, by the type of its elements: the most the gateway
 * ever answers with, so the router's estimate is an upper bound. An invite list is bounded by
 * `MAX_RESPONSE_ITEMS` at its default (the SDL is committed, so a deployment's own setting cannot
 * reach it; the limit also counts over every list of an answer, which the spec's per-list sizes
 * cannot say); a grant list by the contract. A new list field of another element type fails the
 * SDL's build until its bound is written here.
 */
export const ASSUMED_LIST_SIZES: Readonly<Record<string, number>> = {
  OrgInvite: DEFAULT_MAX_RESPONSE_ITEMS,
  ResourceRoleGrant: MAX_ANSWERED_GRANTS,
};

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;

function directive(directiveName: string, args: Record<string, ConstValueNode>): ConstDirectiveNode {
  const argumentNodes: ConstArgumentNode[] = Object.entries(args).map(([argument, value]) => ({
    kind: Kind.ARGUMENT,
    name: name(argument),
    value,
  }));
  return { kind: Kind.DIRECTIVE, name: name(directiveName), arguments: argumentNodes };
}

const int = (value: number): ConstValueNode => ({ kind: Kind.INT, value: String(value) });
const list = (values: readonly ConstValueNode[]): ConstValueNode => ({ kind: Kind.LIST, values });
const string = (value: string): ConstValueNode => ({ kind: Kind.STRING, value });

/** `@requiresScopes(scopes: [["a"], ["b"], …])`: the outer list is OR, each inner one AND, so any one scope is enough. */
function requiresAnyOf(scopes: readonly string[]): ConstDirectiveNode {
  return directive(REQUIRES_SCOPES_DIRECTIVE, { scopes: list(scopes.map((scope) => list([string(scope)]))) });
}

function has(field: FieldDefinitionNode, directiveName: string): boolean {
  return field.directives?.some((applied) => applied.name.value === directiveName) ?? false;
}

function namedTypeOf(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);
}

function isList(type: TypeNode): boolean {
  return type.kind === Kind.LIST_TYPE || (type.kind === Kind.NON_NULL_TYPE && isList(type.type));
}

/**
 * Fields whose size a field returning their type declares (`@listSize(sizedFields: ["edges"])` on
 * a connection field, with its slicing arguments): by type name, the names of those fields. They
 * take their size from the slicing argument, not from an assumed size of their own.
 */
function sizedByParent(typeDefs: DocumentNode): Map<string, Set<string>> {
  const sized = new Map<string, Set<string>>();
  for (const definition of typeDefs.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      for (const applied of field.directives ?? []) {
        if (applied.name.value !== LIST_SIZE_DIRECTIVE) continue;
        const sizedFields = applied.arguments?.find((argument) => argument.name.value === 'sizedFields')?.value;
        if (sizedFields?.kind !== Kind.LIST) continue;
        const names = sized.get(namedTypeOf(field.type)) ?? new Set<string>();
        for (const value of sizedFields.values) if (value.kind === Kind.STRING) names.add(value.value);
        sized.set(namedTypeOf(field.type), names);
      }
    }
  }
  return sized;
}

function withFieldDirectives(
  typeName: string,
  node: FieldDefinitionNode,
  field: GraphQLField<unknown, unknown> | undefined,
  sized: ReadonlySet<string> | undefined,
): FieldDefinitionNode {
  const added: ConstDirectiveNode[] = [];
  const action = field && upstreamActionOf(field);
  if (action) {
    if (!has(node, COST_DIRECTIVE)) added.push(directive(COST_DIRECTIVE, { weight: int(UPSTREAM_CALL_COST) }));
    if (!has(node, REQUIRES_SCOPES_DIRECTIVE)) added.push(requiresAnyOf(ACTION_SCOPES[action]));
  }
  // A field that declares its own size (a connection's slicing arguments) keeps it, alone.
  if (isList(node.type) && !has(node, LIST_SIZE_DIRECTIVE) && !sized?.has(node.name.value)) {
    const element = namedTypeOf(node.type);
    const assumedSize = ASSUMED_LIST_SIZES[element];
    if (assumedSize === undefined) {
      throw new Error(
        `${typeName}.${node.name.value} is a list of ${element}, whose greatest length is not known: add it to ASSUMED_LIST_SIZES (routerDirectives.ts)`,
      );
    }
    added.push(directive(LIST_SIZE_DIRECTIVE, { assumedSize: int(assumedSize) }));
  }
  return added.length === 0 ? node : { ...node, directives: [...(node.directives ?? []), ...added] };
}

/**
 * The subgraph's type definitions with the router's directives added: on each field whose resolver
 * calls upstream, `@cost(weight: UPSTREAM_CALL_COST)` and `@requiresScopes` with the scopes its
 * action accepts (the simulator's table too); on each list field, `@listSize(assumedSize)` from
 * `ASSUMED_LIST_SIZES`. A directive a field already carries is kept and not added twice. Fields
 * that make no call (`instanceOrg`, plain object fields) get no weight beyond the spec's defaults
 * and no scopes.
 */
export function withRouterDirectives(typeDefs: DocumentNode, apiSchema: GraphQLSchema): DocumentNode {
  const sized = sizedByParent(typeDefs);
  return visit(typeDefs, {
    ObjectTypeDefinition(node): ObjectTypeDefinitionNode {
      const type = apiSchema.getType(node.name.value);
      const fields = isObjectType(type) ? type.getFields() : {};
      return {
        ...node,
        fields: node.fields?.map((field) =>
          withFieldDirectives(node.name.value, field, fields[field.name.value], sized.get(node.name.value)),
        ),
      };
    },
  });
}
