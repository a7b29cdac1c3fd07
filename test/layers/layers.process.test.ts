import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The declared layers of `npm run lint` (eslint.layers.mjs): ESLint, with only those rules, lints
 * small texts placed at real paths of src/ that break a rule (or keep to it) and reports what it
 * found. The texts are never written: each is linted as if it were the file at its path, so the
 * imports resolve against the real tree.
 */

const ROOT = path.resolve(__dirname, '..', '..');

interface Case {
  /** Where the text is linted as if it were. */
  readonly file: string;
  readonly text: string;
}

interface Found {
  readonly rule: string | null;
  readonly message: string;
}

/** ESLint is an ES module and jest runs CommonJS: a child Node lints every case in one run. */
const LINT = `
import { ESLint } from 'eslint';
import { layerConfig } from './eslint.layers.mjs';
const cases = JSON.parse(process.argv[1]);
const eslint = new ESLint({ cwd: process.cwd(), overrideConfigFile: true, overrideConfig: layerConfig(process.cwd()) });
const found = [];
for (const { file, text } of cases) {
  const [result] = await eslint.lintText(text, { filePath: file });
  found.push(result.messages.map(({ ruleId, message }) => ({ rule: ruleId, message })));
}
console.log(JSON.stringify(found));
`;

function lint(cases: readonly Case[]): Found[][] {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', LINT, JSON.stringify(cases)], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`eslint run failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Found[][];
}

const RESOLVER = 'src/graphql/resolvers/InviteListResolver.ts';
const importing = (specifier: string): string => `import * as imported from '${specifier}';\nexport const used = imported;\n`;

const CASES = {
  resolverReadsTheSimulator: { file: RESOLVER, text: importing('../../simulator/demoData') },
  resolverCallsTheRestClient: { file: RESOLVER, text: importing('../../rest/HttpInvitesApi') },
  resolverNamesAnUpstreamAction: { file: RESOLVER, text: importing('../../rest/upstreamActions') },
  restReadsTheLoader: { file: 'src/rest/requests.ts', text: importing('../loaders/InviteLoader') },
  loaderReadsTheServer: { file: 'src/loaders/InviteLoader.ts', text: importing('../server/startGateway') },
  playgroundReadsTheSimulator: { file: 'src/playground/exampleOperations.ts', text: importing('../simulator/demoData') },
  serverStartsTheSimulator: { file: 'src/server/startGateway.ts', text: importing('../simulator/SimulatorServer') },
  // The one edge into the simulator production code has: main.ts starts the embedded one.
  mainStartsTheSimulator: { file: 'src/main.ts', text: importing('./simulator/SimulatorServer') },
  productionReadsTestSupport: { file: 'src/server/startGateway.ts', text: importing('../../test/support/stack') },
  simulatorReadsTheGateway: { file: 'src/simulator/InviteRoutes.ts', text: importing('../graphql/buildGatewaySchema') },
  tracingReadsTheRestClient: { file: 'src/observability/tracing/upstreamSpan.ts', text: importing('../../rest/requests') },
  restSendsSpans: { file: 'src/rest/requests.ts', text: importing('../observability/tracing/traceContext') },
  restReadsTheOperationPlugin: { file: 'src/rest/requests.ts', text: importing('../observability/observabilityPlugin') },
  // errorCodeEnum.ts as it is, plus the import back of the file that imports it.
  fileCycle: {
    file: 'src/graphql/errorCodeEnum.ts',
    text: `${readFileSync(path.join(ROOT, 'src/graphql/errorCodeEnum.ts'), 'utf8')}\nimport { buildApiSchemaOnce } from './buildGatewaySchema';\nexport const schema = buildApiSchemaOnce;\n`,
  },
} satisfies Record<string, Case>;

type CaseName = keyof typeof CASES;
let found: Record<CaseName, Found[]>;

beforeAll(() => {
  const names = Object.keys(CASES) as CaseName[];
  const results = lint(names.map((name) => CASES[name]));
  found = Object.fromEntries(names.map((name, index) => [name, results[index]])) as Record<CaseName, Found[]>;
}, 120_000);

// A case at a path that no longer exists, or importing one, would be refused or allowed for the
// wrong reason (an unresolved import matches no zone): every file and every import must be real.
test.each(Object.entries(CASES))('%s lints a real file importing a real one', (_name, { file, text }) => {
  expect(existsSync(path.join(ROOT, file))).toBe(true);
  for (const [, specifier] of text.matchAll(/from '(\.[^']+)'/g)) {
    const target = `${path.join(path.dirname(file), specifier)}.ts`;
    expect({ target, exists: existsSync(path.join(ROOT, target)) }).toEqual({ target, exists: true });
  }
});

const zone = (message: string): Found => ({ rule: 'import-x/no-restricted-paths', message: expect.stringContaining(message) });

test.each([
  ['resolverReadsTheSimulator', 'graphql may not import simulator'],
  ['resolverCallsTheRestClient', 'graphql may not import rest beyond its vocabulary'],
  ['restReadsTheLoader', 'rest may not import loaders'],
  ['loaderReadsTheServer', 'loaders may not import server'],
  ['playgroundReadsTheSimulator', 'playground may not import simulator'],
  ['serverStartsTheSimulator', 'server may not import simulator'],
  ['productionReadsTestSupport', 'src/ may not import test/'],
  ['simulatorReadsTheGateway', 'simulator may not import graphql'],
  ['tracingReadsTheRestClient', 'tracing may not import rest'],
  ['restReadsTheOperationPlugin', 'rest may not import observability'],
] as const)('%s is refused: %s', (name, message) => {
  // Replacing a real file can close a cycle too (the stack imports startGateway.ts back): the zone is what is asked.
  expect(found[name]).toContainEqual(zone(message));
});

test.each(['resolverNamesAnUpstreamAction', 'mainStartsTheSimulator', 'restSendsSpans'] as const)('%s is allowed', (name) => {
  expect(found[name]).toEqual([]);
});

test('a cycle between two files is refused', () => {
  expect(found.fileCycle).toEqual([{ rule: 'import-x/no-cycle', message: expect.stringContaining('Dependency cycle') }]);
});
