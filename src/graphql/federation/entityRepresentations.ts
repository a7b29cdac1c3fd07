import {
  FieldNode,
  getNamedType,
  GraphQLField,
  GraphQLFieldResolver,
  GraphQLObjectType,
  GraphQLSchema,
  isObjectType,
  isScalarType,
  isUnionType,
  Kind,
  parse,
  SelectionSetNode,
  StringValueNode,
} from 'graphql';
import { BadUserInputError } from '../../errors/gatewayErrors';

/*
 * `_entities` takes its representations as `_Any`, which accepts any JSON, and @apollo/subgraph
 * reads `__typename` off each one without a check: a representation without it, of a type that
 * is not an entity, or without its key fields ends in a TypeError or a runtime-type error, masked
 * as INTERNAL_SERVER_ERROR. A representation is the router's input like any argument, so it is
 * checked first against the entity types and their `@key`s, and a bad one is BAD_USER_INPUT
 * naming where it is. Nothing is sent upstream for a malformed list.
 */

/** The properties one `@key` requires: a leaf's JSON type, or the key of a nested object. */
type KeyShape = ReadonlyMap<string, LeafType | KeyShape>;
type LeafType = 'string' | 'number' | 'boolean' | 'any';

/** Makes the schema's `_entities` check its representations before resolving any of them. */
export function checkEntityRepresentations(schema: GraphQLSchema): void {
  const entities = schema.getQueryType()?.getFields()._entities as
    GraphQLField<unknown, unknown, { representations: unknown[] }> | undefined;
  if (!entities?.resolve) return;
  const keys = entityKeys(schema);
  const resolve: GraphQLFieldResolver<unknown, unknown, { representations: unknown[] }> = entities.resolve;
  entities.resolve = (source, args, context, info) => {
    args.representations.forEach((representation, index) => assertRepresentation(representation, `representations[${index}]`, keys));
    return resolve(source, args, context, info);
  };
}

/** Every entity type of the subgraph (the `_Entity` union), with the shapes of its `@key`s. */
function entityKeys(schema: GraphQLSchema): ReadonlyMap<string, readonly KeyShape[]> {
  const union = schema.getType('_Entity');
  const keys = new Map<string, KeyShape[]>();
  if (!isUnionType(union)) return keys;
  for (const type of union.getTypes()) {
    const shapes = (type.astNode?.directives ?? [])
      .filter((directive) => directive.name.value === 'key')
      .map((directive) => directive.arguments?.find((argument) => argument.name.value === 'fields')?.value)
      .filter((value): value is StringValueNode => value?.kind === Kind.STRING)
      .map((value) => keyShape(type, parse(`{ ${value.value} }`).definitions[0] as { selectionSet: SelectionSetNode }));
    keys.set(type.name, shapes);
  }
  return keys;
}

function keyShape(type: GraphQLObjectType, { selectionSet }: { selectionSet: SelectionSetNode }): KeyShape {
  const shape = new Map<string, LeafType | KeyShape>();
  for (const selection of selectionSet.selections as readonly FieldNode[]) {
    const name = selection.name.value;
    const fieldType = getNamedType(type.getFields()[name]?.type);
    if (selection.selectionSet && isObjectType(fieldType))
      shape.set(name, keyShape(fieldType, selection as { selectionSet: SelectionSetNode }));
    else shape.set(name, leafType(fieldType?.name, isScalarType(fieldType)));
  }
  return shape;
}

function leafType(typeName: string | undefined, scalar: boolean): LeafType {
  if (!scalar) return 'any';
  switch (typeName) {
    case 'ID':
    case 'String':
      // A router sends every ID as a string.
      return 'string';
    case 'Int':
    case 'Float':
      return 'number';
    case 'Boolean':
      return 'boolean';
    default:
      return 'any';
  }
}

function assertRepresentation(representation: unknown, at: string, keys: ReadonlyMap<string, readonly KeyShape[]>): void {
  if (!isPlainObject(representation))
    throw new BadUserInputError(`${at} must be an object with __typename and the entity's key fields`, at);
  const typename = Object.hasOwn(representation, '__typename') ? representation.__typename : undefined;
  const shapes = typeof typename === 'string' ? keys.get(typename) : undefined;
  if (shapes === undefined) {
    throw new BadUserInputError(
      `${at}.__typename must name an entity type of this subgraph: ${[...keys.keys()].join(', ')}`,
      `${at}.__typename`,
    );
  }
  // A representation needs to match one of its type's keys; report against the first.
  const problems = shapes.map((shape) => keyProblem(representation, shape, at));
  if (problems.length > 0 && problems.every((problem) => problem !== undefined)) {
    const [{ path, message }] = problems as Array<{ path: string; message: string }>;
    throw new BadUserInputError(`${path} ${message} (a key field of ${typename as string})`, path);
  }
}

function keyProblem(value: Record<string, unknown>, shape: KeyShape, at: string): { path: string; message: string } | undefined {
  for (const [name, expected] of shape) {
    const path = `${at}.${name}`;
    if (!Object.hasOwn(value, name) || value[name] === null || value[name] === undefined) return { path, message: 'is required' };
    const field = value[name];
    if (typeof expected !== 'string') {
      if (!isPlainObject(field)) return { path, message: 'must be an object' };
      const nested = keyProblem(field, expected, path);
      if (nested) return nested;
    } else if (expected !== 'any' && typeof field !== expected) {
      return { path, message: `must be a ${expected}` };
    }
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
