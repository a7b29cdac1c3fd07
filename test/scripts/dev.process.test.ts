import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../support/gatewayProcess';

/**
 * `npm run dev` (tsc-watch) on a copy of the project, so editing a source here never touches the
 * real tree: it compiles and starts the gateway, and compiles and restarts it after a source edit.
 * Each step waits for the line that says it happened; the first compile takes most of the time.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const HEALTHZ_LINE = "sendJson(res, 200, { status: 'ok' })";

test('npm run dev starts the gateway, and restarts it on the new build after a source edit', async () => {
  const project = mkdtempSync(path.join(tmpdir(), 'dev-'));
  for (const entry of ['src', 'scripts', 'schema', 'bin', 'tsconfig.json', 'tsconfig.build.json', 'package.json']) {
    cpSync(path.join(ROOT, entry), path.join(project, entry), { recursive: true });
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
  const edited = path.join(project, 'src', 'server', 'GatewayHttpServer.ts');
  const source = readFileSync(edited, 'utf8');
  expect(source).toContain(HEALTHZ_LINE);

  const port = await freePort();
  let output = '';
  const waiting: { count: number; resolve: () => void }[] = [];
  const listening = (): number => output.split('"msg":"gateway listening"').length - 1;
  /** Resolves once the gateway has said it listens `count` times. */
  const listened = (count: number): Promise<void> =>
    new Promise((resolve) => (listening() >= count ? resolve() : waiting.push({ count, resolve })));
  // A process group of its own (npm, tsc-watch, tsc, the gateway), so `finally` can stop all of it.
  const dev: ChildProcess = spawn('npm', ['run', 'dev'], {
    cwd: project,
    detached: true,
    env: {
      PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
      HOME: process.env.HOME ?? tmpdir(),
      HOST: '127.0.0.1',
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => dev.once('exit', () => resolve()));
  const onData = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const wait of waiting.filter((w) => listening() >= w.count)) wait.resolve();
  };
  dev.stdout?.on('data', onData);
  dev.stderr?.on('data', onData);
  /**
   * The gateway's `count`th start, or a failure with what dev printed if it exits or takes past `ms` (so `finally` still runs before jest's
   * own timeout).
   */
  const started = (count: number, ms: number): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const failure = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no start #${count} within ${ms} ms; npm run dev printed:\n${output}`)), ms);
      void exited.then(() => reject(new Error(`npm run dev exited; it printed:\n${output}`)));
    });
    return Promise.race([listened(count), failure]).finally(() => clearTimeout(timer));
  };
  const health = async (): Promise<unknown> => (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
  try {
    await started(1, 100_000);
    expect(await health()).toEqual({ status: 'ok' });
    // Started through the launcher, with the heap options every start of the gateway has.
    expect(output).toContain('sh bin/gateway-node.sh dist/src/main.js');

    writeFileSync(edited, source.replace(HEALTHZ_LINE, "sendJson(res, 200, { status: 'ok', edited: true })"));
    await started(2, 60_000);
    expect(await health()).toEqual({ status: 'ok', edited: true });
    // The first gateway was stopped before the second started: it shut down, as on any SIGTERM.
    expect(output.indexOf('"msg":"shut down"')).toBeGreaterThan(output.indexOf('"msg":"gateway listening"'));
  } finally {
    if (dev.exitCode === null && dev.signalCode === null) {
      process.kill(-dev.pid!, 'SIGKILL');
      await exited;
    }
    rmSync(project, { recursive: true, force: true });
  }
}, 180_000);
