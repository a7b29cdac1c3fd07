import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The README's test command, `npm ci && npm test`, sets up a fresh Debian machine by itself:
 * scripts/test-tools.sh installs chromium, redis-server, kubectl (refusing one older than 1.22), promtool and haproxy with apt-get and the
 * image's Node from
 * the npm registry, or stops at once naming the command to run. Here it runs against a PATH of
 * fakes (apt-get, sudo, id, npm that only record what they were asked), so nothing is installed.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'test-tools.sh');
const IMAGE_NODE_VERSION = /^FROM node:(\d+\.\d+\.\d+)-/m.exec(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'))![1];
const PACKAGE = `node-linux-${process.arch}`;
const SYSTEM_PACKAGES = 'chromium redis-server kubernetes-client prometheus haproxy';
/** The commands those packages provide, after chromium (which lives at CHROMIUM_PATH). */
const SYSTEM_COMMANDS = ['redis-server', 'kubectl', 'promtool', 'haproxy'];
const APT_INSTALL = `apt-get update && apt-get install -y --no-install-recommends ${SYSTEM_PACKAGES}`;
/** A system command that does nothing, but answers `version` as a kubectl of the given minor version would. */
const fakeCommand = (kubectlMinor = 30): string =>
  `#!/bin/sh\n[ "$1" = version ] && echo '{ "clientVersion": { "major": "1", "minor": "${kubectlMinor}" } }'\nexit 0\n`;

const work = mkdtempSync(path.join(os.tmpdir(), 'invites-gateway-test-tools-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Machine {
  readonly bin: string;
  readonly cache: string;
  readonly chromium: string;
  /** Each faked command's arguments, one line per call, in order. */
  readonly calls: () => string[];
}

function executable(file: string, body: string): void {
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
}

let machines = 0;
/**
 * A PATH holding every command of this machine's PATH except chromium, the system commands, sudo, id,
 * apt-get and npm, plus fakes of those that are asked for.
 */
function machine(options: { uid: number; sudo?: 'none' | 'password' | 'passwordless'; npmFails?: boolean; cachedNode?: boolean }): Machine {
  const dir = path.join(work, `machine-${++machines}`);
  const bin = path.join(dir, 'bin');
  const cache = path.join(dir, 'cache');
  mkdirSync(bin, { recursive: true });
  const faked = new Set(['chromium', ...SYSTEM_COMMANDS, 'sudo', 'id', 'apt-get', 'npm']);
  for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!folder || !existsSync(folder)) continue;
    for (const name of readdirSync(folder)) {
      if (faked.has(name) || existsSync(path.join(bin, name))) continue;
      symlinkSync(path.join(folder, name), path.join(bin, name));
    }
  }
  const log = path.join(dir, 'calls.log');
  writeFileSync(log, '');
  const chromium = path.join(dir, 'chromium');
  const record = (name: string) => `echo "${name} $*" >> '${log}'`;
  executable(path.join(bin, 'id'), `[ "$1" = -u ] && echo ${options.uid}`);
  // apt-get "installs" by creating the two commands the tests need.
  executable(
    path.join(bin, 'apt-get'),
    `${record('apt-get')}\nif [ "$1" = install ]; then printf '#!/bin/sh\\n' > '${chromium}'; chmod +x '${chromium}'; for c in ${SYSTEM_COMMANDS.join(' ')}; do cat > "${bin}/$c" <<'FAKE'\n${fakeCommand()}FAKE\nchmod +x "${bin}/$c"; done; fi`,
  );
  if (options.sudo && options.sudo !== 'none') {
    const allowed = options.sudo === 'passwordless' ? 0 : 1;
    executable(path.join(bin, 'sudo'), `${record('sudo')}\n[ "$1" = -n ] && exit ${allowed}\nexec "$@"`);
  }
  // npm "installs" a Node that only tells its version, where npm install --prefix would put it.
  const fakeNode = `printf '#!/bin/sh\\necho v${IMAGE_NODE_VERSION}\\n' > "$3/node_modules/${PACKAGE}/bin/node"; chmod +x "$3/node_modules/${PACKAGE}/bin/node"`;
  executable(
    path.join(bin, 'npm'),
    `${record('npm')}\n${options.npmFails ? 'exit 1' : `mkdir -p "$3/node_modules/${PACKAGE}/bin" && ${fakeNode}`}`,
  );
  if (options.cachedNode) {
    const nodeBin = path.join(cache, 'invites-gateway', `node-${IMAGE_NODE_VERSION}`, 'node_modules', PACKAGE, 'bin');
    mkdirSync(nodeBin, { recursive: true });
    executable(path.join(nodeBin, 'node'), `echo v${IMAGE_NODE_VERSION}`);
  }
  return { bin, cache, chromium, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

function run(m: Machine, ...args: string[]) {
  return spawnSync('bash', [SCRIPT, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: m.bin, HOME: path.dirname(m.bin), XDG_CACHE_HOME: m.cache, CHROMIUM_PATH: m.chromium },
  });
}

function cachedNodePath(m: Machine): string {
  return path.join(m.cache, 'invites-gateway', `node-${IMAGE_NODE_VERSION}`, 'node_modules', PACKAGE, 'bin', 'node');
}

describe('scripts/test-tools.sh', () => {
  test('not root and no sudo: stops at once, naming the exact command to run as root', () => {
    const m = machine({ uid: 1000 });
    const result = run(m);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('not root, no sudo');
    expect(result.stderr).toContain(`  ${APT_INSTALL}\n`);
    expect(result.stdout).toBe('');
    expect(m.calls()).toEqual([]); // nothing installed, nothing downloaded
  });

  test('a sudo that asks for a password: stops at once, naming the sudo command', () => {
    const m = machine({ uid: 1000, sudo: 'password' });
    const result = run(m);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${SYSTEM_PACKAGES}\n`);
    expect(m.calls()).toEqual(['sudo -n true']);
  });

  test('as root: installs chromium, redis-server, kubectl, promtool and haproxy with apt-get, then the image Node, and prints its path alone', () => {
    const m = machine({ uid: 0 });
    const result = run(m);
    expect(result.status).toBe(0);
    expect(m.calls()).toEqual([
      'apt-get update',
      `apt-get install -y --no-install-recommends ${SYSTEM_PACKAGES}`,
      expect.stringMatching(
        new RegExp(`^npm install --prefix \\S+ --no-save --no-package-lock --no-audit --no-fund ${PACKAGE}@${IMAGE_NODE_VERSION}$`),
      ),
    ]);
    // Into the cache folder, never into the project's dependencies.
    expect(m.calls()[2].split(' ')[3].startsWith(m.cache)).toBe(true);
    expect(result.stdout).toBe(`${cachedNodePath(m)}\n`);
  });

  test('through a sudo without a password, and only what is missing', () => {
    const m = machine({ uid: 1000, sudo: 'passwordless', cachedNode: true });
    writeFileSync(m.chromium, '#!/bin/sh\n');
    chmodSync(m.chromium, 0o755);
    const result = run(m);
    expect(result.status).toBe(0);
    expect(m.calls()).toEqual([
      'sudo -n true',
      'sudo apt-get update',
      'apt-get update',
      'sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server kubernetes-client prometheus haproxy',
      'apt-get install -y --no-install-recommends redis-server kubernetes-client prometheus haproxy',
    ]);
    expect(result.stdout).toBe(`${cachedNodePath(m)}\n`);
  });

  test('everything there: installs nothing', () => {
    const m = machine({ uid: 1000, cachedNode: true });
    writeFileSync(m.chromium, '#!/bin/sh\n');
    for (const command of SYSTEM_COMMANDS) writeFileSync(path.join(m.bin, command), fakeCommand());
    chmodSync(m.chromium, 0o755);
    for (const command of SYSTEM_COMMANDS) chmodSync(path.join(m.bin, command), 0o755);
    const result = run(m);
    expect(result.status).toBe(0);
    expect(m.calls()).toEqual([]);
    expect(result.stdout).toBe(`${cachedNodePath(m)}\n`);
  });

  test("Debian 12's kubectl (1.20) is refused: it cannot render deploy/'s labels:, and the message says what is needed", () => {
    const m = machine({ uid: 1000, cachedNode: true });
    writeFileSync(m.chromium, '#!/bin/sh\n');
    chmodSync(m.chromium, 0o755);
    for (const command of SYSTEM_COMMANDS) writeFileSync(path.join(m.bin, command), fakeCommand(command === 'kubectl' ? 20 : 30));
    for (const command of SYSTEM_COMMANDS) chmodSync(path.join(m.bin, command), 0o755);
    const result = run(m);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('kubectl 1.20 is too old to render deploy/');
    expect(result.stderr).toContain('Install kubectl 1.22 or newer');
    expect(result.stdout).toBe('');
  });

  test('`node` sets up the image Node alone; when npm cannot install it, names the exact command', () => {
    const m = machine({ uid: 1000, npmFails: true });
    const result = run(m, 'node');
    expect(result.status).toBe(1);
    const dir = path.join(m.cache, 'invites-gateway', `node-${IMAGE_NODE_VERSION}`);
    expect(result.stderr).toContain(`  npm install --prefix '${dir}' --no-save --no-audit --no-fund ${PACKAGE}@${IMAGE_NODE_VERSION}\n`);
    expect(m.calls()).toHaveLength(1); // npm, and no apt-get
    expect(readdirSync(path.dirname(dir))).toEqual([]); // no half-installed folder left
  });
});
