import type { HeaderMap } from '@apollo/server';
import { QuotaShareSpentError } from '../errors/gatewayErrors';
import { tokenDigest } from '../rest/tokenDigest';

/** Where a caller's share stands after an operation asked for some of it. */
export interface RateLimitDecision {
  /** Whether the operation's calls fit in what is left of the window (they are then taken). */
  readonly allowed: boolean;
  /** REST calls the caller may still cause in this window. */
  readonly remaining: number;
  /** Whole seconds until the window ends and the share is whole again. */
  readonly resetSeconds: number;
}

/**
 * Each caller's share of the organization's upstream quota, counted in REST calls: a store shared
 * by the replicas (Redis) or this process's own. `take` never fails and never waits longer than
 * the store's command timeout: a store that does not answer is replaced by the in-process one.
 */
export interface UpstreamRateLimiter {
  /** REST calls one caller may cause per window. */
  readonly points: number;
  readonly windowSeconds: number;
  /** Takes `calls` from `key`'s share when they all fit (nothing otherwise); 0 only reads the share. */
  take(key: string, calls: number): Promise<RateLimitDecision>;
}

/** What a refusal is reported with (a log line, a metric): never the token, a short hash of it. */
export interface RateLimitRefusal {
  readonly requestId: string;
  /** The first characters of the caller's key, enough to tell callers apart in the logs. */
  readonly caller: string;
  readonly calls: number;
  readonly remaining: number;
  readonly resetSeconds: number;
}

/** The limiter, and who is told of each refusal. */
export interface UpstreamRateLimit {
  readonly limiter: UpstreamRateLimiter;
  readonly onRefused?: (refusal: RateLimitRefusal) => void;
}

/** Who an operation is charged to, and the request to name in the log. */
export interface Caller {
  readonly authorization?: string;
  readonly requestId: string;
}

/** 72 bits of the hash: callers told apart in logs, and still nothing to look a token up by. */
const CALLER_LABEL_LENGTH = 12;

/** The policy's name in the RateLimit fields: what is counted is calls to the upstream. */
const POLICY = '"upstream-calls"';

/**
 * The key of a caller's share: a hash of its `Authorization` header, never the token itself (keys
 * reach Redis, and could reach logs). The router forwards the caller's own header, so an operation
 * it plans is charged to the caller, not to the router. Without a token there is no key: such an
 * operation is refused `UNAUTHENTICATED` before any upstream call, so it costs the quota nothing.
 */
export function rateLimitKey(authorization: string | undefined): string | undefined {
  const token = authorization?.trim();
  if (!token) return undefined;
  return tokenDigest(token);
}

/**
 * Charges an operation's upstream calls (as `measureOperation` counted them, before it runs) to
 * its caller's share, and says where the share stands in the `RateLimit-Policy` and `RateLimit`
 * fields of draft-ietf-httpapi-ratelimit-headers-11 (May 2026): a quoted policy name, `q` the
 * quota and `w` the window in seconds; `r` what remains and `t` the seconds until it is whole.
 * Refused, the operation fails with `RATE_LIMITED` (HTTP 429, `Retry-After` and
 * `extensions.retryAfter` in seconds) and nothing is sent upstream.
 */
export async function chargeUpstreamCalls(
  { limiter, onRefused }: UpstreamRateLimit,
  caller: Caller,
  calls: number,
  headers: HeaderMap,
): Promise<void> {
  const key = rateLimitKey(caller.authorization);
  if (key === undefined) return;
  const decision = await limiter.take(key, calls);
  headers.set('ratelimit-policy', `${POLICY};q=${limiter.points};w=${limiter.windowSeconds}`);
  headers.set('ratelimit', `${POLICY};r=${decision.remaining};t=${decision.resetSeconds}`);
  if (decision.allowed) return;
  onRefused?.({
    requestId: caller.requestId,
    caller: key.slice(0, CALLER_LABEL_LENGTH),
    calls,
    remaining: decision.remaining,
    resetSeconds: decision.resetSeconds,
  });
  if (calls > limiter.points) {
    // Waiting does not help such an operation; the window is what a client backs off by anyway.
    throw new QuotaShareSpentError(
      `The operation could make ${calls} upstream calls; a token may make at most ${limiter.points} every ${limiter.windowSeconds} s`,
      limiter.windowSeconds,
    );
  }
  throw new QuotaShareSpentError(
    `This token has used its share of the upstream quota (${limiter.points} calls every ${limiter.windowSeconds} s; the operation needs ${calls}, ${decision.remaining} remain); retry in ${decision.resetSeconds} s`,
    decision.resetSeconds,
  );
}
