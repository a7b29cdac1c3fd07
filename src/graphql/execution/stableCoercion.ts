import {
  DirectiveLocation,
  getNamedType,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isObjectType,
  isInterfaceType,
  specifiedScalarTypes,
} from 'graphql';

/**
 * Scalars whose input coercion gives back the value it was given, so coercing twice equals
 * coercing once: graphql-js's own built-in ones (compared by identity, since a custom scalar may
 * reuse a built-in's name), and federation's `_Any` (representations pass through as is).
 */
const STABLE_SCALARS: ReadonlySet<GraphQLNamedType> = new Set(specifiedScalarTypes);
const STABLE_SCALAR_NAMES: ReadonlySet<string> = new Set(['_Any']);

/** Where a directive can appear in an operation; only those directives' arguments take variables. */
const EXECUTABLE_LOCATIONS: ReadonlySet<string> = new Set([
  DirectiveLocation.QUERY,
  DirectiveLocation.MUTATION,
  DirectiveLocation.SUBSCRIPTION,
  DirectiveLocation.FIELD,
  DirectiveLocation.FRAGMENT_DEFINITION,
  DirectiveLocation.FRAGMENT_SPREAD,
  DirectiveLocation.INLINE_FRAGMENT,
  DirectiveLocation.VARIABLE_DEFINITION,
]);

/**
 * The input types of `schema` (argument and input-field types, named) whose coerced values would
 * change if coerced again: a scalar whose `parseValue` transforms its input (a date into a `Date`)
 * or an enum whose internal values differ from its names. The compiled executor coerces
 * variables twice (graphql-js, then graphql-jit) and needs this list empty.
 */
export function inputsWithoutStableCoercion(schema: GraphQLSchema): string[] {
  const unstable = new Set<string>();
  const visited = new Set<string>();
  const visit = (type: GraphQLInputType): void => {
    const named: GraphQLNamedType = getNamedType(type);
    if (visited.has(named.name)) return;
    visited.add(named.name);
    if (isInputObjectType(named)) {
      for (const field of Object.values(named.getFields())) visit(field.type);
    } else if (isEnumType(named)) {
      if (named.getValues().some((value) => value.value !== value.name)) unstable.add(named.name);
    } else if (!STABLE_SCALARS.has(named) && !STABLE_SCALAR_NAMES.has(named.name)) {
      unstable.add(named.name);
    }
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      for (const arg of field.args) visit(arg.type);
    }
  }
  for (const directive of schema.getDirectives()) {
    if (!directive.locations.some((location) => EXECUTABLE_LOCATIONS.has(location))) continue;
    for (const arg of directive.args) visit(arg.type);
  }
  return [...unstable].sort();
}
