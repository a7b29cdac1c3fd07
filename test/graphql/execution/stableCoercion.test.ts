import {
  buildSchema,
  DirectiveLocation,
  getVariableValues,
  GraphQLDirective,
  GraphQLEnumType,
  GraphQLFieldConfigArgumentMap,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLSchemaConfig,
  GraphQLString,
  OperationDefinitionNode,
  parse,
} from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { buildGatewaySchema } from '../../../src/graphql/buildGatewaySchema';
import { inputsWithoutStableCoercion } from '../../../src/graphql/execution/stableCoercion';

/**
 * `inputsWithoutStableCoercion` decides whether the compiled executor may run a schema at all: it
 * coerces variables twice (graphql-js, then graphql-jit), which is only sound when the second
 * coercion changes nothing. A false "stable" here is a wrong answer in production.
 */

/** A scalar that turns its input into something else, as a DateTime scalar turns a string into a `Date`. */
const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  parseValue: (value) => new Date(String(value)),
  serialize: (value) => (value as Date).toISOString(),
});

/** An enum whose internal values are not its names, as REST-valued enums often are. */
const Role = new GraphQLEnumType({ name: 'Role', values: { ADMIN: { value: 'admin' }, VIEW: { value: 'view' } } });

/** A schema whose only query field takes `args`, so each test states just the inputs it is about. */
function schemaWithArgs(args: GraphQLFieldConfigArgumentMap, extra: Partial<GraphQLSchemaConfig> = {}): GraphQLSchema {
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { field: { type: GraphQLString, args } } }),
    ...extra,
  });
}

describe('the gateway schema', () => {
  test('has no input whose coercion is unstable, so it runs compiled', async () => {
    expect(inputsWithoutStableCoercion(await buildGatewaySchema())).toEqual([]);
  });
});

describe('stable inputs', () => {
  test('built-in scalars, federation’s _Any and enums valued by their names are stable', () => {
    const schema = buildSchema(`
      scalar _Any
      enum Direction { ASC DESC }
      input Page { first: Int, after: ID, exact: Boolean, ratio: Float, label: String }
      type Query {
        field(direction: Direction!, page: Page, tags: [String!], representations: [_Any!]!): String
      }
    `);
    expect(inputsWithoutStableCoercion(schema)).toEqual([]);
  });

  test('an enum built in code whose values equal their names is stable', () => {
    const Direction = new GraphQLEnumType({ name: 'Direction', values: { ASC: { value: 'ASC' }, DESC: {} } });
    expect(inputsWithoutStableCoercion(schemaWithArgs({ direction: { type: Direction } }))).toEqual([]);
  });

  test('a custom scalar or remapped enum used only in output is not an input, so it is ignored', () => {
    const schema = new GraphQLSchema({
      query: new GraphQLObjectType({ name: 'Query', fields: { at: { type: DateTime }, role: { type: Role } } }),
    });
    expect(inputsWithoutStableCoercion(schema)).toEqual([]);
  });

  test('an input type no argument reaches is ignored: no variable can be of that type', () => {
    // Validation only allows variables in argument positions of a matching type.
    const Unused = new GraphQLInputObjectType({ name: 'Unused', fields: { at: { type: DateTime } } });
    expect(inputsWithoutStableCoercion(schemaWithArgs({ name: { type: GraphQLString } }, { types: [Unused] }))).toEqual([]);
  });
});

describe('unstable inputs', () => {
  test('a custom scalar argument is reported, even from SDL where its parseValue is the identity', () => {
    // Without code there is no way to tell what a custom scalar does; it is assumed to transform.
    const schema = buildSchema('scalar DateTime\ntype Query { field(at: DateTime!): String }');
    expect(inputsWithoutStableCoercion(schema)).toEqual(['DateTime']);
  });

  test('a custom scalar that takes a built-in name is reported: built-ins are recognised by identity, not name', () => {
    const WrappedId = new GraphQLScalarType({ name: 'ID', parseValue: (value) => ({ wrapped: value }), serialize: (value) => value });
    expect(inputsWithoutStableCoercion(schemaWithArgs({ id: { type: WrappedId } }))).toEqual(['ID']);
  });

  test('a scalar that transforms its input is reported', () => {
    expect(inputsWithoutStableCoercion(schemaWithArgs({ at: { type: DateTime } }))).toEqual(['DateTime']);
  });

  test('an enum whose internal values differ from its names is reported', () => {
    expect(inputsWithoutStableCoercion(schemaWithArgs({ role: { type: Role } }))).toEqual(['Role']);
  });

  test('one remapped value is enough for the enum to be reported', () => {
    const Mixed = new GraphQLEnumType({ name: 'Mixed', values: { SAME: { value: 'SAME' }, OTHER: { value: 2 } } });
    expect(inputsWithoutStableCoercion(schemaWithArgs({ mixed: { type: Mixed } }))).toEqual(['Mixed']);
  });

  test('the unstable named type is found through lists, non-null and nested input objects', () => {
    const Grant = new GraphQLInputObjectType({ name: 'Grant', fields: { role: { type: Role }, since: { type: DateTime } } });
    const Invite = new GraphQLInputObjectType({
      name: 'Invite',
      fields: { email: { type: GraphQLString }, grants: { type: new GraphQLList(new GraphQLNonNull(Grant)) } },
    });
    // The input objects themselves are stable containers; their unstable leaves are what is named.
    expect(inputsWithoutStableCoercion(schemaWithArgs({ invite: { type: new GraphQLNonNull(Invite) } }))).toEqual(['DateTime', 'Role']);
  });

  test('a self-referencing input object is visited once and its unstable field still found', () => {
    const schema = buildSchema(`
      scalar Cursor
      input Filter { and: [Filter!], or: [Filter!], not: Filter, after: Cursor }
      type Query { field(filter: Filter): String }
    `);
    expect(inputsWithoutStableCoercion(schema)).toEqual(['Cursor']);
  });

  test('arguments of interface fields and of fields below the root are inspected', () => {
    const schema = buildSchema(`
      scalar Money
      scalar Cursor
      interface Node { price(currency: Money): String }
      type Item implements Node { price(currency: Money): String, next(after: Cursor): Item }
      type Query { item: Item }
    `);
    expect(inputsWithoutStableCoercion(schema)).toEqual(['Cursor', 'Money']);
  });

  test('an argument of a mutation field is inspected like a query field’s', () => {
    const schema = buildSchema('scalar Upload\ntype Query { ok: Boolean }\ntype Mutation { upload(file: Upload!): Boolean }');
    expect(inputsWithoutStableCoercion(schema)).toEqual(['Upload']);
  });

  test('each type is named once, in sorted order, however many arguments use it', () => {
    const schema = buildSchema(`
      scalar Zeta
      scalar Alpha
      type Query { a(x: Zeta, y: Alpha): String, b(x: [Zeta], y: Alpha!): String }
    `);
    expect(inputsWithoutStableCoercion(schema)).toEqual(['Alpha', 'Zeta']);
  });
});

