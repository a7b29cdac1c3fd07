import { OBJECT_ID_PATTERN } from '../../src/contract/types';
import {
  DEMO_EMPTY_ORG_ID,
  DEMO_INSTANCE_ID,
  DEMO_ORG_ID,
  DEMO_SECOND_ORG_ID,
  DEMO_TOKEN_SCOPES,
  DEMO_TOKENS,
  INVITE_TTL_MS,
  SeedOrg,
  demoSeed,
} from '../../src/simulator/demoData';
import { demoBanner } from '../../src/simulator/demoBanner';
import { DuplicateInviteError, InviteStore } from '../../src/simulator/InviteStore';
import { isAllowed } from '../../src/rest/actionScopes';
import { DAY_MS, demoId, emails } from './helpers';

const NOW = new Date('2024-03-15T12:00:00.000Z');
const OTHER_INSTANCE = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const OTHER_ORG = 'bbbbbbbbbbbbbbbbbbbbbbbb';

function seedWith(inviteDate: string, ttl: number, hasExpired: boolean): SeedOrg[] {
  return [
    {
      instanceId: DEMO_INSTANCE_ID,
      orgId: DEMO_ORG_ID,
      invites: [{ id: demoId(1), email: 'Seeded@Example.com', role: 'view', inviteDate, ttl, hasExpired }],
    },
  ];
}

describe('InviteStore: lookups', () => {
  const store = new InviteStore(
    [...demoSeed(NOW), { instanceId: OTHER_INSTANCE.toUpperCase(), orgId: OTHER_ORG.toUpperCase(), invites: [] }],
    () => NOW,
  );

  test('knows the seeded instances, case-insensitively', () => {
    expect(store.hasInstance(DEMO_INSTANCE_ID)).toBe(true);
    expect(store.hasInstance(DEMO_INSTANCE_ID.toUpperCase())).toBe(true);
    expect(store.hasInstance(OTHER_INSTANCE)).toBe(true);
    expect(store.hasInstance('ffffffffffffffffffffffff')).toBe(false);
  });

  test('answers the invites of a known org, case-insensitively, and undefined otherwise', () => {
    expect(store.invites(DEMO_INSTANCE_ID, DEMO_ORG_ID)).toHaveLength(7);
    expect(store.invites(DEMO_INSTANCE_ID.toUpperCase(), DEMO_ORG_ID.toUpperCase())).toHaveLength(7);
    expect(store.invites(DEMO_INSTANCE_ID, DEMO_SECOND_ORG_ID)).toHaveLength(3);
    expect(store.invites(DEMO_INSTANCE_ID, DEMO_EMPTY_ORG_ID)).toEqual([]);
    expect(store.invites(OTHER_INSTANCE, OTHER_ORG)).toEqual([]);
    expect(store.invites(DEMO_INSTANCE_ID, OTHER_ORG)).toBeUndefined();
    // An org belongs to its instance only.
    expect(store.invites(OTHER_INSTANCE, DEMO_ORG_ID)).toBeUndefined();
  });

  test('answers invites in seed order', () => {
    expect(store.invites(DEMO_INSTANCE_ID, DEMO_ORG_ID)!.map((i) => i.id)).toEqual([1, 2, 3, 4, 5, 6, 7].map(demoId));
  });
});

describe('InviteStore: hasExpired', () => {
  test('is computed from inviteDate + ttl against the clock, ignoring the seed flag', () => {
    let clock = NOW;
    const inviteDate = new Date(NOW.getTime() - DAY_MS).toISOString();
    const store = new InviteStore(seedWith(inviteDate, 2 * DAY_MS, true), () => clock);
    const expired = (): boolean => store.invites(DEMO_INSTANCE_ID, DEMO_ORG_ID)![0].hasExpired;
    expect(expired()).toBe(false);
    clock = new Date(NOW.getTime() + DAY_MS - 1);
    expect(expired()).toBe(false);
    // Expired at exactly inviteDate + ttl.
    clock = new Date(NOW.getTime() + DAY_MS);
    expect(expired()).toBe(true);
    clock = new Date(NOW.getTime() - 1000 * DAY_MS);
    expect(expired()).toBe(false);
  });

  test('a stale seed flag of false does not hide an expired invite', () => {
    const store = new InviteStore(seedWith(new Date(NOW.getTime() - 3 * DAY_MS).toISOString(), DAY_MS, false), () => NOW);
    expect(store.invites(DEMO_INSTANCE_ID, DEMO_ORG_ID)![0].hasExpired).toBe(true);
  });
});

