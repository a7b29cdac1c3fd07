import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kind, parse, print, type DefinitionNode, type DocumentNode } from 'graphql';
import * as source from '../../client/index';

/*
 * The client as a frontend repo gets it: `npm pack ./client` (its prepack builds dist/esm and
 * dist/cjs), `npm install` of the tarball into a new project outside this repository, then
 * consumer/consumer.ts and consumer/run.ts, importing the package by its name, compiled by tsc and
 * run by node under each module resolution a frontend or a Node service may have.
 */

const root = resolve(__dirname, '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const PACKAGE = '@invites-gateway/client';
const CONSUMER_FILES = ['consumer.ts', 'run.ts'];

interface Mode {
  readonly name: string;
  readonly dir: string;
  /** The consumer's package.json "type": how Node and TypeScript read its files. */
  readonly type: 'module' | 'commonjs';
  readonly compilerOptions: Readonly<Record<string, unknown>>;
  /** What run.ts reports for the package's namespace: which build Node loaded. */
  readonly namespace: '[object Module]' | '[object Object]';
}

const MODES: readonly Mode[] = [
  {
    name: 'NodeNext ESM',
    dir: 'nodenext-esm',
    type: 'module',
    compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', verbatimModuleSyntax: true },
    namespace: '[object Module]',
  },
  {
    name: 'Node16 CommonJS',
    dir: 'node16-cjs',
    type: 'commonjs',
    compilerOptions: { module: 'Node16', moduleResolution: 'Node16' },
    namespace: '[object Object]',
  },
  {
    // Set-ups from before `exports` (TypeScript < 4.7 defaults): "main" and "types" serve them.
    // Deprecated by TypeScript 6, still found in frontend repos on TypeScript 5.
    name: 'Node10 CommonJS',
    dir: 'node10-cjs',
    type: 'commonjs',
    compilerOptions: { module: 'CommonJS', moduleResolution: 'Node10', ignoreDeprecations: '6.0' },
    namespace: '[object Object]',
  },
  {
    // A Vite or webpack app's settings; node runs the output as ESM, as a bundler would read it.
    name: 'Bundler',
    dir: 'bundler',
    type: 'module',
    compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', verbatimModuleSyntax: true },
    namespace: '[object Module]',
  },
];

// A frontend's strict settings; skipLibCheck off so the package's own .d.ts files are checked too
// (with it on, an unresolvable import in them would silently become `any`).
const FRONTEND_OPTIONS = {
  target: 'ES2022',
  lib: ['ES2022', 'DOM'],
  types: [],
  strict: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  exactOptionalPropertyTypes: true,
  skipLibCheck: false,
  rootDir: 'src',
  outDir: 'out',
};

interface Run {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end; a non-zero exit is a result to assert on, not a rejection. */
function run(file: string, args: readonly string[], cwd: string): Promise<Run> {
  // npm passes its settings to scripts as npm_* variables (prefix, cache, …): under `npm test`
  // they would steer the npm started here, so it gets none of them.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return new Promise((resolvePromise, reject) => {
    execFile(file, args, { cwd, env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      // A failure with no exit code (the command never started) rejects; an exit code is a result.
      if (error && typeof error.code !== 'number') return reject(new Error(error.message, { cause: error }));
      const exitCode = typeof error?.code === 'number' ? error.code : 0;
      resolvePromise({ exitCode, stdout, stderr });
    });
  });
}

interface PackResult {
  readonly filename: string;
  readonly files: ReadonlyArray<{ readonly path: string }>;
}

/** What consumer/run.ts prints. */
interface RunOutput {
  readonly namespace: string;
  readonly hasDefault: boolean;
  readonly errorCodes: readonly string[];
  readonly isErrorCode: readonly boolean[];
  readonly errorCodeOf: string | undefined;
  readonly message: string;
  readonly documents: Readonly<Record<string, string>>;
}

let work: string;
let pack: Run;
let packed: PackResult;
let install: Run;
const compiled = new Map<string, Run>();
const ran = new Map<string, Run>();

/** Writes one consumer project of `frontend`: its package.json, tsconfig and the two sources. */
function writeConsumer(frontend: string, mode: Mode): void {
  const dir = join(frontend, mode.dir);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: mode.type }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { ...FRONTEND_OPTIONS, ...mode.compilerOptions }, include: ['src'] }),
  );
  for (const file of CONSUMER_FILES) {
    const text = readFileSync(join(__dirname, 'consumer', file), 'utf8');
    // In the repository they import client/ by path; a frontend imports the package by its name.
    writeFileSync(join(dir, 'src', file), text.replaceAll(`'../../../client/index.js'`, `'${PACKAGE}'`));
  }
}

