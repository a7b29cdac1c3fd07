// `npm run lint`: ESLint's and typescript-eslint's recommended rules, the TypeScript ones with type
// information (each .ts file is checked against the tsconfig.json nearest to it). Every rule set
// differently from those presets says why beside it. The layers of src/ (which part may import which,
// and no file cycle) are declared in eslint.layers.mjs.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { layerConfig } from './eslint.layers.mjs';

export default defineConfig(
  {
    // Build output, generated code, Stryker's sandbox and reports: checked where they come from, not here.
    ignores: ['**/dist/', 'dist-bench/', 'coverage/', 'artifacts/', 'client/generated/', '.stryker-tmp/', 'reports/'],
  },
  js.configs.recommended,
  // Off: the presets' rules a formatter owns. Before the rules set here, so max-len below stays on.
  prettier,
  {
    rules: {
      // A variable a callback reads before it is assigned (a signal handler installed before the
      // server it stops exists) must stay `let`: as a `const` the early read would throw.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Prettier (checked first by `npm run lint`) wraps code at 140 columns but leaves comments and
      // strings as written: comments wrap at the same width; a long message or test name stays whole.
      'max-len': ['error', { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }],
    },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // tsc's noUnusedLocals and noUnusedParameters refuse these already, in the type check that
      // runs before lint; a second report of the same line helps nobody.
      '@typescript-eslint/no-unused-vars': 'off',
      // Apollo's plugin hooks and executor, and the InvitesApi interface, return promises; an
      // `async` function that awaits nothing is the plain way to meet them. A promise left
      // unawaited is still caught, by no-floating-promises.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The entry points require what they load only once their signal handlers exist, and the
    // The entry points require what they load only once their signal handlers exist; the shared
    // caches and the list cache's invalidations load the Redis client only when Redis is configured,
    // the rate limit its library only when it is on: a static import would load it all at once, an
    // `import()` would make those steps asynchronous.
    files: [
      'src/main.ts',
      'src/simulator/main.ts',
      'src/server/sharedCaches.ts',
      'src/server/listCacheInvalidation.ts',
      'src/server/upstreamRateLimiter.ts',
      'src/server/boundedMemoryLimiter.ts',
    ],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // jest's asymmetric matchers (expect.any, expect.stringMatching, expect.objectContaining)
      // are typed `any`, and every assertion on a partly known value is built from them.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    // The few plain scripts (builds, codegen, jest's config): Node's globals, ESLint's own rules.
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['jest.config.js', 'test/support/testKinds.js'],
    languageOptions: { sourceType: 'commonjs' },
  },
  ...layerConfig(import.meta.dirname),
);
