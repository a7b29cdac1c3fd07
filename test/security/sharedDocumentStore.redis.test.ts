import { DEMO_TOKENS } from '../../src/simulator/demoData';
import { codesOf, post, ProductionGateway, startProductionGateway, withStallProbe } from '../support/attack';
import { DEMO_ORG, LIST_INVITES } from '../support/operations';
import { RedisServer, startRedis } from '../support/redisServer';

/**
 * Two replicas share one Redis but not their rules: A runs production's defaults, B has
 * introspection on and its limits raised. A document B validated and shared must not reach A's
 * executor unvalidated: A refuses what it refused before B ever ran it.
 */

jest.setTimeout(90_000);

const ADMIN = { authorization: `Bearer ${DEMO_TOKENS.admin}` };
const SCHEMA_QUERY = '{ __schema { queryType { name } } }';
const ALIASES_QUERY = `{ ${Array.from({ length: 2_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;

let redis: RedisServer;
let strict: ProductionGateway | undefined;
let lenient: ProductionGateway | undefined;

beforeAll(async () => {
  redis = await startRedis();
  [strict, lenient] = await Promise.all([
    startProductionGateway({ REDIS_URL: redis.url }),
    startProductionGateway({ REDIS_URL: redis.url, INTROSPECTION: 'true', MAX_ALIASES: '5000', MAX_TOKENS: '20000' }),
  ]);
});
afterAll(async () => {
  await strict?.close();
  await lenient?.close();
  await redis?.stop();
});

/** The Redis keys of shared documents now. */
function documentKeysNow(): string[] {
  return redis.cli('--scan', '--pattern', '*document:*').split('\n').filter(Boolean);
}

/** The Redis keys of shared documents, once Apollo's background write of `expected` of them has landed. */
async function documentKeys(expected: number): Promise<string[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const keys = documentKeysNow();
    if (keys.length >= expected || Date.now() > deadline) return keys;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Reads Redis answered from a key that was there, since it started. */
function keyspaceHits(): number {
  return Number(/^keyspace_hits:(\d+)/m.exec(redis.cli('INFO', 'stats'))?.[1]);
}

test.each([
  ['a __schema query', SCHEMA_QUERY],
  ['a 2,000-alias document', ALIASES_QUERY],
])('%s that a lenient replica shared through Redis is still refused by a strict one', async (_name, query) => {
  if (!strict || !lenient) throw new Error('replicas did not start');
  const before = await post(strict.graphqlUrl, { query }, ADMIN);
  const refusal = codesOf(before.json);
  expect(refusal.length).toBeGreaterThan(0);

  const keysBefore = documentKeysNow().length;
  const shared = await post(lenient.graphqlUrl, { query }, ADMIN);
  expect(codesOf(shared.json)).toEqual([]);
  // B's validated document is in Redis, under the key of B's rules, which A never looks up.
  expect((await documentKeys(keysBefore + 1)).length).toBe(keysBefore + 1);

  const strictUrl = strict.graphqlUrl;
  await withStallProbe(strictUrl, 1_000, async () => {
    const after = await post(strictUrl, { query }, ADMIN);
    const answered = (after.json as { data?: unknown } | undefined)?.data != null;
    expect({ status: after.status, codes: codesOf(after.json), answered, bytes: after.text.length }).toEqual({
      status: before.status,
      codes: refusal,
      answered: false,
      bytes: before.text.length,
    });
    // A healthy read keeps answering beside it.
    const read = await post(strictUrl, { query: LIST_INVITES, variables: DEMO_ORG }, ADMIN);
    expect(read.json).toMatchObject({ data: { orgInvites: { count: 7 } } });
  });
});

test('a document both replicas accept is still shared between them', async () => {
  if (!strict || !lenient) throw new Error('replicas did not start');
  const query = `${LIST_INVITES}\n# shared by equals`;
  const other = await startProductionGateway({ REDIS_URL: redis.url });
  try {
    const keysBefore = documentKeysNow().length;
    expect((await post(strict.graphqlUrl, { query, variables: DEMO_ORG }, ADMIN)).json).toMatchObject({
      data: { orgInvites: { count: 7 } },
    });
    expect((await documentKeys(keysBefore + 1)).length).toBe(keysBefore + 1);
    // Same settings, same key: the second replica, whose own memory is empty, reads it from Redis.
    const hitsBefore = keyspaceHits();
    expect((await post(other.graphqlUrl, { query, variables: DEMO_ORG }, ADMIN)).json).toMatchObject({
      data: { orgInvites: { count: 7 } },
    });
    expect(keyspaceHits()).toBeGreaterThan(hitsBefore);
    expect(documentKeysNow()).toHaveLength(keysBefore + 1);
  } finally {
    await other.close();
  }
});
