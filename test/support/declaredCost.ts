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
  parse,
  SelectionSetNode,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';

/**
 * What an operation costs by the weights a subgraph declares (`@cost`, `@listSize` of the IBM cost
 * specification), written here independently of any router so a router's estimate can be
 * checked against it:
 *
 * - a field costs its `@cost(weight)` plus its type's weight: the type's own `@cost(weight)`, or 1
 *   for an object, interface or union and 0 for a scalar or enum (Hive Gateway adds the two;
 *   Apollo Router lets a field's `@cost` replace its type's weight, 1 less per weighted field);
 * - a list multiplies its type's weight and everything under it by its size:
 *   `@listSize(assumedSize)`, the value of a slicing argument (`slicingArguments`), which sizes
 *   the `sizedFields` under it when those are named, or 1 when nothing declares a size;
 * - an operation's base cost (Apollo Router charges a mutation 10) is not declared in a schema,
 *   and is left out.
 *
 * A router prices each subgraph request it sends against that subgraph's schema, so the unit
 * here is one subgraph document.
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

function fieldWeight(field: GraphQLField<unknown, unknown>): number {
  const declared = directive(field.astNode?.directives, 'cost');
  return declared ? Number(declared.weight) : 0;
}

interface ListSize {
  /** This field's size. */
  readonly size: number;
  /** Sizes this field gives to fields under it (`sizedFields`), by name. */
  readonly sized: ReadonlyMap<string, number>;
}

function listSizeOf(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>): ListSize {
  const declared = directive(field.astNode?.directives, 'listSize');
  if (!declared) return { size: 1, sized: new Map() };
  if (typeof declared.assumedSize === 'number') return { size: declared.assumedSize, sized: new Map() };
  const slicing = (declared.slicingArguments as string[] | undefined) ?? [];
  const argumentValues = getArgumentValues(field, node, variables) as Record<string, unknown>;
  const given = slicing.map((name) => argumentValues[name]).filter((value): value is number => typeof value === 'number');
  const size = given.length > 0 ? Math.max(...given) : 1;
  const sizedFields = (declared.sizedFields as string[] | undefined) ?? [];
  if (sizedFields.length === 0) return { size, sized: new Map() };
  return { size: 1, sized: new Map(sizedFields.map((name) => [name, size])) };
}

/** The price of one subgraph document (its first operation) against `schema`, with `variables`. */
export function declaredCost(schema: GraphQLSchema, document: string | DocumentNode, variables: Record<string, unknown> = {}): number {
  const parsed = typeof document === 'string' ? parse(document) : document;
  const operation = parsed.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (!operation) throw new Error('no operation in the document');
  const root = schema.getRootType(operation.operation);
  if (!root) throw new Error(`the schema has no ${operation.operation} type`);

  const costOfSelections = (parent: GraphQLNamedType, selectionSet: SelectionSetNode | undefined, sized: ReadonlyMap<string, number>): number => {
    let total = 0;
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        total += costOfField(parent, selection, sized);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (!type) throw new Error(`unknown type ${selection.typeCondition?.name.value}`);
        total += costOfSelections(type, selection.selectionSet, sized);
      } else {
        throw new Error('declaredCost prices inline fragments only: inline the named fragment');
      }
    }
    return total;
  };

  const costOfField = (parent: GraphQLNamedType, node: FieldNode, sized: ReadonlyMap<string, number>): number => {
    if (node.name.value === '__typename') return 0;
    const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[node.name.value] : undefined;
    if (!field) throw new Error(`${parent.name}.${node.name.value} is not in the schema`);
    const listSize = listSizeOf(field, node, variables);
    const size = sized.get(node.name.value) ?? (isListType(getNullableType(field.type)) ? listSize.size : 1);
    const named = getNamedType(field.type);
    return fieldWeight(field) + size * (typeWeight(named) + costOfSelections(named, node.selectionSet, listSize.sized));
  };

  return costOfSelections(root, operation.selectionSet, new Map());
}
