import type { ListInvitesQuery, OrgInviteCollectionDto } from '../../../src/contract/types';
import type { CallerCredentials, InvitesApi, OrgRef } from '../../../src/rest/invitesApi';
import type { InvalidationBus, InvalidationListener } from '../../../src/rest/listCache/LocalInvalidationBus';
import { listCacheKey } from '../../../src/rest/listCache/listCacheKeys';
import { ListCacheStore } from '../../../src/rest/listCache/ListCacheStore';
import { ListCachingInvitesApi } from '../../../src/rest/listCache/ListCachingInvitesApi';
import { upstreamCollection, upstreamInvite } from '../../support/faultUpstream';

const ORG: OrgRef = { instanceId: '5f1e0a9b2c3d4e5f60718293', orgId: '5f1e0a9b2c3d4e5f60718294' };
const OTHER_ORG: OrgRef = { instanceId: '5f1e0a9b2c3d4e5f60718293', orgId: '5f1e0a9b2c3d4e5f60718295' };
const QUERY: ListInvitesQuery = { sortField: 'email', sortDirection: 'asc' };
const ALICE: CallerCredentials = { authorization: 'Bearer alice-token-123' };
const BOB: CallerCredentials = { authorization: 'Bearer bob-token-456' };

interface Pending {
  readonly resolve: (list: OrgInviteCollectionDto) => void;
  readonly reject: (error: Error) => void;
}

/** An upstream whose answers the test hands out one by one, counting the calls. */
class ScriptedUpstream implements Partial<InvitesApi> {
  readonly reads: Pending[] = [];
  readonly writes: Pending[] = [];

  listInvites(): Promise<OrgInviteCollectionDto> {
    return new Promise((resolve, reject) => this.reads.push({ resolve, reject }));
  }

  inviteMember(): Promise<OrgInviteCollectionDto> {
    return new Promise((resolve, reject) => this.writes.push({ resolve, reject }));
  }

  revokeInvite(): Promise<{ success: true }> {
    return new Promise((resolve, reject) => this.writes.push({ resolve: () => resolve({ success: true }), reject }));
  }
}

class FakeBus implements InvalidationBus {
  hearing = true;
  listener: InvalidationListener | undefined;
  readonly published: string[] = [];
  async publish(org: string): Promise<void> {
    this.published.push(org);
  }
  listen(listener: InvalidationListener): void {
    this.listener = listener;
  }
  async close(): Promise<void> {}
}

function setUp(maxBytes = 1024 * 1024) {
  const upstream = new ScriptedUpstream();
  const bus = new FakeBus();
  const store = new ListCacheStore({ ttlMs: 60_000, maxBytes });
  const api = new ListCachingInvitesApi(upstream as unknown as InvitesApi, store, bus);
  return { upstream, bus, store, api };
}

const LIST_A = upstreamCollection([upstreamInvite('a@example.com', 1)]);
const LIST_B = upstreamCollection([upstreamInvite('a@example.com', 1), upstreamInvite('b@example.com', 2)]);

