import type * as RateLimiterFlexible from 'rate-limiter-flexible';
import type { RateLimitSettings } from '../config/settings';
import type { RateLimitDecision, UpstreamRateLimiter } from '../limits/upstreamRateLimit';
import { createBoundedMemoryLimiter } from './boundedMemoryLimiter';
import type { SharedRedis } from './sharedCaches';

type Limiter = RateLimiterFlexible.RateLimiterAbstract | RateLimiterFlexible.RateLimiterStoreAbstract;

/**
 * rate-limiter-flexible's script for Redis (a fixed window: the key made with the window's expiry,
 * then incremented), changed to take points only when they fit (`ARGV[3]` is the limit's points):
 * a refused operation spends nothing of the share, and two operations of one caller arriving at
 * once (a batch's) cannot both be refused for the sum of both. Refused, it answers the total the
 * points would have made, which the library reads as a refusal.
 */
const TAKE_ONLY_WHAT_FITS = `redis.call('set', KEYS[1], 0, 'EX', ARGV[2], 'NX')
local points = tonumber(ARGV[1])
local consumed = tonumber(redis.call('get', KEYS[1]))
if points > 0 and consumed + points > tonumber(ARGV[3]) then
  return {consumed + points, redis.call('pttl', KEYS[1])}
end
consumed = redis.call('incrby', KEYS[1], points)
local ttl = redis.call('pttl', KEYS[1])
if ttl == -1 then
  redis.call('expire', KEYS[1], ARGV[2])
  ttl = 1000 * ARGV[2]
end
return {consumed, ttl}`;

/** Where Redis keeps the shares, beside the caches' `invites-gateway:` entries; the key that follows is a hash. */
const REDIS_KEY_PREFIX = 'invites-gateway:ratelimit';

/**
 * The callers' shares of the upstream quota. With Redis, one count for all replicas, through the
 * caches' own connection and `RedisHealth`: each command bounded by REDIS_COMMAND_TIMEOUT_MS, and
 * while Redis is degraded (a command failed or timed out) none is sent at all, so a hung Redis
 * costs one timeout and not one per request. Whenever Redis does not decide, the in-process
 * limiter does: the limit still holds, each replica counting on its own until Redis answers again.
 *
 * The fall-back is rate-limiter-flexible's insurance-limiter pattern, run by hand: the library's
 * `insuranceLimiter` catches failed commands but not hung ones, and it would hide every failure
 * from `RedisHealth`, which then never stops sending commands to a Redis that does not answer.
 */
export function createUpstreamRateLimiter(settings: RateLimitSettings, redis: SharedRedis | undefined): UpstreamRateLimiter {
  // Loaded only when the limit is on: the library and its stores hold about 2 MB.
  const library = require('rate-limiter-flexible') as typeof RateLimiterFlexible;
  const memory = createBoundedMemoryLimiter(library, settings);
  const shared = redis
    ? new library.RateLimiterRedis({
        storeClient: redis.client,
        // node-redis (the client @keyv/redis is built on), not ioredis.
        useRedisPackage: true,
        // A client that is not connected is a failure at once, not a command queued.
        rejectIfRedisNotReady: true,
        customIncrTtlLuaScript: TAKE_ONLY_WHAT_FITS,
        keyPrefix: REDIS_KEY_PREFIX,
        points: settings.points,
        duration: settings.windowSeconds,
      })
    : undefined;
  const take = async (key: string, calls: number): Promise<RateLimitDecision> => {
    if (shared && redis?.health.usable) {
      const decided = await redis.health.run(() => decide(shared, settings, key, calls));
      if (decided) return decided;
    }
    return decide(memory, settings, key, calls);
  };
  return { points: settings.points, windowSeconds: settings.windowSeconds, take };
}

/**
 * One limiter's decision. Both limiters take an operation's points only when they all fit, so a
 * refused operation spends nothing: what a share counts is what was let through to the upstream.
 * Rejects only when the store failed.
 */
async function decide(limiter: Limiter, settings: RateLimitSettings, key: string, calls: number): Promise<RateLimitDecision> {
  if (calls === 0) {
    const state = await limiter.get(key);
    return state
      ? decision(true, state.remainingPoints, state.msBeforeNext)
      : decision(true, settings.points, settings.windowSeconds * 1000);
  }
  try {
    const taken = await limiter.consume(key, calls);
    return decision(true, taken.remainingPoints, taken.msBeforeNext);
  } catch (refusal) {
    // Refused, `consumedPoints` is the total the calls would have made; what remains is without them.
    if (!(refusal instanceof Error) && isLimiterAnswer(refusal))
      return decision(false, Math.max(settings.points - (refusal.consumedPoints - calls), 0), refusal.msBeforeNext);
    throw refusal;
  }
}

/** A refusal rejects with the library's `RateLimiterRes`; a store failure with an `Error`. */
function isLimiterAnswer(value: unknown): value is RateLimiterFlexible.RateLimiterRes {
  return typeof value === 'object' && value !== null && 'msBeforeNext' in value && 'consumedPoints' in value;
}

function decision(allowed: boolean, remaining: number, msBeforeNext: number): RateLimitDecision {
  // At least a second: a `Retry-After: 0` invites a client to retry at once into the same refusal.
  return { allowed, remaining, resetSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)) };
}
