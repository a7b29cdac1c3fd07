/** Jest runs the TypeScript sources through swc: 2-3x faster than ts-jest, with the legacy
 * decorators and emitted metadata that type-graphql reads. */

const { KINDS, RUN_THE_BUILD, selectedKinds, kindPattern } = require('./test/support/testKinds.js');

const kinds = selectedKinds(process.env.TEST_KINDS);

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: [
    '/node_modules/',
    ...Object.keys(KINDS)
      .filter((kind) => !kinds.includes(kind))
      .map(kindPattern),
  ],
  setupFiles: ['reflect-metadata'],
  // client/ imports its own files with the `.js` Node ESM needs; here they are the `.ts` sources.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
  // Read by globalSetup: the compile is skipped when no selected kind runs the compiled gateway.
  globals: { TEST_BUILDS_GATEWAY: kinds.some((kind) => RUN_THE_BUILD.includes(kind)) },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  testTimeout: 20000,
};
