import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A test file's suffix is its kind (test/support/testKinds.js), and the kind decides which runs
 * include it: `npm run test:quick` takes the kinds that neither spawn nor run long. So the name
 * must say what the file needs: a file that spawns a process, starts redis-server or drives
 * chromium under a quick kind's name would make the quick loop slow and machine-dependent again.
 */

interface TestKinds {
  readonly KINDS: Readonly<Record<string, string>>;
  readonly QUICK: readonly string[];
  readonly RUN_THE_BUILD: readonly string[];
}
interface JestConfig {
  readonly testPathIgnorePatterns: readonly string[];
  readonly globals: { readonly TEST_BUILDS_GATEWAY: boolean };
}

const TEST_DIR = __dirname;
const kinds = jest.requireActual<TestKinds>('./support/testKinds.js');

/** The kinds whose files may start child processes (the browser's chromium is one). */
const SPAWNING = ['process', 'redis', 'fleet', 'browser', 'drift'];

/**
 * What a file needs, read from its source. The support modules that spawn (each imports
 * node:child_process: the last test below keeps this list whole) count when imported; attack.ts and
 * faultStack.ts also export in-process helpers, so there only their process-starting functions count.
 */
const SPAWNING_MODULES = ['gatewayProcess', 'haproxy', 'hiveGateway', 'redisServer', 'manifests', 'curlCommand'];
const NEEDS: ReadonlyArray<{ readonly need: string; readonly pattern: RegExp; readonly kinds: readonly string[] }> = [
  { need: 'chromium', pattern: /from 'playwright-core'/, kinds: ['browser'] },
  { need: 'redis-server', pattern: /\bstartRedis\(/, kinds: ['redis', 'fleet'] },
  {
    need: 'a child process',
    pattern: new RegExp(
      `node:child_process|from '[./]*(?:(?:support|deploy)/)?(?:${SPAWNING_MODULES.join('|')})'|\\bstartProduction(?:Gateway|GatewayBefore|FaultStack)\\(`,
    ),
    kinds: SPAWNING,
  },
];

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

const files = walk(TEST_DIR).filter((file) => file.endsWith('.ts'));
const testFiles = files.filter((file) => file.endsWith('.test.ts'));
/** The files to read for needs: all but this one, whose patterns name the needs. */
const readable = testFiles.filter((file) => file !== __filename);

function kindOf(file: string): string {
  const suffixes = path.basename(file, '.test.ts').split('.').slice(1);
  return suffixes.length === 0 ? 'unit' : suffixes.join('.');
}

/** The test files the jest config selects with the given TEST_KINDS (as `npm run test:<kind>`). */
function selected(testKinds: string): { files: string[]; buildsGateway: boolean } {
  const before = process.env.TEST_KINDS;
  let config: JestConfig | undefined;
  try {
    process.env.TEST_KINDS = testKinds;
    jest.isolateModules(() => {
      config = jest.requireActual<JestConfig>('../jest.config.js');
    });
  } finally {
    if (before === undefined) delete process.env.TEST_KINDS;
    else process.env.TEST_KINDS = before;
  }
  const ignored = config!.testPathIgnorePatterns.map((pattern) => new RegExp(pattern));
  return {
    files: testFiles.filter((file) => !ignored.some((pattern) => pattern.test(file))),
    buildsGateway: config!.globals.TEST_BUILDS_GATEWAY,
  };
}

const relative = (file: string): string => path.relative(TEST_DIR, file);

describe('test kinds', () => {
  test('every test file has one known kind', () => {
    expect(testFiles.filter((file) => !(kindOf(file) in kinds.KINDS)).map(relative)).toEqual([]);
  });

  test.each(NEEDS.map((entry) => [entry.need, entry] as const))(
    'a file that needs %s carries a kind that says so',
    (_need, { pattern, kinds: allowed }) => {
      const mislabelled = readable.filter((file) => pattern.test(readFileSync(file, 'utf8')) && !allowed.includes(kindOf(file)));
      expect(mislabelled.map((file) => `${relative(file)} (${kindOf(file)})`)).toEqual([]);
    },
  );

  test('each kind selects exactly its files, and the kinds together select every file once', () => {
    const seen = new Map<string, string>();
    for (const kind of Object.keys(kinds.KINDS)) {
      const chosen = selected(kind).files;
      expect(chosen.length).toBeGreaterThan(0);
      for (const file of chosen) {
        expect([relative(file), kindOf(file)]).toEqual([relative(file), kind]);
        expect(seen.get(file)).toBeUndefined();
        seen.set(file, kind);
      }
    }
    expect(seen.size).toBe(testFiles.length);
    // No TEST_KINDS (npm test, a plain `npx jest`): everything.
    expect(selected('').files).toEqual(testFiles);
  });

  test('the quick run spawns nothing and skips the gateway build; a run of spawning kinds builds it', () => {
    const quick = selected('quick');
    expect(quick.files.map(kindOf).filter((kind) => SPAWNING.includes(kind) || !kinds.QUICK.includes(kind))).toEqual([]);
    expect(quick.files.length).toBeGreaterThan(50);
    expect(quick.buildsGateway).toBe(false);
    for (const kind of kinds.RUN_THE_BUILD) expect(selected(kind).buildsGateway).toBe(true);
    expect(selected('').buildsGateway).toBe(true);
    expect(() => selected('quick,nonsense')).toThrow(/unknown kind nonsense/);
  });

  test('the spawning support modules listed above are every module in test/ that spawns', () => {
    const spawners = files
      .filter(
        (file) => !file.endsWith('.test.ts') && !file.endsWith('globalSetup.ts') && /node:child_process/.test(readFileSync(file, 'utf8')),
      )
      .map((file) => path.basename(file, '.ts'))
      .sort();
    expect(spawners).toEqual([...SPAWNING_MODULES].sort());
  });
});
