import { KeyvAdapter } from '@apollo/utils.keyvadapter';
import { InMemoryLRUCache, KeyValueCache, KeyValueCacheSetOptions, PrefixingKeyValueCache } from '@apollo/utils.keyvaluecache';
import { DocumentNode, parse, print } from 'graphql';
import type * as KeyvRedisModule from '@keyv/redis';
import type * as KeyvModule from 'keyv';
import type { Logger } from 'pino';
import type { CacheLimits } from '../config/settings';
import { documentBytes, ENTRY_OVERHEAD_BYTES, textBytes } from '../graphql/documentBytes';
import { HealthCheckedCache } from './HealthCheckedCache';
import { RedisHealth, type RedisFailure, type RedisHealthReport, type RedisState } from './RedisHealth';

/** How long one attempt to connect to Redis may take. */
const CONNECT_TIMEOUT_MS = 5000;

/** What Apollo Server takes for APQ (`cache`) and for parsed, validated documents (`documentStore`). */
export interface SharedCaches {
  readonly cache: KeyValueCache<string>;
  readonly documentStore: KeyValueCache<DocumentNode>;
  /** Closes the Redis connection, if any. */
  readonly close: () => Promise<void>;
  /** Redis's health, for `/readyz`; absent without `REDIS_URL`. */
  readonly redisHealth?: () => RedisHealthReport;
  /** The one Redis connection and its health, for other state the replicas share (the rate limit); absent without `REDIS_URL`. */
  readonly redis?: SharedRedis;
}

/** The caches' Redis client, and the `RedisHealth` that bounds and gates its every command. */
export interface SharedRedis {
  /** The node-redis client; typed no further, as rate-limiter-flexible's `storeClient` takes any client. */
  readonly client: object;
  readonly health: RedisHealth;
}

/** This replica's validation rules, as far as a document shared through Redis must honour them. */
export interface SharedDocumentRules {
  /** `validationFingerprint` of this replica's settings: part of every shared document's key. */
  readonly fingerprint: string;
  /** The parser's token cap, applied again to a document read back from Redis. */
  readonly maxTokens: number;
}

/** Who is told how Redis fares (metrics). */
export interface RedisObserver {
  readonly onStateChange?: (state: RedisState) => void;
  readonly onFailure?: (reason: RedisFailure) => void;
}

/**
 * The in-process document cache, capped by the estimated heap of the documents it holds (Apollo's
 * default sizes them by their JSON, which leaves out the source text, so its cap never applied).
 */
function localDocumentCache(limits: CacheLimits): InMemoryLRUCache<DocumentNode> {
  return new InMemoryLRUCache<DocumentNode>({
    maxSize: limits.documentMaxBytes,
    maxEntrySize: maxEntrySize(limits.maxEntryBytes, limits.documentMaxBytes),
    sizeCalculation: (document, key) => documentBytes(document) + key.length + ENTRY_OVERHEAD_BYTES,
  });
}

/** The in-process APQ cache: query text, capped by the heap it takes. */
function localApqCache(limits: CacheLimits): InMemoryLRUCache<string> {
  return new InMemoryLRUCache<string>({
    maxSize: limits.apqMaxBytes,
    maxEntrySize: maxEntrySize(limits.maxEntryBytes, limits.apqMaxBytes),
    sizeCalculation: (text, key) => textBytes(text) + key.length + ENTRY_OVERHEAD_BYTES,
  });
}

/**
 * lru-cache 11 admits an entry larger than `maxSize` when `maxEntrySize` allows it, evicts
 * everything, and leaves its running total short by the difference: the cache then holds more
 * than `maxSize`, and each such entry widens the gap. No entry may be larger than the cache.
 */
function maxEntrySize(maxEntryBytes: number, maxBytes: number): number {
  return Math.min(maxEntryBytes, maxBytes);
}

/** Keeps values larger than `maxEntryBytes` out of Redis, as the in-process caches keep them out of memory. */
class EntrySizeCappedCache implements KeyValueCache<string> {
  constructor(
    private readonly inner: KeyValueCache<string>,
    private readonly maxEntryBytes: number,
  ) {}

  get(key: string): Promise<string | undefined> {
    return this.inner.get(key);
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    if (textBytes(value) <= this.maxEntryBytes) await this.inner.set(key, value, options);
  }

  delete(key: string): Promise<boolean | void> {
    return this.inner.delete(key);
  }
}

/**
 * Reads the in-process LRU first and Redis behind it: Redis makes documents validated on one
 * replica known to all, the LRU keeps the hot path free of a network round trip. Redis holds the
 * document's source text, parsed again on the way back, so error locations still point into the
 * client's own text (a JSON copy of the AST would lose its source). Apollo does not validate a
 * document it finds here, so `shared` must only hold documents validated under this replica's
 * rules (its keys carry their fingerprint), and the text read back is parsed under this
 * replica's token cap: what Redis holds is not trusted to be small.
 */
export class TieredDocumentStore implements KeyValueCache<DocumentNode> {
  constructor(
    private readonly local: KeyValueCache<DocumentNode>,
    private readonly shared: KeyValueCache<string>,
    private readonly maxEntryBytes: number,
    private readonly maxTokens: number,
  ) {}

