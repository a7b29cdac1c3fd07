import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { SimulatorServer } from '../../src/simulator/SimulatorServer';
import { builtEntryPoint, freePort } from '../support/gatewayProcess';
import { gatewaySources } from '../support/gatewaySources';
import { execForm, readDockerfile } from './dockerfileSteps';

/**
 * The image runs node as PID 1, without `docker run --init` (Kubernetes has no such thing). The
 * kernel gives PID 1 no default action for a signal it does not handle: an unhandled SIGTERM is
 * dropped, and `docker stop` or Kubernetes would wait out the grace period and SIGKILL it. So the
 * image's command runs here as PID 1 of a new PID namespace (`unshare --pid --fork`), first a node
 * without handlers (its SIGTERM is dropped: the namespace is real), then the built gateway, which
 * must shut down and exit 0 on SIGTERM.
 */

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..', '..');
const runtime = readDockerfile(path.join(ROOT, 'Dockerfile')).at(-1)!;
const cmd = execForm(runtime.instructions.find((i) => i.keyword === 'CMD')!.args);
/** Root may create a PID namespace; anyone else through a user namespace of their own. */
const UNSHARE = [...(process.getuid?.() === 0 ? [] : ['--user', '--map-root-user']), '--pid', '--fork', '--mount-proc', '--kill-child'];

interface Pid1 {
  readonly unshare: ChildProcess;
  /** PID 1 of the namespace, as this machine numbers it. */
  readonly hostPid: () => number;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
  /** Resolves once the output contains `text`. */
  readonly printed: (text: string) => Promise<void>;
}

function asPid1(command: string, args: string[], env: Record<string, string>): Pid1 {
  const unshare = spawn('unshare', [...UNSHARE, command, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const waiting: { text: string; resolve: () => void }[] = [];
  const onData = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const wait of waiting.filter((w) => output.includes(w.text))) wait.resolve();
  };
  unshare.stdout.on('data', onData);
  unshare.stderr.on('data', onData);
  return {
    unshare,
    hostPid: () => Number(readFileSync(`/proc/${unshare.pid}/task/${unshare.pid}/children`, 'utf8').trim()),
    output: () => output,
    exited: new Promise((resolve) => unshare.once('exit', (code) => resolve(code))),
    printed: (text) => (output.includes(text) ? Promise.resolve() : new Promise((resolve) => waiting.push({ text, resolve }))),
  };
}

/** The process's id in each PID namespace it is in, outermost first (the `NSpid` line). */
function namespacePids(pid: number): number[] {
  return /^NSpid:\s+(.*)$/m
    .exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]
    .split(/\s+/)
    .map(Number);
}

const started: Pid1[] = [];
afterAll(async () => {
  for (const pid1 of started) {
    pid1.unshare.kill('SIGKILL'); // --kill-child takes PID 1 with it
    await pid1.exited;
  }
});

test('a node without handlers, as PID 1, does not even die of SIGTERM: the namespace is real', async () => {
  const bare = asPid1(
    process.execPath,
    ['-e', "console.log('pid ' + process.pid); process.stdin.on('data', () => console.log('still running'))"],
    {},
  );
  started.push(bare);
  await bare.printed('pid 1\n');
  expect(namespacePids(bare.hostPid()).at(-1)).toBe(1);
  // Node's own SIGTERM handler only resets the terminal and raises the signal again with the
  // default action, which PID 1 does not get: it runs on.
  process.kill(bare.hostPid(), 'SIGTERM');
  bare.unshare.stdin!.write('\n');
  await bare.printed('still running');
});

test("the image's command as PID 1: the gateway handles SIGTERM itself, drains and exits 0", async () => {
  const simulator = new SimulatorServer();
  const upstream = await simulator.listen(0, '127.0.0.1');
  try {
    const port = String(await freePort());
    // The command as the image runs it (`sh bin/gateway-node.sh dist/src/main.js`), on this checkout's build and this Node.
    const args = cmd.slice(1).map((arg) => (arg === 'dist/src/main.js' ? builtEntryPoint() : path.resolve(ROOT, arg)));
    expect(args).toContain(builtEntryPoint());
    const PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`;
    const gateway = asPid1(cmd[0], args, {
      PATH,
      NODE_ENV: 'production',
      LOSANT_API_URL: upstream,
      PORT: port,
      HOST: '127.0.0.1',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
    });
    started.push(gateway);
    await gateway.printed('gateway listening');
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    const pid = gateway.hostPid();
    expect(namespacePids(pid).at(-1)).toBe(1);
    // The launcher's shell gave its place to node: a shell as PID 1 would keep the SIGTERM from it.
    // The executable, not `comm`: Node 24 names its main thread "MainThread", which `comm` shows.
    expect(path.basename(readlinkSync(`/proc/${pid}/exe`))).toBe('node');
    process.kill(pid, 'SIGTERM');
    // unshare exits with the status of its child, PID 1.
    expect(await gateway.exited).toBe(0);
    expect(gateway.output()).toContain('"msg":"shut down"');
  } finally {
    await simulator.close();
  }
});

test('the gateway starts no child process: PID 1 has nothing to reap', () => {
  const spawning = gatewaySources().filter(({ text }) => /['"](node:)?(child_process|worker_threads|cluster)['"]/.test(text));
  expect(spawning.map(({ file }) => file)).toEqual([]);
});
