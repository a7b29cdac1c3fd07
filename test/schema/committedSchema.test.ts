import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GraphQLField, type GraphQLInputField, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import { buildApiSchemaOnce, GENERATED_SDL_HEADER, printGatewaySchema, printSubgraphSchemaSdl } from '../../src/graphql/buildGatewaySchema';

test('schema/schema.graphql is what the code emits (run `npm run schema` after changing a type)', async () => {
  const committed = readFileSync(join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8');
  expect(committed).toBe(GENERATED_SDL_HEADER + (await printGatewaySchema()));
});

test('schema/subgraph.graphql is the federation SDL the code emits (run `npm run schema`)', async () => {
  const committed = readFileSync(join(__dirname, '..', '..', 'schema', 'subgraph.graphql'), 'utf8');
  expect(committed).toBe(GENERATED_SDL_HEADER + (await printSubgraphSchemaSdl()));
});

test('every field and argument of the schema carries a description', async () => {
  const schema = await buildApiSchemaOnce();
  const undocumented: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (!type.description && !['Query', 'Mutation', 'String', 'Boolean', 'Int', 'Float', 'ID'].includes(type.name))
      undocumented.push(type.name);
    if (!isObjectType(type) && !isInterfaceType(type) && !isInputObjectType(type)) continue;
    // The three kinds' field maps, read as one list (their union of getFields() returns `any`).
    const fields: ReadonlyArray<GraphQLField<unknown, unknown> | GraphQLInputField> = Object.values(type.getFields());
    for (const field of fields) {
      if (!field.description) undocumented.push(`${type.name}.${field.name}`);
      for (const arg of 'args' in field ? field.args : []) {
        if (!arg.description) undocumented.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
  }
  expect(undocumented).toEqual([]);
});
