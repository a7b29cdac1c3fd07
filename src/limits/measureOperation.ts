import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  FragmentSpreadNode,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getVariableValues,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLIncludeDirective,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLSkipDirective,
  InlineFragmentNode,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  BREAK,
  Kind,
  OperationDefinitionNode,
  OperationTypeNode,
  SelectionSetNode,
  visit,
} from 'graphql';
import { callsUpstream, referenceCallsUpstream } from './upstreamMarkers';

export interface OperationMeasure {
  /** Upstream calls the operation could make before deduplication: an upper bound. */
  readonly upstreamCalls: number;
  /** `__schema` and `__type` fields, fragments counted as often as they are spread. */
  readonly introspectionFields: number;
}

/** Where counts stop growing: exact below it, and no slow arithmetic on huge numbers above it. */
export const SATURATED = Number.MAX_SAFE_INTEGER;

const ZERO: OperationMeasure = { upstreamCalls: 0, introspectionFields: 0 };
const INTROSPECTION_FIELDS: ReadonlySet<string> = new Set(['__schema', '__type']);

function add(a: OperationMeasure, b: OperationMeasure): OperationMeasure {
  if (b === ZERO) return a;
  if (a === ZERO) return b;
  return {
    upstreamCalls: Math.min(SATURATED, a.upstreamCalls + b.upstreamCalls),
    introspectionFields: Math.min(SATURATED, a.introspectionFields + b.introspectionFields),
  };
}

function times(count: number, measure: OperationMeasure): OperationMeasure {
  if (count === 0 || measure === ZERO) return ZERO;
  return {
    upstreamCalls: Math.min(SATURATED, count * measure.upstreamCalls),
    introspectionFields: Math.min(SATURATED, count * measure.introspectionFields),
  };
}

/**
 * Measures one operation for the limits that depend on the schema and the variables: the upstream
 * calls it could make, and its introspection fields. Each field marked `@CallsUpstream` counts once
 * per occurrence, fragments counted as often as they are spread; `_entities` counts each
 * representation by its `__typename` (the reference read upstream, if any, plus what is selected on
 * that type); a representation whose type cannot be read counts as every entity type at once.
 *
 * What depends on values is read from the values execution will use, coerced by graphql-js itself
 * from `variableValues` (as the request sent them) and the operation's variable definitions: a
 * variable's default, a variable and a literal count alike, and `@skip`/`@include` leave out what
 * execution leaves out. Reading the document instead once let representations given only as a
 * variable's default go uncounted.
 *
 * Linear in the document: each fragment is measured once per runtime type it is spread on (only
 * `_entities` makes that differ) and the result reused, so fragments that spread each other twice,
 * level after level, cost their size and not 2^levels walks. Counts saturate at `SATURATED`.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variableValues: Readonly<Record<string, unknown>> = {},
): OperationMeasure {
  if (!measureIgnoresVariables(document)) return measureWith(schema, document, operation, variableValues);
  let bySchema = invariantMeasures.get(schema);
  if (!bySchema) invariantMeasures.set(schema, (bySchema = new WeakMap()));
  let measure = bySchema.get(operation);
  if (!measure) bySchema.set(operation, (measure = measureWith(schema, document, operation, variableValues)));
  return measure;
}

/**
 * Measures of operations no variable can change, per schema: Apollo keeps a parsed document (and
 * so its operation nodes) for as long as it serves that text, so the same query sent again is not
 * walked, nor its variables coerced, again. Weak, so they go with the documents.
 */
const invariantMeasures = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, OperationMeasure>>();
const ignoresVariables = new WeakMap<DocumentNode, boolean>();

/**
 * Whether no variable can change the measure of any operation of the document: variables reach it
 * only through directives (`@skip`, `@include`) and `_entities`' representations; a document with
 * neither (the usual query) measures the same whatever its variables, or whether they coerce.
 */
function measureIgnoresVariables(document: DocumentNode): boolean {
  let ignores = ignoresVariables.get(document);
  if (ignores !== undefined) return ignores;
  ignores = true;
  visit(document, {
    Directive() {
      ignores = false;
      return BREAK;
    },
    Field(field) {
      if (field.name.value !== '_entities') return undefined;
      ignores = false;
      return BREAK;
    },
  });
  ignoresVariables.set(document, ignores);
  return ignores;
}