beforeAll(async () => {
  // Outside the repository, so nothing resolves from its node_modules by walking up.
  work = mkdtempSync(join(tmpdir(), 'invites-gateway-client-'));
  pack = await run('npm', ['pack', './client', '--pack-destination', work, '--json'], root);
  if (pack.exitCode !== 0) return;
  [packed] = JSON.parse(pack.stdout) as [PackResult];

  // The peers as a frontend has them, linked from this repository's node_modules: installing
  // needs no registry (--offline), and a peer the package fails to declare stays missing.
  const frontend = join(work, 'frontend');
  const peer = (name: string): string => `file:${realpathSync(join(root, 'node_modules', name))}`;
  mkdirSync(frontend);
  writeFileSync(
    join(frontend, 'package.json'),
    JSON.stringify({
      name: 'frontend',
      version: '1.0.0',
      private: true,
      dependencies: { graphql: peer('graphql'), '@graphql-typed-document-node/core': peer('@graphql-typed-document-node/core') },
    }),
  );
  install = await run(
    'npm',
    ['install', join(work, packed.filename), '--offline', '--no-audit', '--no-fund', '--cache', join(work, 'npm-cache')],
    frontend,
  );
  if (install.exitCode !== 0) return;

  MODES.forEach((mode) => writeConsumer(frontend, mode));
  await Promise.all(
    MODES.map(async (mode) => {
      const compile = await run(process.execPath, [tsc, '-p', mode.dir, '--pretty', 'false'], frontend);
      compiled.set(mode.name, compile);
      if (compile.exitCode === 0) ran.set(mode.name, await run(process.execPath, [join(mode.dir, 'out', 'run.js')], frontend));
    }),
  );
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('npm pack builds the package and ships both builds with their types, not the sources', () => {
  expect(pack.stderr).not.toMatch(/error/i);
  expect(pack.exitCode).toBe(0);
  const paths = packed.files.map((file) => file.path);
  expect(paths.filter((path) => path !== 'package.json' && !path.startsWith('dist/'))).toEqual([]);
  expect(paths).toEqual(
    expect.arrayContaining([
      'dist/esm/index.js',
      'dist/esm/index.d.ts',
      'dist/esm/package.json',
      'dist/cjs/index.js',
      'dist/cjs/index.d.ts',
      'dist/cjs/package.json',
    ]),
  );
});

test('the tarball installs offline, its peers met by the project', () => {
  expect(install.stderr).not.toMatch(/err|peer/i); // ERESOLVE, a missing or conflicting peer
  expect(install.exitCode).toBe(0);
  expect(readdirSync(join(work, 'frontend', 'node_modules', ...PACKAGE.split('/'))).sort()).toEqual(['dist', 'package.json']);
});

/** A definition's name; every operation and fragment of schema/operations has one. */
const nameOf = (definition: DefinitionNode): string => ('name' in definition && definition.name ? definition.name.value : '');

// The operation files' definitions, each printed, by name: what the package's documents must hold.
const operationsDir = join(root, 'schema', 'operations');
const sourceDefinitions = readdirSync(operationsDir)
  .filter((file) => file.endsWith('.graphql'))
  .flatMap((file) => parse(readFileSync(join(operationsDir, file), 'utf8')).definitions);
const printedByName = new Map(sourceDefinitions.map((definition) => [nameOf(definition), print(definition)]));
const operationNames = sourceDefinitions
  .filter((definition) => definition.kind === Kind.OPERATION_DEFINITION)
  .map(nameOf)
  .sort();

// client/'s documents printed, as run.ts prints the package's.
const sourceDocuments = Object.fromEntries(
  Object.entries(source)
    .filter(([name]) => name.endsWith('Document') || name.endsWith('FragmentDoc'))
    .map(([name, document]) => [name, print(document as DocumentNode)]),
);

/** Each printed document as [name, text] per definition; `fromFiles` takes each text from the operation files. */
function definitionsOf(
  documents: Readonly<Record<string, string>>,
  fromFiles: boolean,
): Record<string, Array<[string, string | undefined]>> {
  return Object.fromEntries(
    Object.entries(documents).map(([exportName, text]) => [
      exportName,
      parse(text).definitions.map((definition): [string, string | undefined] => [
        nameOf(definition),
        fromFiles ? printedByName.get(nameOf(definition)) : print(definition),
      ]),
    ]),
  );
}

describe.each(MODES.map((mode) => [mode.name, mode] as const))('under %s', (name, mode) => {
  test('consumer.ts and run.ts compile against the installed package', () => {
    const compile = compiled.get(name);
    expect(compile?.stdout).toBe('');
    expect(compile?.exitCode).toBe(0);
  });

  test('the compiled consumer runs: the right build, ErrorCode, the guards and every document', () => {
    const result = ran.get(name);
    expect(result?.stderr).toBe('');
    expect(result?.exitCode).toBe(0);
    const output = JSON.parse(result?.stdout ?? 'null') as RunOutput;

    expect(output.namespace).toBe(mode.namespace);
    expect(output.hasDefault).toBe(false); // not the CommonJS build wrapped by an ESM import
    expect(output.errorCodes).toEqual(Object.values(source.ErrorCode));
    expect(output.isErrorCode).toEqual([true, false]);
    expect(output.errorCodeOf).toBe('NOT_FOUND');
    expect(output.message).toBe('Please sign in again.');
    // The package's documents are client/'s, and print as the operation files read.
    expect(output.documents).toEqual(sourceDocuments);
    expect(definitionsOf(output.documents, false)).toEqual(definitionsOf(output.documents, true));
    const operations = Object.keys(output.documents).filter((exportName) => exportName.endsWith('Document'));
    expect(operations.map((exportName) => exportName.replace(/Document$/, '')).sort()).toEqual(operationNames);
  });
});
