/**
 * Writes `schema/schema.graphql` from the code-first schema. Run through `npm run schema` after
 * changing a type, argument or description; `test/schema/committed-schema.test.ts` fails until then.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printGatewaySchema } from '../src/graphql/buildGatewaySchema';

async function main(): Promise<void> {
  const target = join(__dirname, '..', '..', 'schema', 'schema.graphql');
  writeFileSync(target, await printGatewaySchema());
  console.log(`wrote ${target}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
