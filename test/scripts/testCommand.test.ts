import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The README's test command is the whole of CI's run, so it must set a fresh machine up by itself
 * (scripts/test-tools.sh, tested in testTools.process.test.ts) before it type checks and runs the suite.
 */

const ROOT = path.resolve(__dirname, '..', '..');

describe('the test command', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const readmeCommand = /Run the tests[^`]*?```sh[^\n]*\n([^\n]+)\n```/.exec(readme)?.[1];

  test(".ci/run runs exactly the README's command, and sets nothing up itself", () => {
    expect(readmeCommand).toBe('npm ci && npm test');
    const commands = readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'));
    expect(commands.filter((line) => line.includes(readmeCommand!))).toEqual([`timeout --kill-after=30 3600 bash -c '${readmeCommand}'`]);
    expect(commands.join('\n')).not.toMatch(/apt-get|npm install/);
  });

  test('npm test sets up first, then type checks, lints and runs jest', () => {
    const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.test).toBe('bash scripts/test.sh');
    const steps = readFileSync(path.join(ROOT, 'scripts', 'test.sh'), 'utf8');
    const order = ['scripts/test-tools.sh', 'tsc -p tsconfig.json --noEmit', 'npm run --silent lint', 'node_modules/jest/bin/jest.js'].map(
      (step) => steps.indexOf(step),
    );
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Lint reads the sources, which are the same whatever Node runs them: once, before the passes.
    expect(steps.indexOf('npm run --silent lint')).toBeLessThan(steps.indexOf('for pass in'));
    expect(steps.match(/npm run --silent lint/g)).toHaveLength(1);
  });
});
