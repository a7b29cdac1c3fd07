import { readFileSync, rmSync, statSync } from 'node:fs';
import { DEMO_TOKENS } from '../../src/simulator/demoData';

/**
 * Runs once after all test files: every gateway the tests started logged at debug level into one
 * file (including upstream failures that echoed tokens back); no demo token may appear in it. A
 * failure here fails the run.
 */
export default function globalTeardown(): void {
  if (process.env.TEST_BUILD_DIR) rmSync(process.env.TEST_BUILD_DIR, { recursive: true, force: true });
  const logFile = process.env.TEST_LOG_FILE;
  if (!logFile) throw new Error('TEST_LOG_FILE was not set by globalSetup');
  const size = statSync(logFile).size;
  // An empty file would make the check pass without checking anything. CI runs every test, so
  // there the stacks' logs must be there; a developer's partial run may start none.
  if (process.env.CI && size < 10_000)
    throw new Error(`the test run wrote only ${size} bytes of logs to ${logFile}; expected the stacks' debug logs`);
  const logs = readFileSync(logFile, 'utf8');
  const leaked = Object.values(DEMO_TOKENS).filter((token) => logs.includes(token));
  if (leaked.length > 0) {
    const line = logs.split('\n').find((l) => leaked.some((token) => l.includes(token)));
    throw new Error(`demo tokens appear in the logs of the test run (${leaked.length}): first line: ${line?.slice(0, 300)}`);
  }
  console.log(`\nlog check: ${(size / 1024 / 1024).toFixed(1)} MB of gateway logs from this run, no demo token in them`);
}
