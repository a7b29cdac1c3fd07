import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The layering rule of `npm run lint` (scripts/check-layers.mjs): no folder of src/ imports one
 * that imports it back. Run as the lint step runs it, on the real tree and on small trees made
 * here with a deliberate back-arrow.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const CHECKER = path.join(ROOT, 'scripts', 'check-layers.mjs');

function check(cwd: string, ...roots: string[]): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [CHECKER, ...roots], { cwd, encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

describe('the layering rule', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'layers-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function tree(files: Record<string, string>): void {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
  }

  test('src/ has no folder that imports one that imports it back', () => {
    const { status, output } = check(ROOT);
    expect(output).toContain('no folder of src imports one that imports it back');
    expect(status).toBe(0);
  });

  test('a type-only import back into server/ in a copy of src/ fails, naming the arrows', () => {
    cpSync(path.join(ROOT, 'src'), path.join(dir, 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'src', 'graphql', 'backArrow.ts'), "import type { RunningGateway } from '../server/startGateway';\nexport type Back = RunningGateway;\n");
    const { status, output } = check(dir);
    expect(status).toBe(1);
    expect(output).toMatch(/graphql\/.*server\/ import one another/);
    expect(output).toContain('graphql/ -> server/  src/graphql/backArrow.ts -> ../server/startGateway');
    expect(output).toContain('server/ -> graphql/  src/server/startGateway.ts -> ../graphql/buildGatewaySchema');
  });

  test('a cycle through three folders, drawn by require(), import() and typeof import(), fails', () => {
    tree({
      'src/a/one.ts': "export const one = require('../b/two');\n",
      'src/b/two.ts': "export const two = import('../c/three');\n",
      'src/c/three.ts': "export type Three = typeof import('../a/one');\n",
    });
    const { status, output } = check(dir);
    expect(status).toBe(1);
    expect(output).toContain('src: a/, b/, c/ import one another');
  });

  test('re-exports and import-equals count; arrows within a folder, out of the root and in one direction pass', () => {
    tree({
      'src/main.ts': "import { a } from './a/index';\nexport { a };\n",
      'src/a/index.ts': "export * from './deep/inner';\nexport { b } from '../b/b';\n",
      'src/a/deep/inner.ts': "import config = require('../../../package.json');\nexport const a = config;\n",
      'src/b/b.ts': "export const b = 1;\n",
    });
    expect(check(dir).status).toBe(0);
    writeFileSync(path.join(dir, 'src', 'b', 'back.ts'), "import x = require('../a/index');\nexport { x };\n");
    expect(check(dir)).toEqual({ status: 1, output: expect.stringContaining('b/ -> a/  src/b/back.ts -> ../a/index') });
    rmSync(path.join(dir, 'src', 'b', 'back.ts'));
    writeFileSync(path.join(dir, 'src', 'b', 'back.ts'), "export * from '../a/deep/inner';\n");
    expect(check(dir)).toEqual({ status: 1, output: expect.stringContaining('b/ -> a/  src/b/back.ts -> ../a/deep/inner') });
  });

  test('npm run lint runs it over src', () => {
    const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.lint).toContain('node scripts/check-layers.mjs src');
  });
});
