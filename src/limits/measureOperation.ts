import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLObjectType,
  GraphQLSchema,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  Kind,
  OperationDefinitionNode,
  OperationTypeNode,
  SelectionSetNode,
  valueFromASTUntyped,
  ValueNode,
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
 * Linear in the document: each fragment is measured once per runtime type it is spread on (only
 * `_entities` makes that differ) and the result reused, so fragments that spread each other twice,
 * level after level, cost their size and not 2^levels walks. Counts saturate at `SATURATED`.
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
  // Keyed by fragment name and runtime type; `null` marks a fragment being measured (a cycle,
  // which validation has already refused, counts nothing).
  const measured = new Map<string, OperationMeasure | null>();
  const entityTypes = entityTypesOf(schema);

  /**
   * @param parent the type the selections are on
   * @param runtime the one object type the value is known to have at run time (under `_entities`),
   *   or undefined when any possible type of `parent` may apply
   */
  const selectionSetMeasure = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType | undefined, runtime: GraphQLObjectType | undefined): OperationMeasure => {
    let total = ZERO;
    for (const selection of selectionSet.selections) {
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
    if (name === '_entities' && parent === schema.getQueryType()) return add(own, entitiesMeasure(field, field.selectionSet, type));
    return add(own, selectionSetMeasure(field.selectionSet, type, isObjectType(type) ? type : undefined));
  };

  /** Each representation: its reference read (if that type's is upstream) and its selections. */
  const entitiesMeasure = (field: FieldNode, selectionSet: SelectionSetNode, entityUnion: GraphQLCompositeType): OperationMeasure => {
    const { byType, untyped } = representationsByType(field, variables);
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

  /** Whether selections on `condition` apply to a value of the runtime type (any, when unknown). */
  const applies = (condition: GraphQLCompositeType, runtime: GraphQLObjectType | undefined): boolean =>
    runtime === undefined || condition === runtime || (isAbstractType(condition) && schema.isSubType(condition, runtime));

  const root = operation.operation === OperationTypeNode.MUTATION ? schema.getMutationType() : operation.operation === OperationTypeNode.SUBSCRIPTION ? schema.getSubscriptionType() : schema.getQueryType();
  return selectionSetMeasure(operation.selectionSet, root ?? undefined, root ?? undefined);
}

/** The object types of federation's `_Entity` union (none when the schema is not a subgraph). */
function entityTypesOf(schema: GraphQLSchema): readonly GraphQLObjectType[] {
  const union = schema.getType('_Entity');
  return isUnionType(union) ? union.getTypes() : [];
}

/**
 * How many representations `_entities` gets of each `__typename`, read from a literal or the
 * variables; `untyped` counts those without a string `__typename` (and a value that is not a list,
 * which GraphQL reads as a list of one).
 */
function representationsByType(field: FieldNode, variables: Readonly<Record<string, unknown>>): { byType: Map<string, number>; untyped: number } {
  const byType = new Map<string, number>();
  const argument = field.arguments?.find((arg) => arg.name.value === 'representations');
  const value = argument ? readValue(argument.value, variables) : [];
  const representations = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  let untyped = 0;
  for (const representation of representations) {
    const typename = (representation as { __typename?: unknown } | null)?.__typename;
    if (typeof typename === 'string') byType.set(typename, (byType.get(typename) ?? 0) + 1);
    else untyped++;
  }
  return { byType, untyped };
}

function readValue(node: ValueNode, variables: Readonly<Record<string, unknown>>): unknown {
  return node.kind === Kind.VARIABLE ? variables[node.name.value] : valueFromASTUntyped(node, variables);
}
