import { rateLimitKey } from '../../src/limits/upstreamRateLimit';
import { answerCodes, fireUntilRefused, LimitedAnswer, sendAs, upstreamCallsWith } from '../support/rateLimitAttack';
import { RedisServer, startRedis } from '../support/redisServer';
import { DEMO_TOKENS, startStack, startTestGateway, TestGateway, TestStack } from '../support/stack';

/**
 * The share is one per token across replicas when they share Redis, and a Redis that hangs or
 * dies neither holds nor fails a request: each replica then counts in its own memory, and the
 * limit still holds.
 */

jest.setTimeout(60_000);

const POINTS = 6;
const env = (redisUrl: string): Record<string, string> => ({
  REDIS_URL: redisUrl,
  RATE_LIMIT_POINTS: String(POINTS),
  RATE_LIMIT_WINDOW_SECONDS: '600',
});
/** The token the tests spend to see that a replica counts in Redis; the attacks use the others. */
const PROBE = DEMO_TOKENS.noInvites;

/** Where Redis holds a token's share. */
const shareKey = (token: string): string => `invites-gateway:ratelimit:${rateLimitKey(`Bearer ${token}`)}`;

/**
 * Waits until a replica counts in Redis (it connects in the background; until then it counts in
 * memory): sends the probe token's operations until one of them adds to its share in Redis.
 */
async function untilCountingInRedis(redis: RedisServer, graphqlUrl: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const before = Number(redis.cli('GET', shareKey(PROBE)) || 0);
    await sendAs(graphqlUrl, PROBE);
    if (Number(redis.cli('GET', shareKey(PROBE)) || 0) === before + 1) return;
  }
  throw new Error('the replica never counted in Redis');
}

/** Every answer is data or RATE_LIMITED: nothing failed for the store's sake. */
function onlyDataOrRateLimited(answers: readonly LimitedAnswer[]): void {
  for (const answer of answers) {
    const codes = answerCodes(answer);
    if (codes.length === 0) expect(answer.status).toBe(200);
    else expect({ status: answer.status, codes }).toEqual({ status: 429, codes: ['RATE_LIMITED'] });
  }
}

describe('two replicas, one Redis', () => {
  let redis: RedisServer;
  let stack: TestStack;
  let second: TestGateway;
  beforeAll(async () => {
    redis = await startRedis();
    stack = await startStack({ env: env(redis.url) });
    second = await startTestGateway(stack.simulator.url, { env: env(redis.url) });
    await untilCountingInRedis(redis, stack.graphqlUrl);
    await untilCountingInRedis(redis, second.graphqlUrl);
  });
  afterAll(async () => {
    await second?.close();
    await stack?.close();
    await redis?.stop();
  });

  test('share one budget: the attack spread over both gets exactly the share upstream, not a share per replica', async () => {
    const answers = await fireUntilRefused([stack.graphqlUrl, second.graphqlUrl], DEMO_TOKENS.admin, 4 * POINTS);
    expect(upstreamCallsWith(stack.simulator, DEMO_TOKENS.admin)).toBe(POINTS);
    expect(answers).toHaveLength(POINTS + 1);
    expect(answers[POINTS]).toMatchObject({ status: 429, rateLimit: expect.stringMatching(/^"upstream-calls";r=0;t=\d+$/) });
    // The refused operation took nothing: Redis counts what reached the upstream.
    expect(redis.cli('GET', shareKey(DEMO_TOKENS.admin))).toBe(String(POINTS));
    // Redis holds the share under a hash of the token, never the token.
    const keys = redis.cli('KEYS', '*');
    expect(keys).toContain(shareKey(DEMO_TOKENS.admin));
    expect(keys).not.toContain(DEMO_TOKENS.admin);
  });

  test('a frozen Redis holds no request and fails none: each replica limits in memory', async () => {
    redis.freeze();
    try {
      // Redis stays frozen until the attack is over: a request waiting on it would never be answered
      // (sendAs gives up after 20 s, far beyond REDIS_COMMAND_TIMEOUT_MS).
      const answers = await fireUntilRefused([stack.graphqlUrl], DEMO_TOKENS.readOnly, 4 * POINTS);
      onlyDataOrRateLimited(answers);
      expect(upstreamCallsWith(stack.simulator, DEMO_TOKENS.readOnly)).toBe(POINTS);
      expect(answerCodes(answers[answers.length - 1])).toEqual(['RATE_LIMITED']);
    } finally {
      redis.thaw();
    }
  });
});

describe('Redis killed', () => {
  let redis: RedisServer;
  let stack: TestStack;
  beforeAll(async () => {
    redis = await startRedis();
    stack = await startStack({ env: env(redis.url) });
    await untilCountingInRedis(redis, stack.graphqlUrl);
    await redis.stop();
  });
  afterAll(async () => {
    await stack?.close();
    await redis?.stop();
  });

  test('no request fails or hangs, and the token is still limited, in memory', async () => {
    const answers = await fireUntilRefused([stack.graphqlUrl], DEMO_TOKENS.admin, 4 * POINTS);
    onlyDataOrRateLimited(answers);
    expect(upstreamCallsWith(stack.simulator, DEMO_TOKENS.admin)).toBe(POINTS);
    expect(answers).toHaveLength(POINTS + 1);
    expect(answers[POINTS].retryAfter).toMatch(/^\d+$/);
  });
});
