import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { Config } from 'jest';

/**
 * Runs once before all test files: starts an empty log file that every test stack writes to, for
 * the token check in globalTeardown, and compiles the gateway once for the tests that run it as its
 * own process (shutdown, start-up errors, load, the image's run steps). The compile (seconds of
 * tsc) is skipped when the run selects no kind of test that runs it (jest.config.js sets
 * `TEST_BUILDS_GATEWAY`, e.g. false for `npm run test:quick`).
 */
export default function globalSetup(_globalConfig: unknown, projectConfig: Pick<Config, 'globals'>): void {
  const root = path.resolve(__dirname, '..', '..');
  const logFile = path.join(root, 'artifacts', `test-logs-${process.pid}.ndjson`);
  mkdirSync(path.dirname(logFile), { recursive: true });
  writeFileSync(logFile, '');
  process.env.TEST_LOG_FILE = logFile;

  if (projectConfig.globals?.TEST_BUILDS_GATEWAY === false) return;
  // Named per run: two jest runs at once (a watch and a full run) must not delete each other's build.
  const buildDir = path.join(root, 'node_modules', '.cache', `invites-gateway-test-build-${process.pid}`);
  rmSync(buildDir, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json'), '--outDir', buildDir],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  // The compiled files require their dependencies from a node_modules beside them.
  symlinkSync(path.join(root, 'node_modules'), path.join(buildDir, 'node_modules'), 'dir');
  process.env.TEST_BUILD_DIR = buildDir;
}
