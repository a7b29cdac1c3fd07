import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  ConstDirectiveNode,
  getNamedType,
  getNullableType,
  GraphQLField,
  GraphQLNamedType,
  GraphQLSchema,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  OperationTypeNode,
  parse,
  SelectionSetNode,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';

/**
 * What an operation costs by the weights a schema declares (`@cost`, `@listSize` of the IBM cost
 * specification), written here independently of any router so a router's estimate can be
 * checked against it. One walk over the operation, priced two ways, because the routers read the
 * spec differently (docs/router.md, "Cost and scopes", shows both):
 *
 * - a field costs its type's weight (the type's own `@cost(weight)`, or 1 for an object,
 *   interface or union and 0 for a scalar or enum) and its own `@cost(weight)`: Hive Gateway
 *   adds the two (`hiveGatewayCost`), Apollo Router lets the field's replace the type's
 *   (`apolloRouterCost`, 1 less per weighted object field);
 * - a list multiplies its weight and everything under it by its size: `@listSize(assumedSize)`,
 *   the value of a slicing argument (`slicingArguments`), which sizes the `sizedFields` under it
 *   when those are named, or, when nothing declares a size, 1 (Hive Gateway) or the router's
 *   configured `list_size` (Apollo Router);
 * - an operation's base cost is not declared in a schema: Apollo Router charges a mutation 10,
 *   Hive Gateway 2.15 nothing (see docs/router.md).
 *
 * Hive Gateway prices each subgraph request of its plan against that subgraph's schema, so its
 * unit is one subgraph document; Apollo Router prices the whole operation on the supergraph.
 */

/** A subgraph schema (its SDL as `_service { sdl }` serves it) ready for pricing. */
export function subgraphSchemaOf(sdl: string): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: parse(sdl) });
}

function directive(nodes: ReadonlyArray<ConstDirectiveNode> | undefined, name: string): Record<string, unknown> | undefined {
  // The weights may be imported (`@cost`) or used with federation's prefix (`@federation__cost`).
  const node = nodes?.find((candidate) => candidate.name.value === name || candidate.name.value === `federation__${name}`);
  if (!node) return undefined;
  return Object.fromEntries((node.arguments ?? []).map((argument) => [argument.name.value, valueFromASTUntyped(argument.value)]));
}

function typeWeight(type: GraphQLNamedType): number {
  const nodes = [type.astNode, ...(type.extensionASTNodes ?? [])].flatMap((node) => node?.directives ?? []);
  const declared = directive(nodes, 'cost');
  if (declared) return Number(declared.weight);
  return isCompositeType(type) ? 1 : 0;
}

/** A field's own `@cost(weight)`, if it declares one. */
function fieldWeight(field: GraphQLField<unknown, unknown>): number | undefined {
  const declared = directive(field.astNode?.directives, 'cost');
  return declared ? Number(declared.weight) : undefined;
}

/** Where the routers part ways on the spec. */
interface PricingRules {
  /** A field's weight from its own `@cost` (if any) and its type's weight. */
  readonly weigh: (ownCost: number | undefined, typeCost: number) => number;
  /** The size of a list that declares none. */
  readonly unsizedList: number;
  /** What an operation costs before its fields, by its kind. */
  readonly base: (operation: OperationTypeNode) => number;
}

interface ListSize {
  /** This field's size. */
  readonly size: number;
  /** Sizes this field gives to fields under it (`sizedFields`), by name. */
  readonly sized: ReadonlyMap<string, number>;
}

function listSizeOf(
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Record<string, unknown>,
  unsizedList: number,
): ListSize {
  const declared = directive(field.astNode?.directives, 'listSize');
  if (!declared) return { size: unsizedList, sized: new Map() };
  if (typeof declared.assumedSize === 'number') return { size: declared.assumedSize, sized: new Map() };
  const slicing = (declared.slicingArguments as string[] | undefined) ?? [];
  const argumentValues = getArgumentValues(field, node, variables) as Record<string, unknown>;
  const given = slicing.map((name) => argumentValues[name]).filter((value): value is number => typeof value === 'number');
  const size = given.length > 0 ? Math.max(...given) : 1;
  const sizedFields = (declared.sizedFields as string[] | undefined) ?? [];
  if (sizedFields.length === 0) return { size, sized: new Map() };
  return { size: 1, sized: new Map(sizedFields.map((name) => [name, size])) };
}

/** The price of `document`'s first operation against `schema`, with `variables`, by `rules`. */
function priced(rules: PricingRules, schema: GraphQLSchema, document: string | DocumentNode, variables: Record<string, unknown>): number {
  const parsed = typeof document === 'string' ? parse(document) : document;
  const operation = parsed.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (!operation) throw new Error('no operation in the document');
  const root = schema.getRootType(operation.operation);
  if (!root) throw new Error(`the schema has no ${operation.operation} type`);
  const fragments = new Map(
    parsed.definitions
      .filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment] as const),
  );

  const costOfSelections = (
    parent: GraphQLNamedType,
    selectionSet: SelectionSetNode | undefined,
    sized: ReadonlyMap<string, number>,
  ): number => {
    let total = 0;
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        total += costOfField(parent, selection, sized);
        continue;
      }
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
      if (!fragment) throw new Error(`unknown fragment ${selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : ''}`);
      const type = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
      if (!type) throw new Error(`unknown type ${fragment.typeCondition?.name.value}`);
      total += costOfSelections(type, fragment.selectionSet, sized);
    }
    return total;
  };

  const costOfField = (parent: GraphQLNamedType, node: FieldNode, sized: ReadonlyMap<string, number>): number => {
    if (node.name.value === '__typename') return 0;
    const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[node.name.value] : undefined;
    if (!field) throw new Error(`${parent.name}.${node.name.value} is not in the schema`);
    const listSize = listSizeOf(field, node, variables, rules.unsizedList);
    const size = sized.get(node.name.value) ?? (isListType(getNullableType(field.type)) ? listSize.size : 1);
    const named = getNamedType(field.type);
    return size * (rules.weigh(fieldWeight(field), typeWeight(named)) + costOfSelections(named, node.selectionSet, listSize.sized));
  };

  return rules.base(operation.operation) + costOfSelections(root, operation.selectionSet, new Map());
}

/**
 * Hive Gateway's price (2.15) of one subgraph document against that subgraph's `schema`: a
 * field's `@cost` added to its type's weight, an unsized list as 1, no base cost.
 */
export function hiveGatewayCost(schema: GraphQLSchema, document: string | DocumentNode, variables: Record<string, unknown> = {}): number {
  return priced({ weigh: (own, type) => (own ?? 0) + type, unsizedList: 1, base: () => 0 }, schema, document, variables);
}

/** Apollo Router's base cost of a mutation (its demand control's default). */
const APOLLO_ROUTER_MUTATION_COST = 10;

/**
 * Apollo Router's static estimate of an operation against the supergraph `schema`: a field's
 * `@cost` replaces its type's weight, a mutation adds 10, an unsized list counts `listSize`
 * (the router's `static_estimated.list_size`).
 */
export function apolloRouterCost(
  schema: GraphQLSchema,
  document: string | DocumentNode,
  variables: Record<string, unknown> = {},
  listSize = 0,
): number {
  return priced(
    {
      weigh: (own, type) => own ?? type,
      unsizedList: listSize,
      base: (operation) => (operation === OperationTypeNode.MUTATION ? APOLLO_ROUTER_MUTATION_COST : 0),
    },
    schema,
    document,
    variables,
  );
}
