import { DEMO_TOKENS } from '../../src/simulator/demoData';
import { codesOf, metric, post, ProductionGateway, startProductionGateway, withStallProbe } from '../support/attack';
import { DEMO_ORG, LIST_INVITES } from '../support/operations';
import { RedisServer, startRedis } from '../support/redisServer';

/**
 * Redis connected but not answering (its process stopped with SIGSTOP: the connection stays open,
 * no command gets an answer). Without a bound on each command, every request for a document not
 * in process memory waited as long as Redis did, and nothing said why. Each command now gives up
 * after REDIS_COMMAND_TIMEOUT_MS and reads as a miss; Redis is reported degraded in the log, in
 * /metrics and in /readyz's detail, while /readyz stays 200; it is reported ok once it answers.
 */

jest.setTimeout(120_000);

const ADMIN = { authorization: `Bearer ${DEMO_TOKENS.admin}` };
/** Far below how long Redis stays frozen (as long as the test needs), far above REDIS_COMMAND_TIMEOUT_MS (250 ms). */
const ANSWER_BOUND_MS = 2_000;

let redis: RedisServer;
let gateway: ProductionGateway;

beforeAll(async () => {
  redis = await startRedis();
  gateway = await startProductionGateway({ REDIS_URL: redis.url, LOG_LEVEL: 'info' });
});
afterAll(async () => {
  await gateway?.close();
  await redis?.stop();
});

interface Readyz {
  readonly status: number;
  readonly body: {
    checks: { redis?: { ok: boolean; state: string; consecutiveFailures: number; lastError: string | null }; breaker: { state: string } };
  };
}

async function readyz(): Promise<Readyz> {
  const response = await fetch(`${gateway.process.url}/readyz`);
  return { status: response.status, body: (await response.json()) as Readyz['body'] };
}

/** Polls until `check` answers true (an observable point), or fails after `timeoutMs`. */
async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A document this replica has not seen: Apollo looks it up in the document store, Redis included. */
async function readNew(label: string): Promise<{ ms: number; codes: unknown[]; count: unknown }> {
  const started = performance.now();
  const response = await post(gateway.graphqlUrl, { query: `${LIST_INVITES}\n# ${label}`, variables: DEMO_ORG }, ADMIN, 60_000);
  const ms = Math.round(performance.now() - started);
  return {
    ms,
    codes: codesOf(response.json),
    count: (response.json as { data?: { orgInvites?: { count?: unknown } } }).data?.orgInvites?.count,
  };
}

test('a frozen Redis costs a new document at most the command timeout, is reported degraded, and ok again once it answers', async () => {
  // Connected and healthy first: Redis holds the documents (a request before the connection is up reads as a miss and writes nothing).
  let warmUps = 0;
  await until('a document in Redis', async () => {
    expect(await readNew(`before the freeze ${warmUps++}`)).toMatchObject({ codes: [], count: 7 });
    return redis.cli('--scan', '--pattern', '*document:*') !== '';
  });
  expect((await readyz()).body.checks.redis).toMatchObject({ ok: true, state: 'ok', consecutiveFailures: 0 });
  expect(await metric(gateway.process.url, 'redis_up')).toBe(1);

  await withStallProbe(gateway.graphqlUrl, 1_000, async () => {
    redis.freeze();
    try {
      const first = await readNew('during the freeze');
      expect({ ...first, withinBound: first.ms < ANSWER_BOUND_MS }).toEqual({ ms: first.ms, codes: [], count: 7, withinBound: true });
      // Once degraded, Redis is not asked at all: the next new document does not wait even the timeout.
      await until('the degraded log line', () => gateway.process.output().includes('redis degraded'));
      const second = await readNew('while degraded');
      expect({ ...second, withinBound: second.ms < ANSWER_BOUND_MS }).toEqual({ ms: second.ms, codes: [], count: 7, withinBound: true });

      const degraded = await readyz();
      expect(degraded.status).toBe(200);
      expect(degraded.body.checks.redis).toMatchObject({ ok: false, state: 'degraded', lastError: 'no answer within 250 ms' });
      expect(degraded.body.checks.redis?.consecutiveFailures).toBeGreaterThanOrEqual(1);
      // Redis is not the upstream: the breaker of a healthy upstream stays closed.
      expect(degraded.body.checks.breaker.state).toBe('closed');
      expect(await metric(gateway.process.url, 'redis_up')).toBe(0);
      expect(await metric(gateway.process.url, 'redis_command_failures_total{reason="timeout"}')).toBeGreaterThanOrEqual(1);
      // One line for the change of state, however many commands timed out.
      expect(gateway.process.output().split('redis degraded').length - 1).toBe(1);
    } finally {
      redis.thaw();
    }
  });

  await until('redis to read as ok again', async () => (await readyz()).body.checks.redis?.state === 'ok');
  expect(gateway.process.output()).toContain('redis answers again');
  expect(await metric(gateway.process.url, 'redis_up')).toBe(1);
  expect(await readNew('after the thaw')).toMatchObject({ codes: [], count: 7 });
});
