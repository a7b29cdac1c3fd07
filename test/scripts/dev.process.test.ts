import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../support/gatewayProcess';

/**
 * `npm run dev` (scripts/dev.mjs) on a copy of the project, so editing a source file here never
 * touches the real tree: it builds and starts the gateway, rebuilds and restarts it when a source
 * changes, keeps the last good build running through a compile error, and stops everything on
 * Ctrl-C. The first build of the whole project takes most of the time.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const HEALTHZ_LINE = "sendJson(res, 200, { status: 'ok' })";

async function until<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined> | T | undefined, output: () => string): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not happen within ${deadlineMs} ms; dev printed:\n${output()}`);
}

async function health(url: string): Promise<Record<string, unknown> | undefined> {
  try {
    const response = await fetch(`${url}/healthz`);
    return response.ok ? ((await response.json()) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('npm run dev builds, restarts on a source change, survives a compile error and stops on Ctrl-C', async () => {
  const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(scripts.dev).toBe('node scripts/dev.mjs');

  const project = mkdtempSync(path.join(tmpdir(), 'dev-'));
  for (const entry of ['src', 'scripts', 'schema', 'tsconfig.json', 'tsconfig.build.json', 'package.json']) {
    cpSync(path.join(ROOT, entry), path.join(project, entry), { recursive: true });
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
  const httpServerSource = path.join(project, 'src', 'server', 'httpServer.ts');
  const source = readFileSync(httpServerSource, 'utf8');
  expect(source).toContain(HEALTHZ_LINE);

  const url = `http://127.0.0.1:${await freePort()}`;
  let output = '';
  const pids = (pattern: RegExp): number[] => [...output.matchAll(pattern)].map((match) => Number(match[1]));
  const gatewayPids = (): number[] => pids(/\[dev\] gateway started \(pid (\d+)\)/g);
  const dev: ChildProcess = spawn(process.execPath, [path.join(project, 'scripts', 'dev.mjs')], {
    // A drain delay keeps each gateway alive for a second after its SIGTERM, long enough for a
    // repeated signal to reach it if dev passed one on.
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: new URL(url).port, SHUTDOWN_DRAIN_DELAY_MS: '1000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  dev.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  dev.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => dev.once('exit', (code) => resolve(code)));
  try {
    expect(await until('the first start', 45_000, () => health(url), () => output)).toEqual({ status: 'ok' });
    expect(gatewayPids()).toHaveLength(1);

    writeFileSync(httpServerSource, source.replace(HEALTHZ_LINE, "sendJson(res, 200, { status: 'ok', edited: true })"));
    const edited = async () => {
      const body = await health(url);
      return body?.edited ? body : undefined;
    };
    expect(await until('the restart on the new build', 30_000, edited, () => output)).toEqual({ status: 'ok', edited: true });
    expect(output).toContain('[dev] compiled: restarting the gateway');
    const [first, second] = gatewayPids();
    expect(second).toBeDefined();
    expect(isRunning(first)).toBe(false);

    writeFileSync(httpServerSource, `${source}\nconst broken: number = 'not a number';\n`);
    await until('the compile error', 30_000, () => (output.includes('compile failed: the last good build keeps running') ? true : undefined), () => output);
    expect(await health(url)).toEqual({ status: 'ok', edited: true });
    expect(gatewayPids()).toEqual([first, second]);

    // One Ctrl-C under npm arrives twice, from the terminal and a moment later from npm: the
    // gateway still gets a single SIGTERM, and shuts down rather than being forced out.
    dev.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 100));
    dev.kill('SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const tooLong = new Promise((resolve) => (timer = setTimeout(() => resolve('still running'), 15_000)));
    expect(await Promise.race([exited, tooLong])).toBe(0);
    clearTimeout(timer);
    expect(isRunning(second)).toBe(false);
    expect(pids(/\(tsc pid (\d+)\)/g).filter(isRunning)).toEqual([]);
    expect(output).not.toContain('SIGINT again');
    expect(output).not.toContain('forced exit');
    expect(output).toContain('"msg":"shut down"');
  } finally {
    dev.kill('SIGKILL');
    for (const pid of [...gatewayPids(), ...pids(/\(tsc pid (\d+)\)/g)]) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    rmSync(project, { recursive: true, force: true });
  }
}, 120_000);
