import type { Logger } from 'pino';
import type { ListCacheSettings } from '../config/settings';
import type { GatewayMetrics } from '../observability/metrics';
import type { InvitesApi } from '../rest/invitesApi';
import { LocalInvalidationBus, type InvalidationBus } from '../rest/listCache/LocalInvalidationBus';
import { ListCacheStore } from '../rest/listCache/ListCacheStore';
import { ListCachingInvitesApi } from '../rest/listCache/ListCachingInvitesApi';
import { RedisInvalidationBus } from './listCacheInvalidation';

/** The REST client the loaders use, and what to release on shutdown. */
export interface ListCacheWiring {
  readonly api: InvitesApi;
  readonly close: () => Promise<void>;
}

export interface ListCacheDependencies {
  readonly settings: ListCacheSettings;
  /** With it, replicas clear each other's lists through Redis pub/sub; without, the cache is this process's alone. */
  readonly redisUrl: string | undefined;
  readonly redisCommandTimeoutMs: number;
  readonly logger: Logger;
  readonly metrics?: GatewayMetrics;
  /** Heartbeat of the Redis invalidations, for tests; see `RedisInvalidationBus`. */
  readonly heartbeatMs?: number;
}

/** Puts the list cache in front of `api` when LIST_CACHE_TTL_MS is set; `api` itself otherwise. */
export function withListCache(
  api: InvitesApi,
  { settings, redisUrl, redisCommandTimeoutMs, logger, metrics, heartbeatMs }: ListCacheDependencies,
): ListCacheWiring {
  if (settings.ttlMs === 0) return { api, close: async () => undefined };
  const bus: InvalidationBus = redisUrl
    ? new RedisInvalidationBus({ url: redisUrl, logger, commandTimeoutMs: redisCommandTimeoutMs, heartbeatMs })
    : new LocalInvalidationBus();
  const store = new ListCacheStore({ ttlMs: settings.ttlMs, maxBytes: settings.maxBytes });
  const cached = new ListCachingInvitesApi(api, store, bus, {
    onRead: (outcome) => metrics?.listCacheReads.inc({ outcome }),
    onInvalidation: (source) => metrics?.listCacheInvalidations.inc({ source }),
  });
  return { api: cached, close: () => bus.close() };
}
