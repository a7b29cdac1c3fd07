import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DEMO_TOKENS } from '../../src/simulator/demoData';
import { status } from '../../src/simulator/faults';
import { post } from '../support/attack';
import { startFaultUpstream, type FaultUpstream } from '../support/faultUpstream';
import { startGatewayProcess, type GatewayProcess } from '../support/gatewayProcess';
import { DEMO_ORG, LIST_INVITES } from '../support/operations';
import { type RedisServer, startRedis } from '../support/redisServer';
import { ROOT } from './manifests';
import { matches, selectors, type Selector } from './promql';

/**
 * Every metric the Grafana dashboard and the Prometheus alerts name is one the built gateway
 * really exports at /metrics, and every label matcher they filter with matches series the gateway
 * really writes (after ordinary requests, a failing upstream call and a readiness ping): a renamed
 * metric or label would otherwise leave a panel empty and an alert silent, with nothing to say so.
 */

jest.setTimeout(60_000);

/** Written by Prometheus itself for each scrape target, not by the gateway. */
const PROMETHEUS_OWN = new Set(['up']);
/** Added by Prometheus's target labels, not by the gateway. */
const TARGET_LABELS = new Set(['job', 'instance']);

interface Dashboard {
  panels: { title: string; targets?: { expr: string }[] }[];
  templating: { list: { query?: string | { query: string } }[] };
}

function dashboardExpressions(): string[] {
  const dashboard = JSON.parse(readFileSync(path.join(ROOT, 'deploy', 'grafana', 'invites-gateway.json'), 'utf8')) as Dashboard;
  const panels = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
  // Template variables: `label_values(metric, label)` names a metric too.
  const variables = dashboard.templating.list
    .map((variable) => (typeof variable.query === 'string' ? variable.query : variable.query?.query))
    .flatMap((query) => [...(/label_values\(\s*([^,)]+)/.exec(query ?? '')?.slice(1) ?? [])]);
  return [...panels, ...variables];
}

function ruleExpressions(): string[] {
  const rules = parse(readFileSync(path.join(ROOT, 'deploy', 'prometheus', 'alerts.yaml'), 'utf8')) as {
    groups: { rules: { expr: string }[] }[];
  };
  return rules.groups.flatMap((group) => group.rules.map((rule) => rule.expr));
}

interface Exposition {
  /** Metric families from `# TYPE` lines, with their type. */
  readonly families: Map<string, string>;
  /** Samples by series name (histograms as their _bucket, _sum and _count series). */
  readonly samples: Map<string, Record<string, string>[]>;
}

function parseExposition(text: string): Exposition {
  const families = new Map<string, string>();
  const samples = new Map<string, Record<string, string>[]>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) families.set(type[1], type[2]);
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? \S+$/.exec(line);
    if (sample) {
      const labels = Object.fromEntries(
        [...(sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, name, value]) => [name, value]),
      );
      samples.set(sample[1], [...(samples.get(sample[1]) ?? []), labels]);
    }
  }
  return { families, samples };
}

/** The family a series belongs to: a histogram's `_bucket`, `_sum` and `_count` are its own. */
function familyOf(series: string, families: Map<string, string>): string | undefined {
  if (families.has(series)) return series;
  const base = series.replace(/_(bucket|sum|count)$/, '');
  return families.get(base) === 'histogram' || families.get(base) === 'summary' ? base : undefined;
}

let upstream: FaultUpstream | undefined;
let gateway: GatewayProcess | undefined;
let redis: RedisServer | undefined;
let exposition: Exposition;

beforeAll(async () => {
  upstream = await startFaultUpstream();
  // With Redis, as the fleet runs: the Redis health series exist only then.
  redis = await startRedis();
  gateway = await startGatewayProcess({ NODE_ENV: 'production', LOSANT_API_URL: upstream.url, REDIS_URL: redis.url, LOG_LEVEL: 'warn' });
  const metrics = async (): Promise<string> => (await fetch(`${gateway!.url}/metrics`)).text();
  // A readiness probe pings the upstream; upstream_reachable exists from its answer on.
  await fetch(`${gateway.url}/readyz`);
  while (!(await metrics()).includes('upstream_reachable ')) await fetch(`${gateway.url}/readyz`);
  const authorization = `Bearer ${DEMO_TOKENS.admin}`;
  const list = { query: LIST_INVITES, variables: DEMO_ORG };
  // One read the upstream keeps failing (503 on every try: retries, then UPSTREAM_UNAVAILABLE)...
  upstream.repeat(status(503, { type: 'ServiceUnavailable', message: 'down' }), 3);
  const failed = await post(`${gateway.url}/graphql`, list, { authorization });
  expect(JSON.stringify(failed.json)).toMatch(/UPSTREAM_/);
  // ...and ordinary ones.
  for (let i = 0; i < 3; i++) expect((await post(`${gateway.url}/graphql`, list, { authorization })).status).toBe(200);
  exposition = parseExposition(await metrics());
});

afterAll(async () => {
  gateway?.kill();
  if (gateway) await gateway.exited;
  await upstream?.close();
  await redis?.stop();
});

describe.each([
  ['the Grafana dashboard', dashboardExpressions],
  ['the Prometheus alert rules', ruleExpressions],
])('%s', (_name, expressions) => {
  const used: Selector[] = expressions().flatMap(selectors);

  test('names only metrics the gateway exports', () => {
    expect(used.length).toBeGreaterThan(5);
    const unknown = used.map((s) => s.metric).filter((metric) => !PROMETHEUS_OWN.has(metric) && !familyOf(metric, exposition.families));
    expect([...new Set(unknown)]).toEqual([]);
  });

  test('filters with labels and values the gateway’s series carry', () => {
    const unmatched = used
      .filter((s) => exposition.samples.has(s.metric) && s.matchers.some((m) => !TARGET_LABELS.has(m.label)))
      .filter(
        (s) =>
          !exposition.samples
            .get(s.metric)!
            .some((labels) => s.matchers.filter((m) => !TARGET_LABELS.has(m.label)).every((m) => matches(labels, m))),
      )
      .map((s) => `${s.metric}{${s.matchers.map((m) => `${m.label}${m.op}"${m.value}"`).join(',')}}`);
    expect(unmatched).toEqual([]);
  });
});
