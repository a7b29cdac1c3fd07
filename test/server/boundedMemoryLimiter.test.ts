import * as RateLimiterFlexible from 'rate-limiter-flexible';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { createBoundedMemoryLimiter } from '../../src/server/boundedMemoryLimiter';

/** What a consume answered: taken, or refused with the total it would have made. */
async function consume(
  limiter: RateLimiterFlexible.RateLimiterStoreAbstract,
  key: string,
  points: number,
): Promise<{ taken: boolean; consumed: number; remaining: number }> {
  try {
    const res = await limiter.consume(key, points);
    return { taken: true, consumed: res.consumedPoints, remaining: res.remainingPoints };
  } catch (refusal) {
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
    return { taken: false, consumed: refusal.consumedPoints, remaining: refusal.remainingPoints };
  }
}

afterEach(() => jest.restoreAllMocks());

test('takes points while they fit; points that do not fit are refused and not taken', async () => {
  const limiter = createBoundedMemoryLimiter(RateLimiterFlexible, { points: 5, windowSeconds: 60, maxKeys: 10 });
  expect(await consume(limiter, 'a', 2)).toEqual({ taken: true, consumed: 2, remaining: 3 });
  expect(await consume(limiter, 'a', 2)).toEqual({ taken: true, consumed: 4, remaining: 1 });
  // 2 more would make 6: refused, and the 1 left stays.
  expect(await consume(limiter, 'a', 2)).toMatchObject({ taken: false, consumed: 6 });
  expect(await consume(limiter, 'a', 1)).toEqual({ taken: true, consumed: 5, remaining: 0 });
  expect(await consume(limiter, 'a', 1)).toMatchObject({ taken: false });
  // Another key has its own window.
  expect(await consume(limiter, 'b', 5)).toEqual({ taken: true, consumed: 5, remaining: 0 });
});

test('operations arriving at once each see their own total, not the last one', async () => {
  const limiter = createBoundedMemoryLimiter(RateLimiterFlexible, { points: 5, windowSeconds: 60, maxKeys: 10 });
  const answers = await Promise.all([
    consume(limiter, 'a', 2),
    consume(limiter, 'a', 2),
    consume(limiter, 'a', 2),
    consume(limiter, 'a', 1),
  ]);
  expect(answers.map((answer) => (answer.taken ? answer.remaining : 'refused'))).toEqual([3, 1, 'refused', 0]);
});

test('a window ends after windowSeconds, and the share is whole again', async () => {
  let now = 1_000_000;
  jest.spyOn(Date, 'now').mockImplementation(() => now);
  const limiter = createBoundedMemoryLimiter(RateLimiterFlexible, { points: 3, windowSeconds: 60, maxKeys: 10 });
  expect(await consume(limiter, 'a', 3)).toMatchObject({ taken: true });
  now += 59_999;
  expect(await consume(limiter, 'a', 1)).toMatchObject({ taken: false });
  expect((await limiter.get('a'))?.msBeforeNext).toBe(1);
  now += 1;
  expect(await limiter.get('a')).toBeNull();
  expect(await consume(limiter, 'a', 3)).toEqual({ taken: true, consumed: 3, remaining: 0 });
});

test('a flood of distinct tokens holds at most maxKeys windows, and the busiest caller is still limited', async () => {
  const maxKeys = 1_000;
  const limiter = createBoundedMemoryLimiter(RateLimiterFlexible, { points: 3, windowSeconds: 600, maxKeys });
  expect(await consume(limiter, 'attacker', 3)).toMatchObject({ taken: true });
  let mostHeld = 0;
  for (let token = 0; token < 50 * maxKeys; token++) {
    await consume(limiter, `flood-${token}`, 1);
    mostHeld = Math.max(mostHeld, limiter.size);
    // The attacker keeps sending between the flood's tokens: the least recently used go first, not it.
    if (token % 100 === 0) expect((await consume(limiter, 'attacker', 1)).taken).toBe(false);
  }
  expect(mostHeld).toBe(maxKeys);
});