/** Lets the decorator's awaits run (no timer: promise callbacks only). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ListCachingInvitesApi', () => {
  test('a second read of the same list by the same caller is served without an upstream call', async () => {
    const { upstream, api } = setUp();
    const first = api.listInvites(ORG, QUERY, ALICE);
    upstream.reads[0].resolve(LIST_A);
    await expect(first).resolves.toBe(LIST_A);
    await expect(api.listInvites(ORG, QUERY, ALICE)).resolves.toBe(LIST_A);
    expect(upstream.reads).toHaveLength(1);
  });

  test('another token never reads the first one’s answer, nor another sort', async () => {
    const { upstream, api } = setUp();
    const alice = api.listInvites(ORG, QUERY, ALICE);
    upstream.reads[0].resolve(LIST_A);
    await alice;
    const bob = api.listInvites(ORG, QUERY, BOB);
    await settle();
    expect(upstream.reads).toHaveLength(2);
    upstream.reads[1].resolve(LIST_B);
    await expect(bob).resolves.toBe(LIST_B);
    const otherSort = api.listInvites(ORG, { ...QUERY, sortDirection: 'desc' }, ALICE);
    await settle();
    expect(upstream.reads).toHaveLength(3);
    upstream.reads[2].reject(new Error('gone'));
    await expect(otherSort).rejects.toThrow('gone');
    // Each still has its own.
    await expect(api.listInvites(ORG, QUERY, ALICE)).resolves.toBe(LIST_A);
    await expect(api.listInvites(ORG, QUERY, BOB)).resolves.toBe(LIST_B);
  });

  test('a failed read is never cached', async () => {
    const { upstream, api } = setUp();
    const first = api.listInvites(ORG, QUERY, ALICE);
    upstream.reads[0].reject(new Error('upstream said 500'));
    await expect(first).rejects.toThrow('upstream said 500');
    const second = api.listInvites(ORG, QUERY, ALICE);
    await settle();
    expect(upstream.reads).toHaveLength(2);
    upstream.reads[1].resolve(LIST_A);
    await expect(second).resolves.toBe(LIST_A);
  });

  test('a mutation clears its organization’s lists (and tells the other replicas), whether it succeeds or fails', async () => {
    const { upstream, api, bus } = setUp();
    const read = async (answer: OrgInviteCollectionDto, org = ORG) => {
      const pending = api.listInvites(org, QUERY, ALICE);
      await settle();
      upstream.reads.at(-1)!.resolve(answer);
      return pending;
    };
    await read(LIST_A);
    await read(LIST_A, OTHER_ORG);
    const write = api.revokeInvite({ ...ORG, inviteId: 'x' }, ALICE);
    await settle();
    upstream.writes[0].reject(new Error('answer lost: may have succeeded'));
    await expect(write).rejects.toThrow('may have succeeded');
    expect(bus.published).toEqual([`${ORG.instanceId}/${ORG.orgId}`]);
    const reads = upstream.reads.length;
    await expect(read(LIST_B)).resolves.toBe(LIST_B);
    expect(upstream.reads).toHaveLength(reads + 1);
    // The other organization's list stays.
    await expect(api.listInvites(OTHER_ORG, QUERY, ALICE)).resolves.toBe(LIST_A);
    expect(upstream.reads).toHaveLength(reads + 1);
  });

  test('a read that began before a mutation does not store its answer after the mutation cleared the cache', async () => {
    const { upstream, api } = setUp();
    const staleRead = api.listInvites(ORG, QUERY, ALICE);
    await settle();
    const write = api.inviteMember(ORG, { email: 'b@example.com', role: 'view' }, ALICE);
    await settle();
    upstream.writes[0].resolve(LIST_B);
    await write;
    // The upstream answered the read with the list from before the write.
    upstream.reads[0].resolve(LIST_A);
    await expect(staleRead).resolves.toBe(LIST_A);
    const next = api.listInvites(ORG, QUERY, ALICE);
    await settle();
    expect(upstream.reads).toHaveLength(2);
    upstream.reads[1].resolve(LIST_B);
    await expect(next).resolves.toBe(LIST_B);
  });

  test('another replica’s invalidation during a read keeps that read from storing', async () => {
    const { upstream, api, bus } = setUp();
    const read = api.listInvites(ORG, QUERY, ALICE);
    await settle();
    bus.listener!.invalidated(`${ORG.instanceId}/${ORG.orgId}`);
    upstream.reads[0].resolve(LIST_A);
    await read;
    void api.listInvites(ORG, QUERY, ALICE);
    await settle();
    expect(upstream.reads).toHaveLength(2);
  });

  test('while the bus cannot hear, nothing is served nor stored; what was kept is dropped when it hears again', async () => {
    const { upstream, api, bus } = setUp();
    const first = api.listInvites(ORG, QUERY, ALICE);
    upstream.reads[0].resolve(LIST_A);
    await first;
    bus.hearing = false;
    const deaf = api.listInvites(ORG, QUERY, ALICE);
    await settle();
    expect(upstream.reads).toHaveLength(2);
    upstream.reads[1].resolve(LIST_B);
    await expect(deaf).resolves.toBe(LIST_B);
    // Hearing again after a gap: the bus says reset.
    bus.hearing = true;
    bus.listener!.reset();
    const after = api.listInvites(ORG, QUERY, ALICE);
    await settle();
    expect(upstream.reads).toHaveLength(3);
    upstream.reads[2].resolve(LIST_B);
    await expect(after).resolves.toBe(LIST_B);
  });

  test('a read under way when the bus went deaf and came back does not store', async () => {
    const { upstream, api, bus } = setUp();
    const read = api.listInvites(ORG, QUERY, ALICE);
    await settle();
    bus.listener!.reset();
    upstream.reads[0].resolve(LIST_A);
    await read;
    void api.listInvites(ORG, QUERY, ALICE);
    await settle();
    expect(upstream.reads).toHaveLength(2);
  });
});

describe('ListCacheStore', () => {
  test('holds no more than its byte bound: the least recently used lists go', () => {
    const store = new ListCacheStore({ ttlMs: 60_000, maxBytes: 64 * 1024 });
    const list = upstreamCollection(Array.from({ length: 20 }, (_, i) => upstreamInvite(`user${i}@example.com`, i + 1)));
    for (let i = 0; i < 200; i++) {
      const ticket = store.begin('org');
      store.store(ticket, listCacheKey(ORG, { filter: `f${i}`, filterField: 'email' }, ALICE), list);
      store.end();
    }
    expect(store.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(store.size).toBeGreaterThan(0);
    expect(store.size).toBeLessThan(200);
  });

  test('a list larger than the whole bound is not kept', () => {
    const store = new ListCacheStore({ ttlMs: 60_000, maxBytes: 64 * 1024 });
    const huge = upstreamCollection(Array.from({ length: 1000 }, (_, i) => upstreamInvite(`user${i}@example.com`, i + 1)));
    const ticket = store.begin('org');
    expect(store.store(ticket, 'k', huge)).toBe(false);
    store.end();
    expect(store.size).toBe(0);
  });

  test('past its cap of organizations remembered, reads under way lose the right to store', () => {
    const store = new ListCacheStore({ ttlMs: 60_000, maxBytes: 1024 * 1024, maxTrackedOrgs: 2 });
    const ticket = store.begin('org-z');
    store.invalidate('org-1');
    store.invalidate('org-2');
    store.invalidate('org-3');
    expect(store.store(ticket, 'k', LIST_A)).toBe(false);
    store.end();
  });

  test('the key is a hash: it never holds the token', () => {
    const key = listCacheKey(ORG, QUERY, ALICE);
    expect(key).not.toContain('alice');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(listCacheKey(ORG, QUERY, { ...ALICE, losantdomain: 'other' })).not.toBe(key);
  });
});
