import { createHash } from 'node:crypto';
import { SimulatorServer } from '../../src/simulator/SimulatorServer';
import { DEMO_TOKENS } from '../support/stack';
import { DEMO_ORG, LIST_INVITES } from '../support/operations';
import { freePort, GatewayProcess, startGatewayProcess } from '../support/gatewayProcess';
import { RedisServer, startRedis } from '../support/redisServer';

/**
 * Automatic persisted queries across replicas: with REDIS_URL, a hash registered through one
 * gateway process is served by another; without it each process has its own cache.
 */

jest.setTimeout(60_000);

let simulator: SimulatorServer;
let redis: RedisServer;
const processes: GatewayProcess[] = [];

beforeAll(async () => {
  simulator = new SimulatorServer();
  await simulator.listen(0, '127.0.0.1');
  redis = await startRedis();
});
afterAll(async () => {
  for (const gateway of processes) {
    gateway.kill();
    await gateway.exited;
  }
  await redis?.stop();
  await simulator?.close();
});

async function replica(env: Record<string, string> = {}): Promise<GatewayProcess> {
  const gateway = await startGatewayProcess({ LOSANT_API_URL: simulator.url, NODE_ENV: 'production', ...env });
  processes.push(gateway);
  return gateway;
}

const sha256Hash = createHash('sha256').update(LIST_INVITES).digest('hex');
const persisted = { persistedQuery: { version: 1, sha256Hash } };

async function send(
  gateway: GatewayProcess,
  body: Record<string, unknown>,
): Promise<{ data?: unknown; errors?: Array<{ extensions?: { code?: string } }> }> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKENS.admin}` },
    body: JSON.stringify({ variables: DEMO_ORG, ...body }),
  });
  return (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
}

test('a hash registered with one replica is served by another through Redis', async () => {
  const [first, second] = await Promise.all([replica({ REDIS_URL: redis.url }), replica({ REDIS_URL: redis.url })]);
  // Unknown to everyone at first: the client is told to send the document.
  expect((await send(second, { extensions: persisted })).errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  // Registered through the first replica...
  expect(await send(first, { query: LIST_INVITES, extensions: persisted })).toMatchObject({ data: { orgInvites: { count: 7 } } });
  // ...and served by hash alone by the second.
  expect(await send(second, { extensions: persisted })).toMatchObject({ data: { orgInvites: { count: 7 } } });
  // Both caches live in Redis under the gateway's namespace.
  const keys = redis.cli('--scan', '--pattern', 'invites-gateway*');
  expect(keys).toContain(`apq:${sha256Hash}`);
  expect(keys).toMatch(/document:/);
  // ...and expire, by default after a day (Apollo sends no TTL of its own for either).
  for (const key of keys.split('\n')) {
    const ttl = Number(redis.cli('TTL', key));
    expect({ key, ttl, expires: ttl > 0 && ttl <= 24 * 60 * 60 }).toEqual({ key, ttl, expires: true });
  }
});

/** The Redis keys that end with a document's hash (its APQ entry and its document entry), once Apollo's background writes have landed. */
async function keysFor(hash: string, expected: number): Promise<string[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const keys = redis.cli('--scan', '--pattern', `*${hash}`).split('\n').filter(Boolean);
    if (keys.length >= expected || Date.now() > deadline) return keys;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('APQ and document entries expire after REDIS_CACHE_TTL_SECONDS', async () => {
  const gateway = await replica({ REDIS_URL: redis.url, REDIS_CACHE_TTL_SECONDS: '600' });
  const query = `${LIST_INVITES}\n# expires`;
  const hash = createHash('sha256').update(query).digest('hex');
  expect(await send(gateway, { query, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } })).toMatchObject({
    data: { orgInvites: { count: 7 } },
  });
  const keys = await keysFor(hash, 2);
  expect(keys).toHaveLength(2);
  for (const key of keys) {
    const ttl = Number(redis.cli('TTL', key));
    expect({ key, ttl, expires: ttl > 0 && ttl <= 600 }).toEqual({ key, ttl, expires: true });
  }
});

test('documents over CACHE_MAX_ENTRY_BYTES are answered but not written to Redis', async () => {
  const gateway = await replica({ REDIS_URL: redis.url, CACHE_MAX_ENTRY_BYTES: '150000' });
  const small = `${LIST_INVITES}\n# small`;
  const large = `${LIST_INVITES}\n# ${'x'.repeat(100_000)}`;
  const hashOf = (text: string): string => createHash('sha256').update(text).digest('hex');
  for (const query of [large, small]) {
    expect(await send(gateway, { query, extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(query) } } })).toMatchObject({
      data: { orgInvites: { count: 7 } },
    });
  }
  // The small document's entries landing shows the large one's had time to, too.
  expect(await keysFor(hashOf(small), 2)).toHaveLength(2);
  expect(await keysFor(hashOf(large), 0)).toEqual([]);
});

test('without REDIS_URL each replica keeps its own cache', async () => {
  const [first, second] = await Promise.all([replica(), replica()]);
  const otherQuery = `${LIST_INVITES}\n# replica-local`;
  const extensions = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(otherQuery).digest('hex') } };
  expect(await send(first, { query: otherQuery, extensions })).toMatchObject({ data: { orgInvites: { count: 7 } } });
  expect(await send(first, { extensions })).toMatchObject({ data: { orgInvites: { count: 7 } } });
  expect((await send(second, { extensions })).errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
});

test('with Redis down, requests still succeed: the caches read as misses', async () => {
  const closedPort = await freePort();
  const gateway = await replica({ REDIS_URL: `redis://127.0.0.1:${closedPort}` });
  expect(await send(gateway, { query: LIST_INVITES })).toMatchObject({ data: { orgInvites: { count: 7 } } });
  expect(await send(gateway, { query: LIST_INVITES, extensions: persisted })).toMatchObject({ data: { orgInvites: { count: 7 } } });
});
