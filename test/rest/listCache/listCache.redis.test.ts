import { metric } from '../../support/attack';
import { INVITE_MEMBER } from '../../support/operations';
import { startRedis, type RedisServer } from '../../support/redisServer';
import {
  DEMO_INSTANCE_ID,
  DEMO_SECOND_ORG_ID,
  graphql,
  startStack,
  startTestGateway,
  type TestGateway,
  type TestStack,
} from '../../support/stack';

/**
 * The list cache across replicas: two gateways on one simulator share a real redis-server, and a
 * mutation through one clears the lists the other holds. While a replica cannot hear the others
 * (Redis frozen), its cache serves nothing, and what it held is dropped once it hears again.
 */
const ORG = { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_SECOND_ORG_ID };
const LIST = `query($instanceId: ID!, $orgId: ID!) { orgInvites(instanceId: $instanceId, orgId: $orgId) { count items { email } } }`;

interface ListData {
  orgInvites: { count: number; items: Array<{ email: string }> } | null;
}

let redis: RedisServer;
let stack: TestStack;
let other: TestGateway;

const env = (): Record<string, string> => ({ LIST_CACHE_TTL_MS: '60000', REDIS_URL: redis.url });

/** Polls one of the gateway's metrics until `done` holds: the observable point, no fixed wait. */
async function untilMetric(
  gatewayUrl: string,
  name: string,
  done: (value: number) => boolean,
  onEachTry?: () => Promise<unknown>,
): Promise<number> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    await onEachTry?.();
    const value = await metric(gatewayUrl, name);
    if (done(Number.isNaN(value) ? 0 : value)) return value;
    if (Date.now() > deadline) throw new Error(`${name} stayed at ${value}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function listCalls(): number {
  return stack.simulator.requests.filter((request) => request.method === 'GET' && request.path.endsWith('/invites')).length;
}

const read = (url: string) => graphql<ListData>(url, LIST, { variables: ORG });
const RESET = 'list_cache_invalidations_total{source="reset"}';

beforeAll(async () => {
  redis = await startRedis();
  stack = await startStack({ simulator: { recordLimit: 10_000 }, env: env() });
  other = await startTestGateway(stack.simulator.url, { env: env() });
  // Each hears the channel (the first message it hears resets its empty cache).
  await untilMetric(stack.gateway.url, RESET, (value) => value >= 1);
  await untilMetric(other.gateway.url, RESET, (value) => value >= 1);
}, 60_000);

afterAll(async () => {
  await other?.close();
  await stack?.close();
  await redis?.stop();
});

test('a mutation through replica A is seen by the next read on replica B', async () => {
  const a = stack.graphqlUrl;
  const b = other.graphqlUrl;
  const first = await read(b);
  const count = first.body.data?.orgInvites?.count ?? NaN;
  let before = listCalls();
  expect((await read(b)).body.data?.orgInvites?.count).toBe(count);
  expect(listCalls() - before).toBe(0);

  const remoteBefore = await metric(other.gateway.url, 'list_cache_invalidations_total{source="remote"}');
  const invited = await graphql(a, INVITE_MEMBER, { variables: { ...ORG, invite: { email: 'seen-on-b@example.com', role: 'VIEW' } } });
  expect(invited.body.errors).toBeUndefined();
  // B has heard A's message.
  await untilMetric(
    other.gateway.url,
    'list_cache_invalidations_total{source="remote"}',
    (value) => value > (Number.isNaN(remoteBefore) ? 0 : remoteBefore),
  );
  before = listCalls();
  const after = await read(b);
  expect(after.body.data?.orgInvites?.count).toBe(count + 1);
  expect(after.body.data?.orgInvites?.items.map((item) => item.email)).toContain('seen-on-b@example.com');
  expect(listCalls() - before).toBe(1);
});

test('while Redis is frozen nothing is served from the cache; mutations still answer; afterwards the cache starts empty', async () => {
  const a = stack.graphqlUrl;
  const b = other.graphqlUrl;
  await read(b);
  const resetsBefore = await metric(other.gateway.url, RESET);
  redis.freeze();
  try {
    // B notices it hears nothing (its heartbeats stop arriving) and reads the upstream.
    await untilMetric(
      other.gateway.url,
      'list_cache_reads_total{outcome="deaf"}',
      (value) => value >= 1,
      () => read(b),
    );
    const before = listCalls();
    await read(b);
    expect(listCalls() - before).toBe(1);
    // A mutation on A answers although its message cannot be published.
    const invited = await graphql(a, INVITE_MEMBER, {
      variables: { ...ORG, invite: { email: 'during-freeze@example.com', role: 'VIEW' } },
    });
    expect(invited.body.errors).toBeUndefined();
  } finally {
    redis.thaw();
  }
  // B hears again, and drops whatever it held.
  await untilMetric(other.gateway.url, RESET, (value) => value > resetsBefore);
  const before = listCalls();
  const after = await read(b);
  expect(after.body.data?.orgInvites?.items.map((item) => item.email)).toContain('during-freeze@example.com');
  expect(listCalls() - before).toBe(1);
  // And serves again.
  await read(b);
  expect(listCalls() - before).toBe(1);
});
