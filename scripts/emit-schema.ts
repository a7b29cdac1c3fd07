/**
 * Writes `schema/schema.graphql` (the client-facing schema) and `schema/subgraph.graphql` (the
 * federation SDL) from the code-first schema. Run through `npm run schema` after changing a type,
 * argument or description; `test/schema/committedSchema.test.ts` fails until then.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_SDL_HEADER, printGatewaySchema, printSubgraphSchemaSdl } from '../src/graphql/buildGatewaySchema';

async function main(): Promise<void> {
  const folder = join(__dirname, '..', '..', 'schema');
  writeFileSync(join(folder, 'schema.graphql'), GENERATED_SDL_HEADER + (await printGatewaySchema()));
  writeFileSync(join(folder, 'subgraph.graphql'), GENERATED_SDL_HEADER + (await printSubgraphSchemaSdl()));
  console.log(`wrote ${folder}/schema.graphql and subgraph.graphql`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
