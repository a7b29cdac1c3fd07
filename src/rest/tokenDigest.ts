import { createHash } from 'node:crypto';

/**
 * What shared state (the circuit breaker's callers, the rate limit's Redis keys, their log labels)
 * holds in place of a caller's `Authorization` header: its SHA-256, base64url. Nothing can be
 * looked up by it, and it never reaches a log, a key or a heap snapshot as the token itself.
 */
export function tokenDigest(authorization: string): string {
  return createHash('sha256').update(authorization).digest('base64url');
}