describe('directive arguments', () => {
  function schemaWithDirective(locations: DirectiveLocation[]): GraphQLSchema {
    const directive = new GraphQLDirective({ name: 'since', locations, args: { at: { type: DateTime } } });
    return schemaWithArgs({}, { directives: [directive] });
  }

  test('a type-system-only directive’s arguments are ignored: operations cannot use it, so no variable reaches it', () => {
    expect(inputsWithoutStableCoercion(schemaWithDirective([DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.OBJECT]))).toEqual([]);
  });

  test.each([
    DirectiveLocation.QUERY,
    DirectiveLocation.MUTATION,
    DirectiveLocation.SUBSCRIPTION,
    DirectiveLocation.FIELD,
    DirectiveLocation.FRAGMENT_DEFINITION,
    DirectiveLocation.FRAGMENT_SPREAD,
    DirectiveLocation.INLINE_FRAGMENT,
    DirectiveLocation.VARIABLE_DEFINITION,
  ])('an executable directive (on %s) has its arguments reported', (location) => {
    expect(inputsWithoutStableCoercion(schemaWithDirective([location]))).toEqual(['DateTime']);
  });

  test('a directive allowed both in the type system and in operations is executable, so reported', () => {
    expect(inputsWithoutStableCoercion(schemaWithDirective([DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.FIELD]))).toEqual([
      'DateTime',
    ]);
  });

  test('the specified directives (@skip, @include, @deprecated, @specifiedBy) take only stable arguments', () => {
    // Every GraphQLSchema carries them unless told otherwise; they must never block compilation.
    expect(inputsWithoutStableCoercion(buildSchema('type Query { field: String }'))).toEqual([]);
  });
});

/**
 * Why the list matters: what the compiled executor would do with a reported input. graphql-js
 * coerces the variable, then graphql-jit coerces graphql-js's output again.
 */
describe('what goes wrong with the reported inputs when coerced twice', () => {
  /** A scalar whose parseValue only accepts what it is given on the wire (a "1.50" string into 150 cents). */
  const Cents = new GraphQLScalarType<number, string>({
    name: 'Cents',
    parseValue: (value) => {
      if (typeof value !== 'string' || !/^\d+\.\d\d$/.test(value)) throw new TypeError(`Cents cannot parse ${JSON.stringify(value)}`);
      return Math.round(Number(value) * 100);
    },
    serialize: (value) => ((value as number) / 100).toFixed(2),
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        price: {
          type: GraphQLString,
          args: { amount: { type: Cents } },
          resolve: (_root, args: { amount: number }) => String(args.amount),
        },
        role: { type: GraphQLString, args: { role: { type: Role } }, resolve: (_root, args: { role: string }) => args.role },
      },
    }),
  });

  /** Coerces like graphql-js, then runs the operation compiled on the coerced values, as the compiled executor would. */
  async function twice(source: string, variables: Record<string, unknown>): Promise<unknown> {
    const document = parse(source);
    const operation = document.definitions[0] as OperationDefinitionNode;
    const once = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (once.errors) throw once.errors[0];
    const compiled = compileQuery(schema, document);
    if (!isCompiledQuery(compiled)) throw new Error('did not compile');
    return compiled.query(undefined, {}, once.coerced);
  }

  test('the schema is reported, so the compiled executor runs it on graphql-js', () => {
    expect(inputsWithoutStableCoercion(schema)).toEqual(['Cents', 'Role']);
  });

  test('a transforming scalar fails its second coercion', async () => {
    const result = (await twice('query($amount: Cents) { price(amount: $amount) }', { amount: '1.50' })) as {
      errors?: Array<{ message: string }>;
    };
    expect(result.errors?.[0].message).toMatch(/got invalid value 150; Expected type Cents/);
  });

  test('a remapped enum’s internal value is not one of its names the second time', async () => {
    const result = (await twice('query($role: Role) { role(role: $role) }', { role: 'ADMIN' })) as { errors?: Array<{ message: string }> };
    expect(result.errors?.[0].message).toMatch(/got invalid value "admin"; Expected type Role/);
  });
});
