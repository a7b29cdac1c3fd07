import { LRUCache } from 'lru-cache';
import type * as RateLimiterFlexible from 'rate-limiter-flexible';

/** One key's fixed window: points taken so far, and when the window ends. */
interface FixedWindow {
  consumed: number;
  expiresAt: number;
}

/** What the in-process limiter is made with. */
export interface BoundedMemoryLimiterOptions {
  readonly points: number;
  readonly windowSeconds: number;
  /** Most keys kept; past it the least recently used is forgotten (its caller starts a fresh window). */
  readonly maxKeys: number;
}

/** A rate-limiter-flexible limiter that says how many keys it holds. */
export interface BoundedMemoryLimiter extends RateLimiterFlexible.RateLimiterStoreAbstract {
  /** Keys held now, expired windows not yet replaced included: never more than `maxKeys`. */
  readonly size: number;
}

/**
 * rate-limiter-flexible's own in-memory limiter keeps every key until its window ends, with a timer
 * each: a flood of distinct tokens within one window grows it without bound. This one is the same
 * kind of limiter (a store of the library's, usable wherever its limiters are, as an insurance
 * limiter among them) over an LRU of at most `maxKeys` windows and no timers: an expired window is
 * replaced when its key comes back, or evicted as the least recently used. Forgetting a key only
 * ever lets its caller through sooner, never refuses anyone else.
 *
 * `rate-limiter-flexible` is passed in rather than imported: it is loaded only when the limit is on.
 */
export function createBoundedMemoryLimiter(
  library: typeof RateLimiterFlexible,
  options: BoundedMemoryLimiterOptions,
): BoundedMemoryLimiter {
  const { RateLimiterRes } = library;
  // The base of every store the library ships (Redis, Mongo, ...): its types declare it, its index
  // does not export it. The version is pinned, so the path is too.
  const RateLimiterStoreAbstract =
    require('rate-limiter-flexible/lib/RateLimiterStoreAbstract') as typeof RateLimiterFlexible.RateLimiterStoreAbstract;

  class LruLimiter extends RateLimiterStoreAbstract implements BoundedMemoryLimiter {
    private readonly windows: LRUCache<string, FixedWindow>;

    constructor(windows: LRUCache<string, FixedWindow>) {
      super({ points: options.points, duration: options.windowSeconds, storeClient: windows, keyPrefix: 'memory' });
      this.windows = windows;
    }

    get size(): number {
      return this.windows.size;
    }

    /** The store's step of `consume`, `penalty` and `reward`: adds `points` to the key's window (a new one once it ended) when they fit. */
    _upsert(rlKey: string, points: number, msDuration: number, forceExpire = false): Promise<FixedWindow> {
      const now = Date.now();
      const current = this.windows.get(rlKey);
      const window = !current || forceExpire || current.expiresAt <= now ? { consumed: 0, expiresAt: now + msDuration } : current;
      this.windows.set(rlKey, window);
      // Points that do not fit are not taken (as `TAKE_ONLY_WHAT_FITS` in Redis): the library sees
      // the total they would make and refuses, and the share keeps what it had.
      if (points > 0 && window.consumed + points > options.points)
        return Promise.resolve({ consumed: window.consumed + points, expiresAt: window.expiresAt });
      window.consumed += points;
      // A copy: the library reads the result a microtask later, after other operations (a batch's,
      // run at once) may have added to the window.
      return Promise.resolve({ ...window });
    }

    _get(rlKey: string): Promise<FixedWindow | null> {
      const window = this.windows.get(rlKey);
      return Promise.resolve(window && window.expiresAt > Date.now() ? { ...window } : null);
    }

    _delete(rlKey: string): Promise<boolean> {
      return Promise.resolve(this.windows.delete(rlKey));
    }

    _getRateLimiterRes(_rlKey: string, changedPoints: number, window: FixedWindow): RateLimiterFlexible.RateLimiterRes {
      return new RateLimiterRes(
        Math.max(options.points - window.consumed, 0),
        Math.max(window.expiresAt - Date.now(), 0),
        window.consumed,
        window.consumed === changedPoints,
      );
    }
  }

  return new LruLimiter(new LRUCache<string, FixedWindow>({ max: options.maxKeys }));
}
