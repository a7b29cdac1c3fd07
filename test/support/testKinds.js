/**
 * The kinds of test file, read by jest.config.js (which files a run selects), globalSetup (whether
 * to build) and test/testKinds.test.ts (that every file's name says what it needs). CommonJS: the
 * jest config requires it before any transform exists.
 */
/**
 * Each test file has one kind, the suffix before `.test.ts` (none: a unit test). A file carries the
 * heaviest thing it needs (test/testKinds.test.ts checks it): a file that starts redis-server and
 * gateway processes is `.redis`, one that only spawns is `.process`.
 */
const KINDS = {
  unit: "in jest's process, no server or only in-process ones",
  integration: 'the gateway and the simulator in-process, over real HTTP, through injected faults',
  http: 'the simulator in-process, over real HTTP',
  lazy: 'module loading and laziness, with mocked modules',
  property: 'fast-check properties run many times',
  drift: 'generated files against a fresh generation (spawns the generator)',
  process: 'child processes: the compiled gateway, the hive-gateway CLI, tsc, kubectl, promtool, scripts',
  redis: 'a redis-server of its own (and usually gateway processes)',
  browser: 'chromium through playwright',
  fleet: 'gateway processes behind haproxy, sharing redis',
};
/**
 * What `npm run test:quick` runs: nothing that spawns, nothing that runs for long. `.integration`
 * stays out: in-process, but each drives a whole stack through injected faults for tens of seconds.
 */
const QUICK = ['unit', 'http', 'lazy'];
/** Kinds whose tests run the compiled gateway (TEST_BUILD_DIR), which globalSetup then builds. */
const RUN_THE_BUILD = ['process', 'redis', 'fleet'];

/** TEST_KINDS selects kinds, separated by commas or spaces ("quick" names QUICK); unset: all. */
function selectedKinds(value) {
  if (!value || !value.trim()) return Object.keys(KINDS);
  const kinds = value
    .split(/[\s,]+/)
    .filter(Boolean)
    .flatMap((name) => (name === 'quick' ? QUICK : [name]));
  const unknown = kinds.filter((kind) => !(kind in KINDS));
  if (unknown.length > 0)
    throw new Error(`TEST_KINDS: unknown kind ${unknown.join(', ')} (known: quick, ${Object.keys(KINDS).join(', ')})`);
  return kinds;
}

/** The path pattern of a kind's files: the suffix, or for unit files none. */
function kindPattern(kind) {
  return kind === 'unit' ? '/[^/.]+\\.test\\.ts$' : `\\.${kind}\\.test\\.ts$`;
}

module.exports = { KINDS, QUICK, RUN_THE_BUILD, selectedKinds, kindPattern };
