import {
  ConstDirectiveNode,
  DocumentNode,
  FragmentDefinitionNode,
  getNamedType,
  GraphQLCompositeType,
  GraphQLSchema,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  GraphQLOutputType,
  Kind,
  OperationTypeNode,
  SelectionSetNode,
} from 'graphql';

/** What the cost spec leaves to the router: Apollo Router's defaults. */
const MUTATION_COST = 10;

function intArgument(directives: readonly ConstDirectiveNode[] | undefined, directive: string, argument: string): number | undefined {
  const value = directives?.find((d) => d.name.value === directive)?.arguments?.find((a) => a.name.value === argument)?.value;
  return value?.kind === Kind.INT ? Number(value.value) : undefined;
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(type) || (isNonNullType(type) && isListType(type.ofType));
}

/**
 * The static cost of an operation as the IBM cost spec defines it and Apollo Router computes it:
 * a field weighs its `@cost`, else its type's `@cost`, else 1 for an object and 0 for a scalar or
 * enum; a list field multiplies its weight and its selections' by its `@listSize(assumedSize)`; a
 * mutation adds 10; a list without `@listSize` counts `defaultListSize` (the router's `list_size`). Enough for this subgraph's directives (no slicing arguments, no argument
 * weights): a test's second opinion beside a real router's (Hive Gateway's demand control).
 */
export function ibmCost(schema: GraphQLSchema, document: DocumentNode, defaultListSize = 0): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

  const selectionCost = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT || selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
        const typed = fragment?.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
        if (fragment && isCompositeType(typed)) total += selectionCost(fragment.selectionSet, typed);
        continue;
      }
      const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
      if (!field) continue; // __typename and other meta fields weigh nothing
      const named = getNamedType(field.type);
      const weight = intArgument(field.astNode?.directives, 'cost', 'weight') ?? intArgument(named.astNode?.directives, 'cost', 'weight') ?? (isCompositeType(named) ? 1 : 0);
      const children = selection.selectionSet && isCompositeType(named) ? selectionCost(selection.selectionSet, named) : 0;
      const size = isList(field.type) ? (intArgument(field.astNode?.directives, 'listSize', 'assumedSize') ?? defaultListSize) : 1;
      total += size * (weight + children);
    }
    return total;
  };

  let total = 0;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const mutation = definition.operation === OperationTypeNode.MUTATION;
    const root = mutation ? schema.getMutationType() : schema.getQueryType();
    if (root) total += (mutation ? MUTATION_COST : 0) + selectionCost(definition.selectionSet, root);
  }
  return total;
}
