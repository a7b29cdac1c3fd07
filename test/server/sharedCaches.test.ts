import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import { DocumentNode, parse } from 'graphql';
import pino from 'pino';
import type { CacheLimits } from '../../src/config/settings';
import { createSharedCaches, TieredDocumentStore } from '../../src/server/sharedCaches';

/** The in-process caches (no REDIS_URL): each capped by the bytes it holds, not by its entry count. */

const KiB = 1024;
const MiB = 1024 * KiB;
const limits: CacheLimits = {
  documentMaxBytes: 1 * MiB,
  apqMaxBytes: 1 * MiB,
  compiledMaxBytes: 1 * MiB,
  maxEntryBytes: 1 * MiB,
  redisTtlSeconds: 60,
  redisCommandTimeoutMs: 250,
};
const silent = pino({ level: 'silent' });

/** A valid document of about `size` characters, almost all of it a comment. */
const commented = (index: number, size: number): DocumentNode => parse(`# ${index} ${'x'.repeat(size)}\n{ __typename }`);

async function keptOf<V>(cache: { get(key: string): Promise<V | undefined> }, count: number): Promise<number[]> {
  const kept: number[] = [];
  for (let index = 0; index < count; index++) if ((await cache.get(`k${index}`)) !== undefined) kept.push(index);
  return kept;
}

test('the document cache keeps documents up to its byte budget, source text included, dropping the least recently used', async () => {
  const { documentStore } = createSharedCaches(undefined, limits, silent, { fingerprint: 'test', maxTokens: 1_000 });
  for (let index = 0; index < 50; index++) await documentStore.set(`k${index}`, commented(index, 100 * KiB));
  const kept = await keptOf(documentStore, 50);
  // A 100 KB text counts as up to 200 KB of heap, so 1 MiB holds four or five; Apollo's default
  // counted each as a few hundred bytes and kept all fifty.
  expect(kept.length).toBeGreaterThanOrEqual(3);
  expect(kept.length).toBeLessThanOrEqual(5);
  expect(kept.every((index) => index >= 45)).toBe(true);
});

test('a document of many short tokens is counted by its tokens: 16 KB of `...F` (3 MB of heap) does not fit in 1 MiB', async () => {
  const { documentStore } = createSharedCaches(undefined, limits, silent, { fingerprint: 'test', maxTokens: 1_000 });
  const dense = parse(`{ ${'...F '.repeat(3_200)} } fragment F on Query { __typename }`);
  expect(dense.loc?.source.body.length).toBeLessThan(17 * KiB);
  await documentStore.set('dense', dense);
  expect(await documentStore.get('dense')).toBeUndefined();
  await documentStore.set('small', commented(0, 10));
  expect(await documentStore.get('small')).toBeDefined();
});

test('an entry cap above the budget does not let entries larger than the cache disturb its count', async () => {
  // lru-cache would admit each 3 MB entry, evict everything, and then count 3 MB too little.
  const { documentStore } = createSharedCaches(undefined, { ...limits, maxEntryBytes: 64 * MiB }, silent, {
    fingerprint: 'test',
    maxTokens: 1_000,
  });
  for (let index = 0; index < 5; index++)
    await documentStore.set(`dense${index}`, parse(`{ ${'...F '.repeat(6_000)} } fragment F on Query { __typename }`));
  for (let index = 0; index < 50; index++) await documentStore.set(`k${index}`, commented(index, 100 * KiB));
  expect((await keptOf(documentStore, 50)).length).toBeLessThanOrEqual(5);
});

test('entries larger than CACHE_MAX_ENTRY_BYTES are not kept, in either cache', async () => {
  const { documentStore, cache } = createSharedCaches(undefined, { ...limits, maxEntryBytes: 128 * KiB }, silent, {
    fingerprint: 'test',
    maxTokens: 1_000,
  });
  await documentStore.set('big', commented(0, 70 * KiB));
  await documentStore.set('fits', commented(1, 50 * KiB));
  expect(await documentStore.get('big')).toBeUndefined();
  expect(await documentStore.get('fits')).toBeDefined();
  await cache.set('big', 'x'.repeat(70 * KiB));
  await cache.set('fits', 'x'.repeat(50 * KiB));
  expect(await cache.get('big')).toBeUndefined();
  expect(await cache.get('fits')).toBeDefined();
});

test('the APQ cache keeps query text up to its byte budget', async () => {
  const { cache } = createSharedCaches(undefined, { ...limits, apqMaxBytes: 256 * KiB }, silent, { fingerprint: 'test', maxTokens: 1_000 });
  for (let index = 0; index < 20; index++) await cache.set(`k${index}`, `# ${index} ${'x'.repeat(30 * KiB)}\n{ __typename }`);
  const kept = await keptOf(cache, 20);
  // Two bytes a character (see textBytes): four 30 KB texts in 256 KiB.
  expect(kept.length).toBeGreaterThanOrEqual(3);
  expect(kept.length).toBeLessThanOrEqual(4);
  expect(kept.every((index) => index >= 16)).toBe(true);
});

describe('a document read back from the shared store', () => {
  const key = 'schema:hash';
  /** A shared store holding `text` under `key`, as Redis would after another replica (or anyone with access to Redis) wrote it. */
  const sharedHolding = (text: string): KeyValueCache<string> => {
    const shared = new InMemoryLRUCache<string>();
    void shared.set(key, text);
    return shared;
  };
  const storeOver = (shared: KeyValueCache<string>): TieredDocumentStore =>
    new TieredDocumentStore(new InMemoryLRUCache<DocumentNode>(), shared, 1 * MiB, 1_000);

  /** A document of exactly `count` tokens: the two braces and `count - 2` fields (graphql counts every token but the end). */
  const ofTokens = (count: number): string => `{ ${Array.from({ length: count - 2 }, () => '__typename').join(' ')} }`;

  test('is parsed under the token cap (1,000 here): one past it reads as a miss, not as a document', async () => {
    expect(await storeOver(sharedHolding(ofTokens(1_001))).get(key)).toBeUndefined();
    expect(await storeOver(sharedHolding(ofTokens(1_000))).get(key)).toBeDefined();
  });

  test('within the cap is parsed with its source, and kept in process', async () => {
    const local = new InMemoryLRUCache<DocumentNode>();
    const store = new TieredDocumentStore(local, sharedHolding('{ __typename }'), 1 * MiB, 1_000);
    expect((await store.get(key))?.loc?.source.body).toBe('{ __typename }');
    expect(await local.get(key)).toBeDefined();
  });

  test('that does not parse reads as a miss', async () => {
    expect(await storeOver(sharedHolding('{ unclosed')).get(key)).toBeUndefined();
  });
});