describe('InviteStore: add', () => {
  test('returns the stored invite with a fresh id, the clock date, the default ttl and defaults', () => {
    const store = new InviteStore(demoSeed(NOW), () => NOW);
    const added = store.add(DEMO_INSTANCE_ID, DEMO_ORG_ID, { email: 'New@Example.com', role: 'view' });
    expect(added).toEqual({
      id: expect.stringMatching(OBJECT_ID_PATTERN),
      email: 'New@Example.com',
      role: 'view',
      applicationRoles: [],
      dashboardRoles: [],
      inviteDate: NOW.toISOString(),
      ttl: INVITE_TTL_MS,
      hasExpired: false,
      disallowTransfer: false,
    });
    const held = store.invites(DEMO_INSTANCE_ID, DEMO_ORG_ID)!;
    expect(held).toHaveLength(8);
    expect(held[7]).toEqual(added);
  });

  test('keeps the optional fields it is given', () => {
    const store = new InviteStore(demoSeed(NOW), () => NOW);
    const grants = [{ resourceId: demoId(40), role: 'collaborate' as const }];
    const added = store.add(DEMO_INSTANCE_ID, DEMO_EMPTY_ORG_ID, {
      email: 'x@example.com',
      role: 'admin',
      applicationRoles: grants,
      dashboardRoles: [{ resourceId: demoId(41), role: 'none' }],
      disallowTransfer: true,
    });
    expect(added).toMatchObject({
      applicationRoles: grants,
      dashboardRoles: [{ resourceId: demoId(41), role: 'none' }],
      disallowTransfer: true,
    });
    expect(store.invites(DEMO_INSTANCE_ID, DEMO_EMPTY_ORG_ID)).toEqual([added]);
  });

  test('gives every invite a distinct id', () => {
    const store = new InviteStore([{ instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID, invites: [] }], () => NOW);
    const added = Array.from(
      { length: 50 },
      (_, n) => store.add(DEMO_INSTANCE_ID, DEMO_ORG_ID, { email: `u${n}@example.com`, role: 'view' }).id,
    );
    expect(new Set(added).size).toBe(50);
  });

  test('throws a plain Error, not a duplicate error, for an unknown org', () => {
    const store = new InviteStore(demoSeed(NOW), () => NOW);
    const add = (): unknown => store.add(DEMO_INSTANCE_ID, OTHER_ORG, { email: 'x@example.com', role: 'view' });
    expect(add).toThrow('unknown organization');
    expect(add).not.toThrow(DuplicateInviteError);
  });

  test.each(['ada@example.com', 'ADA@EXAMPLE.COM', 'Ada@Example.Com'])('refuses a second pending invite for %s', (email) => {
    const store = new InviteStore(demoSeed(NOW), () => NOW);
    expect(() => store.add(DEMO_INSTANCE_ID, DEMO_ORG_ID, { email, role: 'edit' })).toThrow(DuplicateInviteError);
    expect(store.invites(DEMO_INSTANCE_ID, DEMO_ORG_ID)).toHaveLength(7);
  });

  test('a seeded invite with an upper-case email blocks its lower-case form', () => {
    const store = new InviteStore(seedWith(NOW.toISOString(), DAY_MS, false), () => NOW);
    expect(() => store.add(DEMO_INSTANCE_ID, DEMO_ORG_ID, { email: 'seeded@example.com', role: 'view' })).toThrow(DuplicateInviteError);
  });

  test('an expired invite for the same email does not block, and the new one does', () => {
    const store = new InviteStore(demoSeed(NOW), () => NOW);
    // barbara@example.com was seeded 10 days ago.
    const added = store.add(DEMO_INSTANCE_ID, DEMO_ORG_ID, { email: 'barbara@example.com', role: 'view' });
    expect(added.hasExpired).toBe(false);
    expect(() => store.add(DEMO_INSTANCE_ID, DEMO_ORG_ID, { email: 'Barbara@example.com', role: 'view' })).toThrow(DuplicateInviteError);
  });

  test('an added invite expires with the clock and then stops blocking', () => {
    let clock = NOW;
    const store = new InviteStore([{ instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID, invites: [] }], () => clock);
    store.add(DEMO_INSTANCE_ID, DEMO_ORG_ID, { email: 'x@example.com', role: 'view' });
    clock = new Date(NOW.getTime() + INVITE_TTL_MS - 1);
    expect(() => store.add(DEMO_INSTANCE_ID, DEMO_ORG_ID, { email: 'x@example.com', role: 'view' })).toThrow(DuplicateInviteError);
    clock = new Date(NOW.getTime() + INVITE_TTL_MS);
    const again = store.add(DEMO_INSTANCE_ID, DEMO_ORG_ID, { email: 'x@example.com', role: 'view' });
    expect(again.inviteDate).toBe(clock.toISOString());
    expect(store.invites(DEMO_INSTANCE_ID, DEMO_ORG_ID)!.map((i) => i.hasExpired)).toEqual([true, false]);
  });

  test('the same email may be pending in two orgs', () => {
    const store = new InviteStore(demoSeed(NOW), () => NOW);
    expect(store.add(DEMO_INSTANCE_ID, DEMO_SECOND_ORG_ID, { email: 'ada@example.com', role: 'view' }).email).toBe('ada@example.com');
  });

  test('does not change the seed it was built from, nor another store built from it', () => {
    const seed = demoSeed(NOW);
    const first = new InviteStore(seed, () => NOW);
    const second = new InviteStore(seed, () => NOW);
    first.add(DEMO_INSTANCE_ID, DEMO_ORG_ID, { email: 'only-first@example.com', role: 'view' });
    expect(seed[0].invites).toHaveLength(7);
    expect(emails(second.invites(DEMO_INSTANCE_ID, DEMO_ORG_ID)!)).not.toContain('only-first@example.com');
  });
});

