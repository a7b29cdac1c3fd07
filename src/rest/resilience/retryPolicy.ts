import { RateLimitedError, UpstreamError, UpstreamUnavailableError } from '../../errors/gatewayErrors';

export interface RetryOptions {
  /** Tries in all for a read, the first included (1 turns retries off). */
  readonly maxAttempts: number;
  /** Upper bound of the first backoff; each further retry doubles it, up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Source of jitter, replaceable in tests. */
  readonly random?: () => number;
}

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/**
 * Whether a failed read may be tried again: connection failures, 502/503/504 and 429. Not a
 * timeout (the upstream is slow, and a retry would only add load), and not a `FailFastError` (an
 * open circuit or a full gateway refuses on purpose).
 */
export function isRetryableRead(error: unknown): boolean {
  if (error instanceof RateLimitedError || error instanceof UpstreamUnavailableError) return true;
  if (error instanceof UpstreamError) {
    const status = error.extensions.upstreamStatus;
    return typeof status === 'number' && RETRYABLE_STATUSES.has(status);
  }
  return false;
}

/**
 * How long to wait before retry number `retry` (1-based): the upstream's `Retry-After` when it
 * sent one, but never less than the base delay (a 429 with `Retry-After: 0`, or a date already
 * past, must not bring the retries back at once); else "full jitter" exponential backoff, which
 * spreads the retries of many clients.
 */
export function retryDelayMs(retry: number, error: unknown, options: RetryOptions): number {
  if (error instanceof RateLimitedError && error.retryAfterSeconds !== undefined) {
    return Math.max(error.retryAfterSeconds * 1000, Math.min(options.baseDelayMs, options.maxDelayMs));
  }
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.round((options.random ?? Math.random)() * ceiling);
}
