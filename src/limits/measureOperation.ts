import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  GraphQLCompositeType,
  GraphQLSchema,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  valueFromASTUntyped,
} from 'graphql';

/** Fields whose resolution is an upstream call, by parent type. */
export const UPSTREAM_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  Query: new Set(['orgInvites', 'orgInvite']),
  Mutation: new Set(['inviteMember', 'revokeInvite', 'resendInvite']),
  InstanceOrg: new Set(['invites']),
};

/** Entity types whose `__resolveReference` itself calls the upstream. */
const ENTITIES_RESOLVED_UPSTREAM: ReadonlySet<string> = new Set(['OrgInvite']);

export interface OperationMeasure {
  /** Deepest field nesting, introspection fields left out (their depth is fixed by the spec). */
  readonly depth: number;
  readonly aliases: number;
  /** Upstream calls the operation could make before deduplication: an upper bound. */
  readonly upstreamCalls: number;
}

/**
 * Walks one operation, fragments expanded, and measures what the limits check. `_entities`
 * multiplies what is under it by the number of representations, read from the variables.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> = {},
): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  let depth = 0;
  let aliases = 0;
  let upstreamCalls = 0;

  const visit = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType | null | undefined, level: number, multiplier: number, seen: ReadonlySet<string>): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typed = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        visit(selection.selectionSet, isCompositeType(typed) ? typed : parent, level, multiplier, seen);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        // Validation has already refused unknown fragments and cycles; `seen` is a second guard.
        if (!fragment || seen.has(fragment.name.value)) continue;
        const typed = schema.getType(fragment.typeCondition.name.value);
        visit(fragment.selectionSet, isCompositeType(typed) ? typed : parent, level, multiplier, new Set([...seen, fragment.name.value]));
        continue;
      }
      visitField(selection, parent, level, multiplier, seen);
    }
  };

  const visitField = (field: FieldNode, parent: GraphQLCompositeType | null | undefined, level: number, multiplier: number, seen: ReadonlySet<string>): void => {
    const name = field.name.value;
    if (name.startsWith('__')) return;
    if (field.alias) aliases++;
    depth = Math.max(depth, level);
    let inner = multiplier;
    if (parent && UPSTREAM_FIELDS[parent.name]?.has(name)) upstreamCalls += multiplier;
    if (name === '_entities') {
      inner = multiplier * representationCount(field, variables);
      if (field.selectionSet && selectsEntityResolvedUpstream(field.selectionSet)) upstreamCalls += inner;
    }
    if (!field.selectionSet) return;
    const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
    const next = definition ? getNamedType(definition.type) : undefined;
    visit(field.selectionSet, isCompositeType(next) ? next : undefined, level + 1, inner, seen);
  };

  if (operation.selectionSet) visit(operation.selectionSet, root, 1, 1, new Set());
  return { depth, aliases, upstreamCalls };
}

function representationCount(field: FieldNode, variables: Readonly<Record<string, unknown>>): number {
  const argument = field.arguments?.find((arg) => arg.name.value === 'representations');
  if (!argument) return 0;
  const value = valueFromASTUntyped(argument.value, variables);
  return Array.isArray(value) ? value.length : 1;
}

function selectsEntityResolvedUpstream(selectionSet: SelectionSetNode): boolean {
  return selectionSet.selections.some(
    (selection) => selection.kind === Kind.INLINE_FRAGMENT && selection.typeCondition !== undefined && ENTITIES_RESOLVED_UPSTREAM.has(selection.typeCondition.name.value),
  );
}