describe('demo data', () => {
  test('the demo seed has 7, 3 and 0 invites with contract-shaped ids, relative to now', () => {
    const [main, second, empty] = demoSeed(NOW);
    expect([main.orgId, second.orgId, empty.orgId]).toEqual([DEMO_ORG_ID, DEMO_SECOND_ORG_ID, DEMO_EMPTY_ORG_ID]);
    expect([main.invites.length, second.invites.length, empty.invites.length]).toEqual([7, 3, 0]);
    for (const invite of [...main.invites, ...second.invites]) {
      expect(invite.id).toMatch(OBJECT_ID_PATTERN);
      expect(Date.parse(invite.inviteDate)).toBeLessThan(NOW.getTime());
      expect(invite.ttl).toBe(INVITE_TTL_MS);
    }
    expect(new Set([...main.invites, ...second.invites].map((i) => i.id)).size).toBe(10);
    for (const id of [DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_SECOND_ORG_ID, DEMO_EMPTY_ORG_ID]) expect(id).toMatch(OBJECT_ID_PATTERN);
  });

  test('the seed flag agrees with the computed hasExpired', () => {
    const seed = demoSeed(NOW);
    const store = new InviteStore(seed, () => NOW);
    for (const org of seed) {
      expect(store.invites(org.instanceId, org.orgId)!.map((i) => i.hasExpired)).toEqual(org.invites.map((i) => i.hasExpired));
    }
  });

  test('the banner shows the demo ids, tokens and the seeded invite counts', () => {
    const banner = demoBanner('http://127.0.0.1:4000/graphql', 'http://127.0.0.1:4100', true);
    for (const value of [DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_SECOND_ORG_ID, ...Object.values(DEMO_TOKENS), 'http://127.0.0.1:4100'])
      expect(banner).toContain(value);
    const [main, second] = demoSeed(NOW);
    expect(banner).toContain(`${DEMO_ORG_ID} (${main.invites.length} invites)`);
    expect(banner).toContain(`${DEMO_SECOND_ORG_ID} (${second.invites.length} invites)`);
    expect(banner).toContain(`curl -s http://127.0.0.1:4000/graphql`);
    expect(banner).toContain('Playground         http://127.0.0.1:4000/');
    expect(demoBanner('http://127.0.0.1:4000/graphql', 'http://127.0.0.1:4100', false)).not.toContain('Playground');
  });

  test('each demo token has the scopes its name promises', () => {
    const scopes = (token: string): readonly string[] => DEMO_TOKEN_SCOPES[token];
    expect([
      isAllowed(scopes(DEMO_TOKENS.admin), 'instanceOrgInvites.get'),
      isAllowed(scopes(DEMO_TOKENS.admin), 'instanceOrgInvites.post'),
    ]).toEqual([true, true]);
    expect([
      isAllowed(scopes(DEMO_TOKENS.readOnly), 'instanceOrgInvites.get'),
      isAllowed(scopes(DEMO_TOKENS.readOnly), 'instanceOrgInvites.post'),
    ]).toEqual([true, false]);
    expect([
      isAllowed(scopes(DEMO_TOKENS.noInvites), 'instanceOrgInvites.get'),
      isAllowed(scopes(DEMO_TOKENS.noInvites), 'instanceOrgInvites.post'),
    ]).toEqual([false, false]);
  });
});
