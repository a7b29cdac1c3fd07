import { KeyvAdapter } from '@apollo/utils.keyvadapter';
import { ErrorsAreMissesCache, InMemoryLRUCache, KeyValueCache, PrefixingKeyValueCache } from '@apollo/utils.keyvaluecache';
import { createKeyvNonBlocking } from '@keyv/redis';
import { DocumentNode, parse, print } from 'graphql';
import type { Logger } from 'pino';

/** What Apollo Server takes for APQ (`cache`) and for parsed, validated documents (`documentStore`). */
export interface SharedCaches {
  readonly cache?: KeyValueCache<string>;
  readonly documentStore?: KeyValueCache<DocumentNode>;
  /** Closes the Redis connection, if any. */
  readonly close: () => Promise<void>;
}

/**
 * Reads the in-process LRU first and Redis behind it: Redis makes documents validated on one
 * replica known to all, the LRU keeps the hot path free of a network round trip. Redis holds the
 * document's source text, parsed again on the way back, so error locations still point into the
 * client's own text (a JSON copy of the AST would lose its source).
 */
class TieredDocumentStore implements KeyValueCache<DocumentNode> {
  constructor(
    private readonly local: KeyValueCache<DocumentNode>,
    private readonly shared: KeyValueCache<string>,
  ) {}

  async get(key: string): Promise<DocumentNode | undefined> {
    const hit = await this.local.get(key);
    if (hit) return hit;
    const text = await this.shared.get(key);
    if (text === undefined) return undefined;
    const document = parse(text);
    await this.local.set(key, document);
    return document;
  }

  async set(key: string, value: DocumentNode): Promise<void> {
    await Promise.all([this.local.set(key, value), this.shared.set(key, value.loc?.source.body ?? print(value))]);
  }

  async delete(key: string): Promise<boolean> {
    await Promise.all([this.local.delete(key), this.shared.delete(key)]);
    return true;
  }
}

/**
 * With `REDIS_URL`, the automatic-persisted-query cache and the document cache live in Redis
 * (through Apollo's Keyv adapter), so a hash registered with one replica is served by the others.
 * Without it, Apollo's in-process defaults are used. A Redis outage turns into cache misses (and a
 * warning), never into failed requests: clients then resend full documents, as APQ intends.
 */
export function createSharedCaches(redisUrl: string | undefined, logger: Logger): SharedCaches {
  if (!redisUrl) return { close: async () => undefined };
  const apolloLogger = {
    debug: (message: string) => logger.debug(message),
    info: (message: string) => logger.info(message),
    warn: (message: string) => logger.warn({ cache: 'redis' }, message),
    error: (message: string) => logger.error({ cache: 'redis' }, message),
  };
  const keyv = createKeyvNonBlocking(redisUrl, { namespace: 'invites-gateway' });
  keyv.on('error', (error: Error) => logger.warn({ cache: 'redis', err: { message: error.message } }, 'redis cache error'));
  const cache = new ErrorsAreMissesCache(new KeyvAdapter(keyv), apolloLogger);
  const documents = new ErrorsAreMissesCache(new PrefixingKeyValueCache(new KeyvAdapter(keyv), 'document:'), apolloLogger);
  return {
    cache,
    documentStore: new TieredDocumentStore(new InMemoryLRUCache<DocumentNode>(), documents),
    close: async () => {
      await keyv.disconnect();
    },
  };
}
