// `npm run mutation`: Stryker changes the code of the folders below one small edit (a mutant) at a
// time and runs the tests that cover that code; a mutant no test notices marks code whose tests
// cannot fail. Too slow for `npm test` (about half an hour on two cores); test/mutation/RESULTS.md
// keeps the scores of the last run and the survivors judged harmless. Settings left at Stryker's
// defaults are not repeated here.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  // The folders whose tests were found unable to fail, and the code around them that decides what
  // a client is refused and when an upstream call is retried.
  mutate: [
    'src/limits/**/*.ts',
    'src/errors/**/*.ts',
    'src/rest/resilience/**/*.ts',
    'src/graphql/execution/**/*.ts',
    'src/validation/**/*.ts',
  ],
  testRunner: 'jest',
  jest: {
    // jest.config.js (swc, reflect-metadata, the `.js` mapper), with the changes below.
    configFile: 'jest.config.js',
    config: {
      // globalSetup compiles src/ for the tests that start the gateway as its own process. Those
      // run the compiled copy, where no mutant is active, so they are left out below; without
      // them the compile (and the teardown's log check) would only add seconds to every run.
      globalSetup: null,
      globalTeardown: null,
      // Stryker runs each mutant with jest's --findRelatedTests, which follows imports only through
      // files under `roots`: with test/ alone, a mutant reached through src/server (the limits
      // plugin, the compiled executor) found no test at all and read as survived.
      roots: ['<rootDir>/test', '<rootDir>/src'],
      // Each folder against the suites written for it (test/ mirrors src/), all of them in jest's
      // own process. The wider in-process set (test/server, test/observability, the rest of
      // test/rest and test/graphql) took over two hours on two shared cores: every mutant in
      // src/errors, which every request reaches, loaded and ran most of it again. The suites that
      // start the compiled gateway as a child process (the .process, .redis and .fleet kinds) could not count in
      // any case: no mutant is active in that copy.
      testMatch: ['<rootDir>/test/{limits,errors,rest/resilience,graphql/execution,validation}/**/*.test.ts'],
      testPathIgnorePatterns: [
        '/node_modules/',
        // Drive a whole stack through injected faults for 33 s; ResilientInvitesApi.test.ts and
        // retryPolicy.test.ts cover the same code with fake upstreams, in 3 s.
        '<rootDir>/test/rest/resilience/\\w+\\.integration\\.test\\.ts$',
        // Its afterAll checks that the suite saw every error code; run with only the tests that
        // cover one mutant it always fails, and Stryker counts the mutant as a run error.
        '<rootDir>/test/errors/errorCodes\\.integration\\.test\\.ts$',
      ],
    },
  },
  // Each mutant runs only the tests that reached its code in the first, unmutated run.
  coverageAnalysis: 'perTest',
  // A static mutant (a module-level constant: a table, a regex, a limit) is only active once the
  // module is loaded again, so each one reruns every suite: a third of the mutants took 80% of
  // the time, two hours on two shared cores. They are reported as "ignored", not as killed.
  ignoreStatic: true,
  // The machine's two cores are shared: run it as `nice -n 19` (the npm script does).
  concurrency: 2,
  // Generated or unrelated trees: not copied into Stryker's sandbox.
  ignorePatterns: ['dist', 'dist-bench', 'artifacts', 'coverage', 'reports', 'bench/results'],
  // Kept in reports/stryker-incremental.json: a later run tests again only the mutants whose code
  // or covering tests changed, and reuses the other results.
  incremental: true,
  // A mutant's time limit is its tests' time in the first run plus this. Those tests' hooks and
  // module loading count against it (a suite starts its gateways once, in beforeAll), and at the
  // default 5 s, under a loaded machine, most mutants of src/errors timed out without a hang.
  timeoutMS: 15000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
};
