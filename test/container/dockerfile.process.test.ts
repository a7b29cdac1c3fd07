import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SimulatorServer } from '../../src/simulator/SimulatorServer';
import { freePort, GatewayProcess } from '../support/gatewayProcess';
import { execForm, Instruction, readDockerfile, stageEnv } from './dockerfileSteps';

/**
 * No Docker engine runs here, so this test repeats the image's build and run steps in temporary
 * folders: the same COPYs, RUNs (npm ci, build, prune to production dependencies), ENV and CMD,
 * on the image's own Node version (installed by scripts/test-tools.sh, whatever Node runs jest),
 * then checks the result starts and answers /readyz, and that the HEALTHCHECK command passes.
 */

jest.setTimeout(600_000);

/** The Node.js line in active LTS, the one production runs on. */
const LTS_MAJOR = 24;

const ROOT = path.resolve(__dirname, '..', '..');
/** Starts node with the gateway's heap options (the one place they are written). */
const LAUNCHER = 'bin/gateway-node.sh';
const stages = readDockerfile(path.join(ROOT, 'Dockerfile'));
const [build, runtime] = stages;
const imageNodeVersion = /^node:(\d+\.\d+\.\d+)-/.exec(runtime.image)?.[1];
const work = mkdtempSync(path.join(os.tmpdir(), 'invites-gateway-image-'));
let simulator: SimulatorServer | undefined;
let gateway: GatewayProcess | undefined;

afterAll(async () => {
  gateway?.kill();
  if (gateway) await gateway.exited;
  await simulator?.close();
  rmSync(work, { recursive: true, force: true });
});

/** COPY as Docker reads it: several sources, or a destination ending in "/", mean "into that folder". */
function copy(args: string, resolveSource: (source: string) => string, stageDir: string): void {
  const parts = args.split(' ').filter((part) => !part.startsWith('--'));
  const destination = parts.pop()!;
  const intoFolder = parts.length > 1 || destination.endsWith('/') || destination === '.';
  for (const source of parts) {
    const target = path.join(stageDir, destination, intoFolder ? path.basename(source) : '');
    cpSync(resolveSource(source), target, { recursive: true });
  }
}

function all(keyword: string, instructions: Instruction[]): string[] {
  return instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
}

/** Whether an `engines` range of caret terms (`^20.19.0 || ^24.11.0`, the only form used here) admits a version. */
function admits(range: string, version: string): boolean {
  const [major, minor, patch] = version.split('.').map(Number);
  return range.split('||').some((term) => {
    const caret = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(term.trim());
    if (!caret) throw new Error(`engines term "${term.trim()}" is not of the form ^X.Y.Z`);
    const [, wantMajor, wantMinor, wantPatch] = caret.map(Number);
    return major === wantMajor && (minor > wantMinor || (minor === wantMinor && patch >= wantPatch));
  });
}

