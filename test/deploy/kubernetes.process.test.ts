import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IService } from 'kubernetes-models/v1/Service';
import { loadConfig } from '../../src/config/config';
import { DEMO_ORG, LIST_INVITES } from '../support/operations';
import { post, residentBytes, startProductionGateway } from '../support/attack';
import { gatewaySources } from '../support/gatewaySources';
import { DEMO_TOKENS } from '../../src/simulator/demoData';
import { imageEnv, KubeObject, loadConfigReading, only, quantity, render, ROOT, validateAgainstApi } from './manifests';

/**
 * deploy/kubernetes, rendered by `kubectl kustomize` as `kubectl apply -k` would apply it: every
 * object valid against the Kubernetes API schemas, and the numbers that must agree with the
 * gateway (its probe paths and port, its shutdown timings, its settings, its memory) agreeing.
 */

jest.setTimeout(120_000);

const FOLDERS = ['base', 'overlays/redis'] as const;
const rendered = Object.fromEntries(FOLDERS.map((folder) => [folder, render(folder)])) as Record<(typeof FOLDERS)[number], KubeObject[]>;

function gatewayContainer(objects: readonly KubeObject[]): IContainer {
  const deployment = only<IDeployment>(objects, 'Deployment', 'invites-gateway');
  const [container] = deployment.spec!.template.spec!.containers;
  return container;
}

function containerEnv(container: IContainer): Record<string, string> {
  return Object.fromEntries((container.env ?? []).map(({ name, value }) => [name, value ?? '']));
}

/** The image's environment, then the container's: what the gateway process sees. */
function gatewayEnv(objects: readonly KubeObject[]): Record<string, string> {
  return { ...imageEnv(), ...containerEnv(gatewayContainer(objects)) };
}

describe.each(FOLDERS)('deploy/kubernetes/%s', (folder) => {
  const objects = rendered[folder];
  const deployment = only<IDeployment>(objects, 'Deployment', 'invites-gateway');
  const pod = deployment.spec!.template;
  const container = gatewayContainer(objects);

  test('every object is valid against the Kubernetes API schema of its kind', () => {
    expect(objects.map((object) => object.kind).sort()).toEqual(
      expect.arrayContaining(['Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Service']),
    );
    for (const object of objects) expect(() => validateAgainstApi(object)).not.toThrow();
  });

  test('sets only real settings, with values the gateway accepts in production', () => {
    const env = gatewayEnv(objects);
    const { config, read } = loadConfigReading(env);
    expect(config.nodeEnv).toBe('production');
    expect(Object.keys(env).filter((name) => !read.has(name))).toEqual([]);
  });

  test('probes the gateway’s own paths on the port it listens on', () => {
    const { config } = loadConfigReading(gatewayEnv(objects));
    const ports = container.ports ?? [];
    const portOf = (port: number | string | undefined) =>
      typeof port === 'string' ? ports.find((p) => p.name === port)?.containerPort : port;
    expect(ports.map((p) => p.containerPort)).toEqual([config.port]);
    expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(container.startupProbe?.httpGet?.path).toBe('/healthz');
    for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe])
      expect(portOf(probe?.httpGet?.port)).toBe(config.port);
    // The metrics annotation points at the same port (the live test below calls every path named here).
    expect(pod.metadata?.annotations?.['prometheus.io/port']).toBe(String(config.port));
  });

  test('the grace period covers the preStop sleep, the drain delay and the shutdown deadline', () => {
    const { config } = loadConfigReading(gatewayEnv(objects));
    const preStop = container.lifecycle?.preStop?.exec?.command ?? [];
    expect(preStop).toEqual(['sleep', expect.stringMatching(/^\d+$/)]);
    const preStopSeconds = Number(preStop[1]);
    // What docs/operations.md gives balancers to notice a draining replica: the production drain delay.
    const propagationMs = loadConfig({ NODE_ENV: 'production', LOSANT_API_URL: 'https://api.losant.com' }).shutdownDrainDelayMs;
    expect(preStopSeconds * 1000).toBeGreaterThanOrEqual(propagationMs);
    // The gateway exits within SHUTDOWN_TIMEOUT_MS + 1 s of SIGTERM, which comes after preStop.
    expect(pod.spec!.terminationGracePeriodSeconds! * 1000).toBeGreaterThanOrEqual(preStopSeconds * 1000 + config.shutdownTimeoutMs + 1000);
    // The drain delay is long enough for the readiness probe to see the 503.
    const probe = container.readinessProbe!;
    expect(probe.periodSeconds! * probe.failureThreshold! * 1000).toBeLessThanOrEqual(config.shutdownDrainDelayMs);
    // Liveness outlasts a full connection cap (docs/operations.md): REQUEST_TIMEOUT_MS at worst.
    const liveness = container.livenessProbe!;
    expect(liveness.periodSeconds! * liveness.failureThreshold! * 1000).toBeGreaterThan(config.sockets.requestTimeoutMs);
    // preStop runs `sleep` inside the image: a Debian image has it (a distroless one would not).
    const runtimeImage = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8').match(/^FROM (\S+)\s*$/m)?.[1];
    expect(runtimeImage).toMatch(/-(bookworm|bullseye|trixie)(-slim)?$/);
  });

  test('runs as the image’s non-root user, read-only, with no privileges to gain', () => {
    expect(pod.spec!.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')).toMatch(/^USER node$/m); // uid 1000 in the official Node images
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.spec!.automountServiceAccountToken).toBe(false);
  });

  test('the disruption budget, the autoscaler and the rollout leave replicas serving', () => {
    const pdb = only<IPodDisruptionBudget>(objects, 'PodDisruptionBudget');
    const hpa = only<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler');
    const minReplicas = hpa.spec!.minReplicas!;
    expect(hpa.spec!.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata!.name });
    // The autoscaler alone sets the count: one in the Deployment would be applied back over it.
    expect(deployment.spec!.replicas).toBeUndefined();
    expect(hpa.spec!.maxReplicas).toBeGreaterThan(minReplicas);
    expect(minReplicas).toBeGreaterThanOrEqual(2);
    // Exactly one of the two; a drain never takes the last serving replicas.
    expect(pdb.spec!.minAvailable === undefined).not.toBe(pdb.spec!.maxUnavailable === undefined);
    const maxUnavailable =
      pdb.spec!.maxUnavailable !== undefined ? Number(pdb.spec!.maxUnavailable) : minReplicas - Number(pdb.spec!.minAvailable);
    expect(maxUnavailable).toBeGreaterThanOrEqual(1); // else node drains block forever
    expect(minReplicas - maxUnavailable).toBeGreaterThanOrEqual(2);
    expect(deployment.spec!.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
    // The autoscaler's CPU target is a share of the request, which must be set.
    expect(hpa.spec!.metrics?.[0].resource?.name).toBe('cpu');
    expect(container.resources?.requests?.cpu).toBeDefined();
    // The selectors find the gateway's pods (and only the label pairs its pods carry).
    const labels = pod.metadata!.labels!;
    for (const selector of [pdb.spec!.selector!.matchLabels!, deployment.spec!.selector.matchLabels!])
      expect(labels).toMatchObject(selector);
    const service = only<IService>(objects, 'Service', 'invites-gateway');
    expect(labels).toMatchObject(service.spec!.selector!);
    expect((container.ports ?? []).map((p) => p.name)).toContain(service.spec!.ports![0].targetPort);
  });
});

