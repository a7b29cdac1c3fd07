/**
 * The benchmark's child processes: the fast upstream, the plain floor and the compiled gateway,
 * each with its own event loop; the load generator stays in the benchmark's process. Every child
 * is stopped in `stopAll` (SIGTERM, then SIGKILL after a grace period), which the benchmark calls
 * in `finally` and on SIGINT/SIGTERM; the two helper servers also exit by themselves when the
 * benchmark goes away (their stdin closes).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { listen } from '../src/http/listen';
import { stopListening } from '../src/http/openSockets';

export const ROOT = path.resolve(__dirname, '../..');
/** The compiled gateway; BENCH_GATEWAY points at another build (e.g. a branch's) to compare it. */
export const GATEWAY_ENTRY = path.resolve(ROOT, process.env.BENCH_GATEWAY ?? 'dist/src/main.js');
/** The launcher every start of the gateway goes through (npm start, start:prod, dev, the image's CMD). */
export const GATEWAY_LAUNCHER = path.join(ROOT, 'bin', 'gateway-node.sh');
/**
 * The Node options the gateway ships with, as the launcher really passes them to node (asked of a
 * node it starts, on this benchmark's own Node), so that the benchmark measures what production runs.
 */
export function shippedNodeOptions(): string[] {
  const probe = ['-p', 'JSON.stringify(process.execArgv)'];
  const PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`;
  const execArgv = JSON.parse(
    execFileSync('sh', [GATEWAY_LAUNCHER, ...probe], { encoding: 'utf8', env: { ...process.env, PATH } }),
  ) as string[];
  // The probe's own arguments come last; what precedes them is the launcher's.
  return execArgv.slice(0, execArgv.length - probe.length);
}

/**
 * Node options for the gateway: the shipped ones, then BENCH_GATEWAY_NODE_ARGS (space-separated, e.g.
 * `--max-semi-space-size=16` to try another; a later V8 option wins).
 */
const GATEWAY_NODE_ARGS = [...shippedNodeOptions(), ...(process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(/\s+/).filter(Boolean)];
/**
 * Extra environment for the gateway only, e.g. `FEDERATED_TRACES=false` or `OTEL_TRACES_EXPORTER=otlp`
 * (BENCH_GATEWAY_ENV, space-separated NAME=value pairs), over the benchmark's production settings.
 */
export const GATEWAY_ENV: Readonly<Record<string, string>> = Object.fromEntries(
  (process.env.BENCH_GATEWAY_ENV ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new Error(`BENCH_GATEWAY_ENV takes NAME=value pairs, got "${pair}"`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
);

export interface Child {
  readonly name: string;
  readonly proc: ChildProcess;
  readonly pid: number;
  readonly url: string;
  /** The last few kB it printed on the streams the benchmark reads. */
  output(): string;
}

const running = new Set<ChildProcess>();

const alive = (proc: ChildProcess): boolean => proc.exitCode === null && proc.signalCode === null;

function keepTail(proc: ChildProcess): () => string {
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-8_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  return () => tail;
}

function track(proc: ChildProcess): void {
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  const { port } = await listen(server, 0, '127.0.0.1');
  await stopListening(server);
  return port;
}

/** Starts one of the benchmark's own servers (compiled next to this file) and waits for its port. */
export async function startHelper(
  name: string,
  script: string,
  env: Record<string, string> = {},
  nodeArgs: readonly string[] = [],
): Promise<Child> {
  const proc = spawn(process.execPath, [...nodeArgs, path.join(__dirname, script)], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  track(proc);
  const output = keepTail(proc);
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 10 s:\n${output()}`)), 10_000);
    proc.stdout?.on('data', function onData(chunk: Buffer) {
      buffered += chunk.toString('utf8');
      const line = /^\{"port":(\d+)\}$/m.exec(buffered);
      if (line) {
        clearTimeout(timer);
        proc.stdout?.off('data', onData);
        resolve(Number(line[1]));
      }
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before listening:\n${output()}`));
    });
  });
  return { name, proc, pid: proc.pid!, url: `http://127.0.0.1:${port}`, output };
}

export interface GatewayStart {
  readonly upstreamUrl: string;
  /** Where its stdout (the JSON logs) goes. */
  readonly logFile: string;
  /** Node options before the entry point, e.g. `--cpu-prof`. */
  readonly nodeArgs?: readonly string[];
  readonly env?: Record<string, string>;
}

/**
 * An OTLP endpoint that nothing listens on: tracing is configured as in production, but with
 * `OTEL_TRACES_SAMPLER=always_off` no span is recorded, so nothing is ever sent there.
 */
export const UNSAMPLED_OTLP_ENDPOINT = 'http://127.0.0.1:4318';

/**
 * The gateway as it ships (`npm run start:prod`'s Node options), every protection on: production settings, the limits at
 * their defaults, logs at info (to `logFile`), metrics on, and tracing configured but not sampling.
 * The one change from the defaults: no drain delay on SIGTERM, since no load balancer has to
 * notice: production's 5 s is as long as `stopChild` waits before it kills.
 */
export async function startGatewayProcess({ upstreamUrl, logFile, nodeArgs = [], env = {} }: GatewayStart): Promise<Child> {
  const port = await freePort();
  const logFd = openSync(logFile, 'a');
  let proc: ChildProcess;
  try {
    proc = spawn(process.execPath, [...GATEWAY_NODE_ARGS, ...nodeArgs, GATEWAY_ENTRY], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        LOSANT_API_URL: upstreamUrl,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'info',
        METRICS: 'true',
        OTEL_EXPORTER_OTLP_ENDPOINT: UNSAMPLED_OTLP_ENDPOINT,
        OTEL_TRACES_SAMPLER: 'always_off',
        SHUTDOWN_DRAIN_DELAY_MS: '0',
        ...GATEWAY_ENV,
        ...env,
      },
      stdio: ['ignore', logFd, 'pipe'],
    });
  } finally {
    closeSync(logFd);
  }
  track(proc);
  const output = keepTail(proc);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (!alive(proc))
      throw new Error(
        `the gateway exited (${proc.exitCode ?? proc.signalCode}) before answering /healthz:\n${output()}\n${tailOf(logFile)}`,
      );
    try {
      if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) })).ok) {
        return { name: 'gateway', proc, pid: proc.pid!, url, output };
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the gateway did not answer /healthz within 20 s:\n${output()}\n${tailOf(logFile)}`);
}

function tailOf(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-4_000);
  } catch {
    return '';
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
export async function stopChild(proc: ChildProcess, graceMs = 5_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (!alive(proc)) return { code: proc.exitCode, signal: proc.signalCode };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  proc.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (alive(proc)) proc.kill('SIGKILL');
  }, graceMs);
  const result = await exited;
  clearTimeout(timer);
  return result;
}

/** Stops every child this process started and has not seen exit, each by its own pid. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((proc) => stopChild(proc)));
}

/**
 * On SIGINT/SIGTERM: stop the children, then exit 130/143. On any exit: SIGKILL whatever is left
 * (a last resort; `finally` blocks normally leave nothing).
 */
export function installCleanup(): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping the benchmark's processes...\n`);
    void stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', () => {
    for (const proc of running) if (alive(proc)) proc.kill('SIGKILL');
  });
}

/** VmRSS of a process in kB, from /proc/<pid>/status; 0 once it is gone. */
export function rssKb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

let clockTicks: number | undefined;

/** CPU time (user + system) a process has used so far, in milliseconds, from /proc/<pid>/stat; NaN once it is gone. */
export function cpuMs(pid: number): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from field 3 on: utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return NaN;
  }
}