/** The image's Node binary, as scripts/test-tools.sh installs it (or already has) in its cache folder. */
function imageNode(): string {
  const result = spawnSync('bash', [path.join(ROOT, 'scripts', 'test-tools.sh'), 'node'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`scripts/test-tools.sh node failed:\n${result.stderr}`);
  return result.stdout.trim();
}

describe('the Dockerfile', () => {
  test('is multi-stage on an official Node image pinned to a version', () => {
    expect(stages).toHaveLength(2);
    expect(build.name).toBe('build');
    for (const stage of stages) expect(stage.image).toMatch(/^node:\d+\.\d+\.\d+-[a-z]+(-slim)?$/);
    // One Node for building and running: the build's native modules and lockfile checks are the runtime's.
    expect(build.image).toBe(runtime.image);
  });

  test("runs on the current Node.js LTS, a version package.json's engines admits", () => {
    expect(imageNodeVersion?.split('.')[0]).toBe(String(LTS_MAJOR));
    const { engines } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(admits(engines.node, imageNodeVersion!)).toBe(true);
    // And the machine's Node, which the suite's first pass runs on.
    expect(admits(engines.node, process.versions.node)).toBe(true);
  });

  test('runs as a non-root user in production mode, with a health check on /healthz', () => {
    expect(all('USER', runtime.instructions)).toEqual(['node']);
    const env = stageEnv(runtime.instructions);
    expect(env.NODE_ENV).toBe('production');
    expect(all('EXPOSE', runtime.instructions)).toEqual([env.PORT]);
    expect(all('HEALTHCHECK', runtime.instructions)[0]).toContain('/healthz');
    // Exec form and no ENTRYPOINT: the launcher execs node, which is PID 1 and gets SIGTERM (test/container/pid1.process.test.ts).
    expect(execForm(all('CMD', runtime.instructions)[0])).toEqual(['sh', LAUNCHER, 'dist/src/main.js']);
    expect(all('ENTRYPOINT', runtime.instructions)).toEqual([]);
  });

  test('npm start, npm run start:prod, npm run dev and the image start the gateway through the one launcher, which the image copies', () => {
    const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const launch = `sh ${LAUNCHER} dist/src/main.js`;
    expect(execForm(all('CMD', runtime.instructions)[0]).join(' ')).toBe(launch);
    expect(scripts['start:prod']).toBe(launch);
    expect(scripts.start).toBe(`npm run build --silent && ${launch}`);
    expect(scripts.dev).toContain(launch);
    expect(all('COPY', runtime.instructions)).toContain(`--chown=node:node ${LAUNCHER} ./bin/`);
    // The heap options are written nowhere else: changing them is one edit, in the launcher.
    for (const text of [readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'), JSON.stringify(scripts)])
      expect(text).not.toMatch(/--max-semi-space-size|--heap-growing-percent/);
  });

  test('the launcher passes node its heap options, then its own arguments, and leaves node in its place', () => {
    const probe = spawnSync('sh', [path.join(ROOT, LAUNCHER), '-p', 'JSON.stringify([process.execArgv, process.pid])'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` },
    });
    const [execArgv, nodePid] = JSON.parse(probe.stdout) as [string[], number];
    // exec: node is the process started here, not a child of a shell that would keep the signals.
    expect(nodePid).toBe(probe.pid);
    // Without them, V8 lets the old generation grow to several times the live heap under load.
    expect(execArgv).toEqual([
      expect.stringMatching(/^--max-semi-space-size=\d+$/),
      expect.stringMatching(/^--heap-growing-percent=\d+$/),
      '-p',
      expect.any(String),
    ]);
    // Its exit code is node's.
    expect(spawnSync('sh', [path.join(ROOT, LAUNCHER), '-e', 'process.exit(7)']).status).toBe(7);
  });

  test('.dockerignore keeps dependencies, build output and git out of the context', () => {
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', 'dist', '.git']) expect(ignored).toContain(entry);
  });
});

test("its build and run steps, repeated here on the image's Node, give a gateway that answers /readyz", async () => {
  const node = imageNode();
  expect(spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()).toBe(`v${imageNodeVersion}`);
  // Its folder first on PATH, so `npm` and the scripts it runs start on that Node too.
  const imagePath = `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`;

  // Build stage: the same COPYs into a fresh folder and the same RUNs there.
  const buildDir = path.join(work, 'build');
  mkdirSync(buildDir);
  for (const step of build.instructions) {
    if (step.keyword === 'COPY') {
      copy(step.args, (source) => path.join(ROOT, source), buildDir);
    } else if (step.keyword === 'RUN') {
      const result = spawnSync('bash', ['-c', step.args], {
        cwd: buildDir,
        encoding: 'utf8',
        env: { ...process.env, PATH: imagePath, NODE_ENV: '' },
      });
      if (result.status !== 0) throw new Error(`RUN ${step.args} failed:\n${result.stdout}\n${result.stderr}`);
    }
  }

  // Runtime stage: only what it copies from the build stage.
  const appDir = path.join(work, 'app');
  mkdirSync(appDir);
  for (const step of runtime.instructions) {
    if (step.keyword !== 'COPY') continue;
    const fromBuild = /--from=build\b/.test(step.args);
    // The build stage's WORKDIR /app is buildDir here.
    copy(step.args, (source) => (fromBuild ? path.join(buildDir, source.replace(/^\/app\/?/, '')) : path.join(ROOT, source)), appDir);
  }
  // The runtime stage runs nothing while it is built: its ENV is the container's environment.
  const env = stageEnv(runtime.instructions);
  // Production dependencies only.
  expect(existsSync(path.join(appDir, 'node_modules', '@apollo', 'server'))).toBe(true);
  expect(existsSync(path.join(appDir, 'node_modules', 'typescript'))).toBe(false);
  expect(existsSync(path.join(appDir, 'node_modules', 'jest'))).toBe(false);

  simulator = new SimulatorServer();
  await simulator.listen(0, '127.0.0.1');
  const port = String(await freePort());
  const [command, ...args] = execForm(all('CMD', runtime.instructions)[0]);
  const child = spawn(command === 'node' ? node : command, args, {
    cwd: appDir,
    env: { PATH: imagePath, ...env, PORT: port, HOST: '127.0.0.1', LOSANT_API_URL: simulator.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  gateway = {
    child,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
    kill: () => child.kill('SIGKILL'),
  };

  let ready: Response | undefined;
  for (let i = 0; i < 100 && ready?.status !== 200; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    ready = await fetch(`${gateway.url}/readyz`).catch(() => undefined);
  }
  if (ready?.status !== 200) throw new Error(`the image's gateway never became ready:\n${output}`);
  expect(await ready.json()).toMatchObject({ status: 'ready' });
  // The gateway itself says which Node it runs on, in its process metrics.
  const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
  expect(metrics).toContain(`nodejs_version_info{version="v${imageNodeVersion}"`);

  // The HEALTHCHECK's own command, run as Docker would (inside the image, with its ENV).
  const healthcheck = /CMD (.*)$/.exec(all('HEALTHCHECK', runtime.instructions)[0])![1];
  const probe = spawnSync('bash', ['-c', healthcheck.replace(/^node /, `"${node}" `)], {
    cwd: appDir,
    env: { ...process.env, PATH: imagePath, ...env, PORT: port },
  });
  expect(probe.status).toBe(0);

  // SIGTERM (what `docker stop` sends) ends it cleanly.
  child.kill('SIGTERM');
  expect(await gateway.exited).toEqual({ code: 0, signal: null });
});