test('the Redis overlay points REDIS_URL at its own Redis service, which runs non-root and read-only too', () => {
  const objects = rendered['overlays/redis'];
  const { config } = loadConfigReading(gatewayEnv(objects));
  const url = new URL(config.redisUrl!);
  const service = only<IService>(objects, 'Service', url.hostname);
  expect(service.spec!.ports!.map((p) => p.port)).toContain(Number(url.port));
  const redis = only<IDeployment>(objects, 'Deployment', 'invites-gateway-redis');
  expect(redis.spec!.template.metadata!.labels).toMatchObject(service.spec!.selector!);
  expect(redis.spec!.template.spec!.securityContext).toMatchObject({ runAsNonRoot: true });
  expect(redis.spec!.template.spec!.containers[0].securityContext).toMatchObject({
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
  });
  // The base alone keeps the caches in process.
  expect(loadConfigReading(gatewayEnv(rendered.base)).config.redisUrl).toBeUndefined();
});

test('the root filesystem can be read-only: the gateway writes no file (logs go to stdout, caches to memory or Redis)', () => {
  const writers = gatewaySources().filter(({ text }) => /\b(writeFile|appendFile|createWriteStream|mkdir|mkdtemp)\w*\(/.test(text));
  expect(writers.map(({ file }) => file)).toEqual([]);
});

test('the memory request covers what the built gateway holds after a burst here, with the limit above it; the probes and the metrics path answer 200', async () => {
  const container = gatewayContainer(rendered.base);
  const pod = only<IDeployment>(rendered.base, 'Deployment', 'invites-gateway').spec!.template;
  const request = quantity(container.resources!.requests!.memory);
  const limit = quantity(container.resources!.limits!.memory);
  const gateway = await startProductionGateway();
  try {
    const base = gateway.graphqlUrl.replace(/\/graphql$/, '');
    const paths = [container.readinessProbe, container.livenessProbe, container.startupProbe].map((probe) => probe?.httpGet?.path);
    for (const probePath of [...paths, pod.metadata?.annotations?.['prometheus.io/path']]) {
      expect({ path: probePath, status: (await fetch(`${base}${probePath}`)).status }).toEqual({ path: probePath, status: 200 });
    }
    // 400 list operations, 20 at a time.
    const body = { query: LIST_INVITES, variables: DEMO_ORG };
    for (let round = 0; round < 20; round++) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => post(gateway.graphqlUrl, body, { authorization: `Bearer ${DEMO_TOKENS.admin}` })),
      );
      for (const answer of answers) expect(answer.status).toBe(200);
    }
    const rss = await residentBytes(gateway.process.child.pid!);
    expect(rss).toBeLessThan(request);
    expect(limit).toBeGreaterThanOrEqual(1.5 * rss);
  } finally {
    await gateway.close();
  }
});
