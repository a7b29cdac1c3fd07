import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

/*
 * client/generated is committed so frontends need no codegen step of their own, and
 * schema/trusted-documents.json so the gateway knows the documents they send. This runs the
 * same codegen.yml as `npm run codegen`, in memory, and fails when the committed files differ:
 * after a schema or operation change, run `npm run codegen`.
 */

const root = resolve(__dirname, '..', '..');
const generatedDir = join(root, 'client', 'generated');

/** `generate` from @graphql-codegen/cli with codegen.yml, in a child process (see the script). */
async function generateInMemory(): Promise<Map<string, string>> {
  const script = join(__dirname, 'support', 'generateInMemory.cjs');
  const { stdout } = await promisify(execFile)(process.execPath, [script], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  const outputs = JSON.parse(stdout) as Array<{ filename: string; content: string }>;
  return new Map(outputs.map((output) => [relative(root, resolve(root, output.filename)), output.content]));
}

let generated: Map<string, string>;

beforeAll(async () => {
  generated = await generateInMemory();
}, 60_000);

test('codegen.yml writes into client/generated, and the trusted-documents manifest', () => {
  expect([...generated.keys()].sort()).toEqual([
    'client/generated/enums.ts',
    'client/generated/graphql.ts',
    'schema/trusted-documents.json',
  ]);
});

/** Where a committed file first departs from the generated one, short enough to read in a failure. */
function firstDifference(file: string, content: string): string | undefined {
  const committed = existsSync(join(root, file)) ? readFileSync(join(root, file), 'utf8') : undefined;
  if (committed === content) return undefined;
  if (committed === undefined) return `${file}: missing`;
  const [was, now] = [committed.split('\n'), content.split('\n')];
  const line = now.findIndex((text, index) => text !== was[index]);
  const at = line === -1 ? now.length : line; // the committed file has extra lines
  return `${file}:${at + 1}: committed ${JSON.stringify(was[at]?.slice(0, 120))}, generated ${JSON.stringify(now[at]?.slice(0, 120))}`;
}

test('the committed client/generated and schema/trusted-documents.json are what `npm run codegen` writes (run it after a schema or operation change)', () => {
  const drift = [...generated].map(([file, content]) => firstDifference(file, content)).filter((message) => message !== undefined);
  expect(drift).toEqual([]);
});

test('client/generated holds no files codegen no longer writes', () => {
  const committed = readdirSync(generatedDir)
    .map((name) => `client/generated/${name}`)
    .sort();
  expect(committed).toEqual([...generated.keys()].filter((file) => file.startsWith('client/generated/')).sort());
});

test('ErrorCode is generated although no operation selects it', () => {
  expect(generated.get('client/generated/enums.ts')).toContain('export const ErrorCode = {');
});
