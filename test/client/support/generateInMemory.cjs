// Runs codegen.yml as `npm run codegen` does but keeps the output in memory, and prints it as
// JSON ([{ filename, content }]) on stdout. A separate Node process because @graphql-codegen/cli
// loads yargs, which is ESM only: Node 20 can require it, jest's module registry cannot.
'use strict';
const { resolve } = require('node:path');
const { generate, loadCodegenConfig } = require('@graphql-codegen/cli');

async function main() {
  const root = resolve(__dirname, '..', '..', '..');
  const { config } = await loadCodegenConfig({ configFilePath: resolve(root, 'codegen.yml') });
  const outputs = await generate({ ...config, cwd: root, silent: true }, false);
  process.stdout.write(JSON.stringify(outputs.map(({ filename, content }) => ({ filename, content }))));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
