import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { BALANCER_SETTINGS, haproxyCommand } from '../support/haproxy';
import { imageEnv, loadConfigReading, ROOT } from './manifests';

/**
 * deploy/compose, the local fleet: no Docker engine runs here, so the file is checked for what
 * would break `docker compose up` or the fleet's drain: files it names exist, HAProxy accepts its
 * configuration and checks the replicas' /readyz on the gateway's port, every variable it sets is
 * a real setting the gateway (or the simulator) accepts, and the stop grace period covers the
 * shutdown deadline.
 */

const DIR = path.join(ROOT, 'deploy', 'compose');

interface Service {
  build?: { context: string };
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  stop_grace_period?: string;
  read_only?: boolean;
  deploy?: { replicas?: number };
  depends_on?: Record<string, unknown> | string[];
}

// `merge: true` reads the `<<: *image` keys as compose does.
const compose = parse(readFileSync(path.join(DIR, 'compose.yaml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const { services } = compose;
const haproxyCfg = readFileSync(path.join(DIR, 'haproxy.cfg'), 'utf8');

test('three gateway replicas behind HAProxy, with a Redis and the simulator', () => {
  expect(Object.keys(services).sort()).toEqual(['gateway', 'haproxy', 'redis', 'simulator']);
  expect(services.gateway.deploy?.replicas).toBe(3);
  expect(services.gateway.read_only).toBe(true);
  for (const name of ['gateway', 'simulator']) {
    // Built from the project's own Dockerfile.
    expect(existsSync(path.join(DIR, services[name].build!.context, 'Dockerfile'))).toBe(true);
  }
  // The simulator's entry point is in the image's build output.
  expect(services.simulator.command).toEqual(['node', 'dist/src/simulator/main.js']);
  expect(existsSync(path.join(ROOT, 'src', 'simulator', 'main.ts'))).toBe(true);
  // Every mounted file exists.
  for (const volume of Object.values(services).flatMap((service) => service.volumes ?? [])) {
    expect(existsSync(path.join(DIR, volume.split(':')[0]))).toBe(true);
  }
  const dependencies = Object.values(services).flatMap(({ depends_on: on = [] }) => (Array.isArray(on) ? on : Object.keys(on)));
  for (const dependency of dependencies) expect(Object.keys(services)).toContain(dependency);
});

test('the gateway and the simulator are given only real settings, which they accept', () => {
  for (const name of ['gateway', 'simulator']) {
    const env = { ...imageEnv(), ...services[name].environment };
    const { read } = loadConfigReading(env);
    expect(Object.keys(env).filter((variable) => !read.has(variable))).toEqual([]);
  }
  const { config } = loadConfigReading({ ...imageEnv(), ...services.gateway.environment });
  // Its upstream and Redis are the compose services, on the ports they listen on.
  const upstream = new URL(config.upstream.url!);
  expect(upstream.hostname).toBe('simulator');
  expect(upstream.port).toBe(services.simulator.environment!.SIMULATOR_PORT);
  expect(new URL(config.redisUrl!).hostname).toBe('redis');
});

test('HAProxy accepts its configuration and sends traffic only to replicas whose /readyz answers', () => {
  const check = spawnSync(haproxyCommand(), ['-c', '-f', path.join(DIR, 'haproxy.cfg')], { encoding: 'utf8' });
  if (check.error) throw new Error(`haproxy did not run (scripts/test-tools.sh installs it): ${check.error.message}`);
  expect(`${check.stdout}${check.stderr}`).toContain('Configuration file is valid');
  expect(check.status).toBe(0);
  const { config } = loadConfigReading({ ...imageEnv(), ...services.gateway.environment });
  expect(haproxyCfg).toMatch(/^\s*option httpchk GET \/readyz$/m);
  expect(haproxyCfg).toMatch(new RegExp(`^\\s*server-template gateway ${services.gateway.deploy!.replicas} gateway:${config.port}$`, 'm'));
  // A draining replica is taken out within its drain delay: checks every `inter`, out after `fall`.
  const [, inter, fall] = /default-server inter (\d+)s fall (\d+)/.exec(haproxyCfg)!;
  expect(Number(inter) * Number(fall) * 1000).toBeLessThan(config.shutdownDrainDelayMs);
  // The balancer settings docs/operations.md recommends and the fleet test runs: no connection reuse, retries only of what never reached a
  // replica.
  for (const line of BALANCER_SETTINGS) expect(haproxyCfg).toMatch(new RegExp(`^\\s*${line}$`, 'm'));
});

test('compose waits for the whole shutdown before killing a replica', () => {
  const { config } = loadConfigReading({ ...imageEnv(), ...services.gateway.environment });
  const grace = /^(\d+)s$/.exec(services.gateway.stop_grace_period ?? '');
  expect(grace).not.toBeNull();
  expect(Number(grace![1]) * 1000).toBeGreaterThanOrEqual(config.shutdownTimeoutMs + 1000);
});
