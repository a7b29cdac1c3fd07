/*
 * `npm run build` here, and `npm pack` through prepack: compiles the client with the repository's
 * TypeScript twice, ES modules into dist/esm and CommonJS into dist/cjs, each with its .d.ts
 * files. A package.json in each folder gives its module type, so Node and TypeScript read
 * dist/esm as ESM and dist/cjs as CommonJS whatever the consumer's own "type" is.
 */
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = fileURLToPath(new URL('.', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const builds = [
  { project: 'tsconfig.esm.json', dir: 'dist/esm', type: 'module' },
  { project: 'tsconfig.cjs.json', dir: 'dist/cjs', type: 'commonjs' },
];

rmSync(new URL('dist', import.meta.url), { recursive: true, force: true });
const results = await Promise.allSettled(
  builds.map(({ project }) => promisify(execFile)(process.execPath, [tsc, '-p', project], { cwd: here })),
);
const failures = results.filter((result) => result.status === 'rejected');
// tsc prints its diagnostics on stdout; a failure to start it has none.
for (const { reason } of failures)
  process.stderr.write(reason.stdout || reason.stderr ? `${reason.stdout}${reason.stderr}` : `${reason}\n`);
if (failures.length > 0) process.exit(1);
for (const { dir, type } of builds) writeFileSync(new URL(`${dir}/package.json`, import.meta.url), `${JSON.stringify({ type })}\n`);
