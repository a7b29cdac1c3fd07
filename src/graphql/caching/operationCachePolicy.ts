import {
  ConstDirectiveNode,
  DocumentNode,
  FragmentDefinitionNode,
  getNamedType,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLSchema,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';

export type CacheScope = 'PUBLIC' | 'PRIVATE';

/** A cache hint as Apollo's `CachePolicy.restrict` takes it. */
export interface StaticCacheHint {
  readonly maxAge?: number;
  readonly scope?: CacheScope;
}

/** What one `@cacheControl` says: a hint, or that the field inherits its parent's maxAge. */
interface Annotation extends StaticCacheHint {
  readonly inheritMaxAge?: boolean;
}

/** The federation field a router fetches entities with; see `fieldHint`. */
const ENTITIES_FIELD = '_entities';

/**
 * The cache policy of one operation, from the schema's `@cacheControl` hints alone, by Apollo's
 * rules (`ApolloServerPluginCacheControl`, defaultMaxAge 0): each field's hint is its return type's,
 * replaced by its own; a root field or a field of object type without a maxAge gets 0 unless it
 * inherits; a scalar field inherits its parent's; the operation's policy is the most restrictive
 * of all its fields' (smallest maxAge, PRIVATE over PUBLIC).
 *
 * Apollo computes the same while resolving, from a hook around every field resolver; that hook
 * never runs for an operation graphql-jit executes, and costs a call per field of every answer
 * otherwise. Nothing in this schema sets a hint at run time, so the policy depends on the
 * document only and is computed once per parsed operation. Where the two could differ, this one is
 * stricter: fields under `@skip`, a fragment on a type the answer does not hold, or items of an
 * empty list count here though they are never resolved.
 */
export function operationCachePolicy(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): StaticCacheHint {
  const root = schema.getRootType(operation.operation);
  if (!root) return {};
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const policy: { maxAge?: number; scope?: CacheScope } = {};
  const restrict = (hint: StaticCacheHint): void => {
    if (hint.maxAge !== undefined && (policy.maxAge === undefined || hint.maxAge < policy.maxAge)) policy.maxAge = hint.maxAge;
    if (hint.scope === 'PRIVATE' || (hint.scope === 'PUBLIC' && policy.scope === undefined)) policy.scope = hint.scope;
  };
  // A fragment spread twice under one type adds nothing the first walk did not.
  const walked = new Set<string>();
  const walk = (selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, isRoot: boolean): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeName = selection.typeCondition?.name.value;
        const type = typeName ? schema.getType(typeName) : parentType;
        if (type && isCompositeType(type)) walk(selection.selectionSet, type, isRoot);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        const key = `${selection.name.value}\u0000${parentType.name}`;
        if (!fragment || !type || !isCompositeType(type) || walked.has(key)) continue;
        walked.add(key);
        walk(fragment.selectionSet, type, isRoot);
        continue;
      }
      // Meta fields (`__typename`, introspection) have no resolver Apollo would time: no hint, as there.
      if (selection.name.value.startsWith('__') || !(isObjectType(parentType) || isInterfaceType(parentType))) continue;
      const field = parentType.getFields()[selection.name.value];
      if (!field) continue;
      restrict(fieldHint(schema, field, isRoot));
      const target = getNamedType(field.type);
      if (selection.selectionSet && isCompositeType(target)) walk(selection.selectionSet, target, false);
    }
  };
  walk(operation.selectionSet, root, true);
  return policy;
}

/** One field's own policy, as Apollo's `willResolveField` sets it before any dynamic hint. */
function fieldHint(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>, isRoot: boolean): StaticCacheHint {
  const target = getNamedType(field.type);
  let maxAge: number | undefined;
  let scope: CacheScope | undefined;
  let inheritMaxAge = false;
  if (isCompositeType(target)) {
    const typeAnnotation =
      isAbstractType(target) && field.name === ENTITIES_FIELD ? entitiesAnnotation(schema, target) : typeAnnotationOf(target);
    ({ maxAge, scope } = typeAnnotation);
    inheritMaxAge = typeAnnotation.inheritMaxAge === true;
  }
  const fieldAnnotation = annotationOf(field.astNode?.directives);
  if (fieldAnnotation.inheritMaxAge && maxAge === undefined) {
    inheritMaxAge = true;
    if (fieldAnnotation.scope) scope = fieldAnnotation.scope;
  } else {
    // Apollo's `replace`: only what the annotation says overrides.
    if (fieldAnnotation.maxAge !== undefined) maxAge = fieldAnnotation.maxAge;
    if (fieldAnnotation.scope !== undefined) scope = fieldAnnotation.scope;
  }
  if (maxAge === undefined && ((isCompositeType(target) && !inheritMaxAge) || isRoot)) maxAge = 0;
  return { maxAge, scope };
}

/**
 * `_entities` returns the `_Entity` union, which has no hint of its own: `@apollo/subgraph`'s
 * resolver restricts the field by each entity's type hint as it resolves them. Statically, by the
 * most restrictive of every entity type.
 */
function entitiesAnnotation(schema: GraphQLSchema, union: GraphQLCompositeType & { name: string }): Annotation {
  const own = typeAnnotationOf(union);
  if (own.maxAge !== undefined || own.scope !== undefined || own.inheritMaxAge) return own;
  if (!isAbstractType(union)) return own;
  let maxAge: number | undefined;
  let scope: CacheScope | undefined;
  for (const type of schema.getPossibleTypes(union)) {
    const hint = typeAnnotationOf(type);
    // An entity without its own maxAge would get 0 when resolved: the union's does too.
    const typeMaxAge = hint.maxAge ?? 0;
    maxAge = maxAge === undefined ? typeMaxAge : Math.min(maxAge, typeMaxAge);
    if (hint.scope === 'PRIVATE' || (hint.scope === 'PUBLIC' && scope === undefined)) scope = hint.scope;
  }
  return { maxAge, scope };
}

const typeAnnotations = new WeakMap<GraphQLCompositeType, Annotation>();

/** A type's `@cacheControl`, from its definition or an extension of it (as Apollo reads it). */
export function typeAnnotationOf(type: GraphQLCompositeType): Annotation {
  let annotation = typeAnnotations.get(type);
  if (annotation) return annotation;
  const nodes = [type.astNode, ...(type.extensionASTNodes ?? [])];
  annotation = nodes.map((node) => (node ? annotationOf(node.directives) : {})).find(isAnnotated) ?? {};
  typeAnnotations.set(type, annotation);
  return annotation;
}

function isAnnotated(annotation: Annotation): boolean {
  return annotation.maxAge !== undefined || annotation.scope !== undefined || annotation.inheritMaxAge === true;
}

/** Apollo's reading of the directive's arguments: literal values only. */
function annotationOf(directives: readonly ConstDirectiveNode[] | undefined): Annotation {
  const directive = directives?.find((node) => node.name.value === 'cacheControl');
  if (!directive?.arguments) return {};
  const argument = (name: string) => directive.arguments?.find((node) => node.name.value === name)?.value;
  const scopeValue = argument('scope');
  const scope =
    scopeValue?.kind === Kind.ENUM && (scopeValue.value === 'PUBLIC' || scopeValue.value === 'PRIVATE') ? scopeValue.value : undefined;
  const inherit = argument('inheritMaxAge');
  if (inherit?.kind === Kind.BOOLEAN && inherit.value) return { inheritMaxAge: true, scope };
  const maxAge = argument('maxAge');
  return { maxAge: maxAge?.kind === Kind.INT ? parseInt(maxAge.value, 10) : undefined, scope };
}
