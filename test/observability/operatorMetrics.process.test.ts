import { readFileSync } from 'node:fs';
import path from 'node:path';
import { post, startProductionGateway, type ProductionGateway } from '../support/attack';
import { freePort } from '../support/gatewayProcess';
import { DEMO_ORG, LIST_INVITES } from '../support/operations';
import { DEMO_TOKENS } from '../support/stack';

/**
 * What an operator of a fleet reads off each replica, on the built gateway as production runs it:
 * /metrics on a port of its own, which build runs where, the work in progress, and the requests
 * refused before GraphQL ran (no operation line or metric would show them otherwise).
 */

jest.setTimeout(60_000);

let gateway: ProductionGateway;
let metricsUrl: string;

beforeAll(async () => {
  const metricsPort = await freePort();
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  gateway = await startProductionGateway({
    METRICS_PORT: String(metricsPort),
    BUILD_COMMIT: 'abc1234',
    LOG_LEVEL: 'info',
    MAX_BODY_BYTES: '2048',
    MAX_BATCH_SIZE: '2',
  });
});
afterAll(async () => {
  await gateway?.close();
});

async function scrape(): Promise<string> {
  const response = await fetch(metricsUrl);
  expect(response.status).toBe(200);
  return response.text();
}

function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  if (!line) throw new Error(`no ${series} in:\n${text}`);
  return Number(line.slice(series.length + 1));
}

test('METRICS_PORT serves /metrics there alone, and the API port no longer does', async () => {
  expect((await fetch(`${gateway.process.url}/metrics`)).status).toBe(404);
  expect((await fetch(metricsUrl.replace('/metrics', '/graphql'))).status).toBe(404);
  expect(await scrape()).toContain('# TYPE graphql_operations_total counter');
});

test('build info names the package version, BUILD_COMMIT and the Node.js running it', async () => {
  const { version } = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  expect(sample(await scrape(), `invites_gateway_build_info{version="${version}",commit="abc1234",node="${process.version}"}`)).toBe(1);
});

test('requests and upstream calls in progress are gauges read at the scrape', async () => {
  gateway.simulator.faults.inject({ kind: 'delay', ms: 60_000 }, { method: 'GET' });
  const slow = post(
    gateway.graphqlUrl,
    { query: LIST_INVITES, variables: DEMO_ORG },
    { authorization: `Bearer ${DEMO_TOKENS.admin}` },
  ).catch(() => undefined);
  while (gateway.simulator.inFlight < 1) await new Promise((resolve) => setTimeout(resolve, 10));
  const during = await scrape();
  expect(sample(during, 'http_requests_in_flight')).toBeGreaterThanOrEqual(1);
  expect(sample(during, 'upstream_calls_in_flight')).toBe(1);
  expect(sample(during, 'upstream_calls_queued')).toBe(0);
  // The held call is cut when the gateway and simulator close; its answer is not what this test is about.
  gateway.simulator.faults.clear();
  void slow;
});

test.each([
  ['invalid_json', '{"query": ', {}],
  ['body_too_large', JSON.stringify({ query: `{ __typename ${' '.repeat(4_000)}}` }), {}],
  ['batch_too_large', JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }, { query: '{ __typename }' }]), {}],
  // Apollo's CSRF prevention: a simple (preflight-free) request without a JSON content type.
  ['bad_request', 'query={__typename}', { 'content-type': 'text/plain' }],
] as const)('a request refused as %s is counted and logged', async (reason, body, headers) => {
  const series = `http_requests_refused_total{reason="${reason}"}`;
  const before = sample(await scrape(), series);
  const response = await post(gateway.graphqlUrl, body, headers);
  expect(response.status).toBeGreaterThanOrEqual(400);
  const requestId = response.headers['x-request-id'];
  expect(sample(await scrape(), series)).toBe(before + 1);
  while (!gateway.process.output().includes(`"requestId":"${String(requestId)}","reason":"${reason}"`))
    await new Promise((resolve) => setTimeout(resolve, 10));
  const line = gateway.process
    .output()
    .split('\n')
    .find((candidate) => candidate.includes(`"requestId":"${String(requestId)}"`));
  expect(JSON.parse(line ?? '{}')).toMatchObject({ level: 30, msg: 'request refused before GraphQL ran', reason, status: response.status });
});