function measureWith(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variableValues: Readonly<Record<string, unknown>>,
): OperationMeasure {
  // Variables that do not coerce stop execution before any resolver runs. The measure still counts
  // the operation's fields (every @skip/@include as included), except `_entities`, whose
  // representations cannot be read and count nothing: an over-count, never an under-count.
  const coercion = getVariableValues(schema, operation.variableDefinitions ?? [], variableValues, { maxErrors: 1 });
  const variables = coercion.errors ? undefined : coercion.coerced;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  // Keyed by fragment name and runtime type; `null` marks a fragment being measured (a cycle,
  // which validation has already refused, counts nothing).
  const measured = new Map<string, OperationMeasure | null>();
  const entityTypes = entityTypesOf(schema);

  /**
   * @param parent the type the selections are on
   * @param runtime the one object type the value is known to have at run time (under `_entities`),
   *   or undefined when any possible type of `parent` may apply
   */
  const selectionSetMeasure = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType | undefined,
    runtime: GraphQLObjectType | undefined,
  ): OperationMeasure => {
    let total = ZERO;
    for (const selection of selectionSet.selections) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        total = add(total, fieldMeasure(selection, parent));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typed = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (!isCompositeType(typed) || !applies(typed, runtime)) continue;
        total = add(total, selectionSetMeasure(selection.selectionSet, typed, runtime));
      } else {
        total = add(total, fragmentMeasure(selection.name.value, runtime));
      }
    }
    return total;
  };

  const fragmentMeasure = (name: string, runtime: GraphQLObjectType | undefined): OperationMeasure => {
    const key = `${name}\u0000${runtime?.name ?? ''}`;
    const known = measured.get(key);
    if (known !== undefined) return known ?? ZERO;
    const fragment = fragments.get(name);
    const typed = fragment && schema.getType(fragment.typeCondition.name.value);
    if (!fragment || !isCompositeType(typed) || !applies(typed, runtime)) return ZERO;
    measured.set(key, null);
    const result = selectionSetMeasure(fragment.selectionSet, typed, runtime);
    measured.set(key, result);
    return result;
  };

  const fieldMeasure = (field: FieldNode, parent: GraphQLCompositeType | undefined): OperationMeasure => {
    const name = field.name.value;
    if (INTROSPECTION_FIELDS.has(name)) return { upstreamCalls: 0, introspectionFields: 1 };
    const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
    if (!definition) return ZERO;
    const own: OperationMeasure = callsUpstream(definition) ? { upstreamCalls: 1, introspectionFields: 0 } : ZERO;
    if (!field.selectionSet) return own;
    const type = getNamedType(definition.type);
    if (!isCompositeType(type)) return own;
    if (name === '_entities' && parent === schema.getQueryType())
      return add(own, entitiesMeasure(definition, field, field.selectionSet, type));
    return add(own, selectionSetMeasure(field.selectionSet, type, isObjectType(type) ? type : undefined));
  };

  /** Each representation: its reference read (if that type's is upstream) and its selections. */
  const entitiesMeasure = (
    definition: GraphQLField<unknown, unknown>,
    field: FieldNode,
    selectionSet: SelectionSetNode,
    entityUnion: GraphQLCompositeType,
  ): OperationMeasure => {
    const { byType, untyped } = representationsByType(representationsOf(definition, field, variables));
    const perType = new Map<string, OperationMeasure>();
    const perRepresentation = (type: GraphQLObjectType): OperationMeasure => {
      let measure = perType.get(type.name);
      if (measure === undefined) {
        const reference: OperationMeasure = referenceCallsUpstream(type) ? { upstreamCalls: 1, introspectionFields: 0 } : ZERO;
        measure = add(reference, selectionSetMeasure(selectionSet, entityUnion, type));
        perType.set(type.name, measure);
      }
      return measure;
    };
    let total = ZERO;
    for (const type of entityTypes) {
      total = add(total, times((byType.get(type.name) ?? 0) + untyped, perRepresentation(type)));
    }
    return total;
  };

  /**
   * Whether execution runs a selection, as graphql-js decides it: `@skip` and `@include` read with
   * the coerced variables. When they cannot be read (the variables did not coerce, or an `if` is
   * null) execution stops with an error; counting the selection then only counts too much.
   */
  const included = (selection: FieldNode | FragmentSpreadNode | InlineFragmentNode): boolean => {
    if (!variables || !selection.directives?.length) return true;
    try {
      return (
        getDirectiveValues(GraphQLSkipDirective, selection, variables)?.if !== true &&
        getDirectiveValues(GraphQLIncludeDirective, selection, variables)?.if !== false
      );
    } catch {
      return true;
    }
  };

  /** Whether selections on `condition` apply to a value of the runtime type (any, when unknown). */
  const applies = (condition: GraphQLCompositeType, runtime: GraphQLObjectType | undefined): boolean =>
    runtime === undefined || condition === runtime || (isAbstractType(condition) && schema.isSubType(condition, runtime));

  const root =
    operation.operation === OperationTypeNode.MUTATION
      ? schema.getMutationType()
      : operation.operation === OperationTypeNode.SUBSCRIPTION
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  return selectionSetMeasure(operation.selectionSet, root ?? undefined, root ?? undefined);
}

/** The object types of federation's `_Entity` union (none when the schema is not a subgraph). */
function entityTypesOf(schema: GraphQLSchema): readonly GraphQLObjectType[] {
  const union = schema.getType('_Entity');
  return isUnionType(union) ? union.getTypes() : [];
}

/**
 * The representations `_entities` will be called with: its `representations` argument coerced as
 * execution coerces it, whether written as a literal, a variable or left to a variable's default
 * (a single value where the list is expected becomes a list of one). None when the variables or
 * the argument do not coerce: execution then refuses the operation, or this field, unresolved.
 */
function representationsOf(
  definition: GraphQLField<unknown, unknown>,
  field: FieldNode,
  variables: Readonly<Record<string, unknown>> | undefined,
): readonly unknown[] {
  if (!variables) return [];
  let representations: unknown;
  try {
    representations = getArgumentValues(definition, field, variables).representations;
  } catch {
    return [];
  }
  return Array.isArray(representations) ? representations : [];
}

/** How many representations there are of each `__typename`; `untyped` counts those without a string one. */
function representationsByType(representations: readonly unknown[]): { byType: Map<string, number>; untyped: number } {
  const byType = new Map<string, number>();
  let untyped = 0;
  for (const representation of representations) {
    const typename = (representation as { __typename?: unknown } | null)?.__typename;
    if (typeof typename === 'string') byType.set(typename, (byType.get(typename) ?? 0) + 1);
    else untyped++;
  }
  return { byType, untyped };
}
