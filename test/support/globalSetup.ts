import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Runs once before all test files: compiles the gateway once for the tests that run it as its own
 * process (shutdown, start-up errors, load, the image's run steps), and starts an empty log file
 * that every test stack writes to, for the token check in globalTeardown.
 */
export default function globalSetup(): void {
  const root = path.resolve(__dirname, '..', '..');
  // Named per run: two jest runs at once (a watch and a full run) must not delete each other's build.
  const buildDir = path.join(root, 'node_modules', '.cache', `invites-gateway-test-build-${process.pid}`);
  rmSync(buildDir, { recursive: true, force: true });
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json'), '--outDir', buildDir], {
    cwd: root,
    stdio: 'inherit',
  });
  // The compiled files require their dependencies from a node_modules beside them.
  symlinkSync(path.join(root, 'node_modules'), path.join(buildDir, 'node_modules'), 'dir');
  process.env.TEST_BUILD_DIR = buildDir;

  const logFile = path.join(root, 'artifacts', `test-logs-${process.pid}.ndjson`);
  mkdirSync(path.dirname(logFile), { recursive: true });
  writeFileSync(logFile, '');
  process.env.TEST_LOG_FILE = logFile;
}