  async get(key: string): Promise<DocumentNode | undefined> {
    const hit = await this.local.get(key);
    if (hit) return hit;
    const text = await this.shared.get(key);
    if (text === undefined) return undefined;
    let document: DocumentNode;
    try {
      document = parse(text, { maxTokens: this.maxTokens });
    } catch {
      // A miss: Apollo parses and validates the request's own text, and reports its errors.
      return undefined;
    }
    await this.local.set(key, document);
    return document;
  }

  async set(key: string, value: DocumentNode): Promise<void> {
    // Too large to keep in memory is too large to share: every replica would parse it back.
    if (documentBytes(value) > this.maxEntryBytes) return;
    await Promise.all([this.local.set(key, value), this.shared.set(key, value.loc?.source.body ?? print(value))]);
  }

  async delete(key: string): Promise<boolean> {
    await Promise.all([this.local.delete(key), this.shared.delete(key)]);
    return true;
  }
}

/**
 * With `REDIS_URL`, the automatic-persisted-query cache and the document cache live in Redis
 * (through Apollo's Keyv adapter), so a hash registered with one replica is served by the others;
 * every entry there expires after `limits.redisTtlSeconds`, Apollo's own `{ ttl }` (which it sends
 * only when `persistedQueries.ttl` is configured) aside. Without it, both live in process. Either
 * way the memory they take is capped by `limits`, not by how many distinct documents clients send.
 * A Redis outage or hang turns into cache misses within REDIS_COMMAND_TIMEOUT_MS (and one warning),
 * never into failed or held requests: clients then resend full documents, as APQ intends. A shared
 * document is keyed by this replica's validation rules too (`rules`): Apollo does not validate a
 * document it finds in the store, so replicas with other rules must not hand theirs over.
 */
export function createSharedCaches(
  redisUrl: string | undefined,
  limits: CacheLimits,
  logger: Logger,
  rules: SharedDocumentRules,
  observer: RedisObserver = {},
): SharedCaches {
  if (!redisUrl) return { cache: localApqCache(limits), documentStore: localDocumentCache(limits), close: async () => undefined };
  // Loaded only when asked for: the Redis client and its dependencies hold about 9 MB of memory.
  // `require` rather than `import()`, which would resolve keyv's ESM typings instead of the CommonJS ones.
  const { default: KeyvRedis, createClient } = require('@keyv/redis') as typeof KeyvRedisModule;
  const { default: Keyv } = require('keyv') as typeof KeyvModule;
  // Commands fail at once while Redis is away (no offline queue) instead of holding requests, and
  // the client keeps reconnecting in the background so the shared cache comes back by itself. No
  // request waits for a connection (until one is up, the caches read as misses), so connecting may
  // take its time: a start-up that keeps the event loop busy must not read as a Redis that is down.
  const client = createClient({
    url: redisUrl,
    disableOfflineQueue: true,
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5000) },
  });
  // The store connects a client it finds closed before each command (`getClient`). Not relied on:
  // the client is connected below and stays open, reconnecting by itself, until `close`; these
  // options only bound that path should a command ever find the client closed.
  const store = new KeyvRedis(client, {
    namespace: 'invites-gateway',
    throwOnConnectError: false,
    throwOnErrors: true,
    connectionTimeout: 1000,
  });
  const health = new RedisHealth({
    logger,
    commandTimeoutMs: limits.redisCommandTimeoutMs,
    // Straight to the client: it stays open from `connect` below (a Redis down at start included),
    // so the store's `getClient` would add only its connect path, and the timer that path leaves.
    ping: () => client.ping(),
    connected: () => client.isReady,
    onStateChange: observer.onStateChange,
    onFailure: observer.onFailure,
  });
  // A dropped connection degrades Redis at once; reconnect attempts add to its failures, logged once.
  client.on('error', (error: Error) => health.failed('error', error.message));
  // Keyv's default TTL (milliseconds) applies to every set that names none. Errors are thrown, not
  // swallowed, so `RedisHealth` sees them.
  const keyv = new Keyv(store, {
    namespace: 'invites-gateway',
    useKeyPrefix: false,
    ttl: limits.redisTtlSeconds * 1000,
    throwOnErrors: true,
  });
  keyv.on('error', () => undefined); // thrown to RedisHealth as well, which reports them
  // Connected from the start, so that no request pays for the connection (or has it counted as a
  // timeout); requests before then read as misses. Through the client itself, not the store: the
  // store races its connection against a timer it never clears, which would hold a shutdown.
  // A failure to connect reaches `health` through the client's 'error' event.
  client.connect().catch(() => undefined);
  const cache = new EntrySizeCappedCache(new HealthCheckedCache(new KeyvAdapter(keyv), health), limits.maxEntryBytes);
  const documents = new HealthCheckedCache(new PrefixingKeyValueCache(new KeyvAdapter(keyv), `document:${rules.fingerprint}:`), health);
  return {
    cache,
    documentStore: new TieredDocumentStore(
      localDocumentCache(limits),
      documents,
      maxEntrySize(limits.maxEntryBytes, limits.documentMaxBytes),
      rules.maxTokens,
    ),
    redisHealth: () => health.report(),
    redis: { client, health },
    close: async () => {
      health.stop();
      if (client.isOpen) await client.close().catch(() => client.destroy());
    },
  };
}
