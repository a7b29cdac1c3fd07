import { SimulatorServer } from '../../src/simulator/SimulatorServer';
import {
  DEMO_EMPTY_ORG_ID,
  DEMO_INSTANCE_ID,
  DEMO_ORG_ID,
  DEMO_SECOND_ORG_ID,
  DEMO_TOKENS,
  INVITE_TTL_MS,
  SeedOrg,
} from '../../src/simulator/demoData';
import { DAY_MS, demoId, emails, expectCollection, expectError, expectSorted, ids, list } from './helpers';

const NOW = new Date('2024-03-15T12:00:00.000Z');

let sim: SimulatorServer;
let url: string;

beforeAll(async () => {
  sim = new SimulatorServer({ now: () => NOW });
  url = await sim.listen(0, '127.0.0.1');
});
afterAll(() => sim.close());

describe('GET invites: the collection', () => {
  test('default sort is inviteDate desc, echoed, with every demo invite and computed hasExpired', async () => {
    const collection = expectCollection(await list(url));
    expect(collection).toMatchObject({
      count: 7,
      instanceId: DEMO_INSTANCE_ID,
      orgId: DEMO_ORG_ID,
      sortField: 'inviteDate',
      sortDirection: 'desc',
    });
    expect(collection).not.toHaveProperty('filterField');
    expect(collection).not.toHaveProperty('filter');
    expect(ids(collection.items)).toEqual([1, 2, 3, 4, 5, 6, 7].map(demoId));
    expectSorted(collection.items, 'inviteDate', 'desc');
    // Seeded 10 and 12 days ago with a 7-day ttl.
    expect(collection.items.filter((i) => i.hasExpired).map((i) => i.email)).toEqual(['barbara@example.com', 'dennis@example.org']);
  });

  test('an invite carries every field of the contract', async () => {
    const collection = expectCollection(await list(url));
    const margaret = collection.items.find((i) => i.email === 'margaret@example.com');
    expect(margaret).toEqual({
      id: demoId(4),
      email: 'margaret@example.com',
      role: 'collaborate',
      applicationRoles: [
        { resourceId: '5f1e0a9b2c3d4e5f607182a1', role: 'view' },
        { resourceId: '5f1e0a9b2c3d4e5f607182a2', role: 'collaborate' },
      ],
      dashboardRoles: [],
      inviteDate: new Date(NOW.getTime() - 5 * DAY_MS).toISOString(),
      ttl: INVITE_TTL_MS,
      hasExpired: false,
      disallowTransfer: true,
    });
  });

  test('orgs are kept apart; the empty org answers an empty collection', async () => {
    const second = expectCollection(await list(url, undefined, { orgId: DEMO_SECOND_ORG_ID }));
    expect(second).toMatchObject({ count: 3, orgId: DEMO_SECOND_ORG_ID });
    expect(emails(second.items)).toEqual(['alan@example.net', 'edsger@example.net', 'tony@example.net']);
    const empty = expectCollection(await list(url, undefined, { orgId: DEMO_EMPTY_ORG_ID }));
    expect(empty).toMatchObject({ count: 0, items: [], orgId: DEMO_EMPTY_ORG_ID });
  });

  test('ids are matched case-insensitively and echoed as sent', async () => {
    const collection = expectCollection(
      await list(url, undefined, { instanceId: DEMO_INSTANCE_ID.toUpperCase(), orgId: DEMO_ORG_ID.toUpperCase() }),
    );
    expect(collection).toMatchObject({ count: 7, instanceId: DEMO_INSTANCE_ID.toUpperCase(), orgId: DEMO_ORG_ID.toUpperCase() });
  });

  test('a trailing slash, the client query flags and losantdomain are accepted', async () => {
    const response = await list(
      url,
      { _actions: 'false', _links: 'true', _embedded: 'true' },
      { headers: { losantdomain: 'example.com' } },
    );
    expect(expectCollection(response).count).toBe(7);
    const slash = await fetch(`${url}/instances/${DEMO_INSTANCE_ID}/orgs/${DEMO_ORG_ID}/invites/`, {
      headers: { authorization: `Bearer ${DEMO_TOKENS.admin}` },
    });
    expect(expectCollection({ status: slash.status, headers: slash.headers, text: await slash.text() }).count).toBe(7);
  });
});

describe('GET invites: sorting', () => {
  const expected: Record<string, Record<'asc' | 'desc', number[]>> = {
    inviteDate: { asc: [7, 6, 5, 4, 3, 2, 1], desc: [1, 2, 3, 4, 5, 6, 7] },
    email: { asc: [1, 6, 7, 2, 5, 3, 4], desc: [4, 3, 5, 2, 7, 6, 1] },
    // Ties (edit: 2 and 7, view: 3 and 6) keep id order in both directions.
    role: { asc: [1, 4, 2, 7, 5, 3, 6], desc: [3, 6, 5, 2, 7, 4, 1] },
  };
  const cases = (['inviteDate', 'email', 'role'] as const).flatMap((field) =>
    (['asc', 'desc'] as const).map((direction) => [field, direction] as const),
  );

  test.each(cases)('sortField=%s sortDirection=%s', async (sortField, sortDirection) => {
    const collection = expectCollection(await list(url, { sortField, sortDirection }));
    expect(collection).toMatchObject({ count: 7, sortField, sortDirection });
    expectSorted(collection.items, sortField, sortDirection);
    expect(ids(collection.items)).toEqual(expected[sortField][sortDirection].map(demoId));
  });

  test('sortField alone defaults the direction to desc', async () => {
    const collection = expectCollection(await list(url, { sortField: 'email' }));
    expect(collection).toMatchObject({ sortField: 'email', sortDirection: 'desc' });
    expect(ids(collection.items)).toEqual(expected.email.desc.map(demoId));
  });

  test('sortDirection alone sorts by inviteDate', async () => {
    const collection = expectCollection(await list(url, { sortDirection: 'asc' }));
    expect(collection).toMatchObject({ sortField: 'inviteDate', sortDirection: 'asc' });
    expect(ids(collection.items)).toEqual(expected.inviteDate.asc.map(demoId));
  });

  test('an upper-case sortDirection is accepted and echoed in lower case', async () => {
    const collection = expectCollection(await list(url, { sortField: 'email', sortDirection: 'ASC' }));
    expect(collection.sortDirection).toBe('asc');
    expect(ids(collection.items)).toEqual(expected.email.asc.map(demoId));
  });

  test.each([
    ['sortField', 'date'],
    ['sortField', 'id'],
    ['sortField', 'EMAIL'],
    ['sortField', ''],
    ['sortDirection', 'up'],
    ['sortDirection', 'ascending'],
    ['filterField', 'inviteDate'],
    ['filterField', 'id'],
  ])('%s=%j is a 400', async (name, value) => {
    const error = expectError(await list(url, { [name]: value }), 400, 'Validation');
    expect(error.message).toContain(name);
  });
});

describe('GET invites: filtering', () => {
  async function filtered(filterField: string, filter: string, extra: Record<string, string> = {}) {
    const collection = expectCollection(await list(url, { filterField, filter, ...extra }));
    expect(collection).toMatchObject({ filterField, filter });
    return collection;
  }

  test.each([
    ['*@example.org', ['linus@example.org', 'ken@example.org', 'dennis@example.org']],
    ['*.COM', ['ada@example.com', 'grace@example.com', 'margaret@example.com', 'barbara@example.com']],
    ['ADA@Example.Com', ['ada@example.com']],
    ['*ada*', ['ada@example.com']],
    ['k?n@example.org', ['ken@example.org']],
    ['???@example.*', ['ada@example.com', 'ken@example.org']],
    [
      '*',
      [
        'ada@example.com',
        'grace@example.com',
        'linus@example.org',
        'margaret@example.com',
        'ken@example.org',
        'barbara@example.com',
        'dennis@example.org',
      ],
    ],
  ])('email glob %j', async (filter, expected) => {
    const collection = await filtered('email', filter);
    expect(emails(collection.items)).toEqual(expected);
    expect(collection.count).toBe(expected.length);
  });

  test.each(['ada', 'example.com', 'da@example.com', 'ada@example.co', '?da', 'ada@example.com?', '??@example.com'])(
    'email glob %j without a matching wildcard must match the whole value: no result',
    async (filter) => {
      const collection = await filtered('email', filter);
      expect(collection).toMatchObject({ count: 0, items: [] });
    },
  );

  test.each([
    ['view', [3, 6]],
    ['VIEW', [3, 6]],
    ['e*', [2, 7]],
    ['?dit', [2, 7]],
    ['*e*', [2, 3, 4, 5, 6, 7]],
    ['vie', []],
    ['iew', []],
    ['owner', []],
  ])('role glob %j', async (filter, expected) => {
    const collection = await filtered('role', filter);
    expect(ids(collection.items)).toEqual(expected.map(demoId));
  });

  test('a filter is combined with the requested sort', async () => {
    const collection = await filtered('email', '*.com', { sortField: 'email', sortDirection: 'asc' });
    expect(collection).toMatchObject({ sortField: 'email', sortDirection: 'asc' });
    expect(emails(collection.items)).toEqual(['ada@example.com', 'barbara@example.com', 'grace@example.com', 'margaret@example.com']);
  });

  test('a blank filter means no filtering, and is echoed', async () => {
    const collection = await filtered('email', '');
    expect(collection.count).toBe(7);
  });

  test('filterField without filter means no filtering', async () => {
    const collection = expectCollection(await list(url, { filterField: 'role' }));
    expect(collection).toMatchObject({ count: 7, filterField: 'role' });
    expect(collection).not.toHaveProperty('filter');
  });

  test('filter without filterField means no filtering', async () => {
    const collection = expectCollection(await list(url, { filter: 'ada*' }));
    expect(collection).toMatchObject({ count: 7, filter: 'ada*' });
    expect(collection).not.toHaveProperty('filterField');
  });

  test('a blank filterField means no filtering and is not echoed', async () => {
    const collection = expectCollection(await list(url, { filterField: '', filter: 'ada*' }));
    expect(collection).toMatchObject({ count: 7, filter: 'ada*' });
    expect(collection).not.toHaveProperty('filterField');
  });
});

describe('GET invites: "/" in values', () => {
  const seed: SeedOrg[] = [
    {
      instanceId: DEMO_INSTANCE_ID,
      orgId: DEMO_ORG_ID,
      invites: ['team/ops@example.com', 'team/ops/eu@example.com', 'team-ops@example.com'].map((email, n) => ({
        id: demoId(n + 1),
        email,
        role: 'view' as const,
        inviteDate: new Date(NOW.getTime() - (n + 1) * DAY_MS).toISOString(),
        ttl: INVITE_TTL_MS,
        hasExpired: false,
      })),
    },
  ];
  let slashSim: SimulatorServer;
  let slashUrl: string;
  beforeAll(async () => {
    slashSim = new SimulatorServer({ seed, now: () => NOW });
    slashUrl = await slashSim.listen(0, '127.0.0.1');
  });
  afterAll(() => slashSim.close());

  test.each([
    ['team/*', ['team/ops@example.com', 'team/ops/eu@example.com']],
    ['*/eu@*', ['team/ops/eu@example.com']],
    ['team?ops@example.com', ['team/ops@example.com', 'team-ops@example.com']],
    ['team/ops@example.com', ['team/ops@example.com']],
    ['*', ['team/ops@example.com', 'team/ops/eu@example.com', 'team-ops@example.com']],
  ])('email glob %j', async (filter, expected) => {
    const collection = expectCollection(await list(slashUrl, { filterField: 'email', filter }));
    expect(emails(collection.items)).toEqual(expected);
  });

  test('a filter with the look-alike U+2215 does not match a "/"', async () => {
    const collection = expectCollection(await list(slashUrl, { filterField: 'email', filter: 'team\u2215ops@example.com' }));
    expect(emails(collection.items)).toEqual([]);
  });
});

describe('GET invites: hasExpired follows the clock', () => {
  test('computed from inviteDate + ttl, at the boundary and after the clock moves', async () => {
    let clock = new Date(NOW);
    const inviteDate = new Date(NOW.getTime() - DAY_MS).toISOString();
    const seed: SeedOrg[] = [
      {
        instanceId: DEMO_INSTANCE_ID,
        orgId: DEMO_ORG_ID,
        // The seed's own hasExpired is wrong on purpose: the simulator must compute it.
        invites: [{ id: demoId(1), email: 'a@example.com', role: 'view', inviteDate, ttl: 2 * DAY_MS, hasExpired: true }],
      },
    ];
    const clocked = new SimulatorServer({ seed, now: () => clock });
    const clockedUrl = await clocked.listen(0, '127.0.0.1');
    try {
      const hasExpired = async (): Promise<boolean> => expectCollection(await list(clockedUrl)).items[0].hasExpired;
      expect(await hasExpired()).toBe(false);
      clock = new Date(NOW.getTime() + DAY_MS - 1);
      expect(await hasExpired()).toBe(false);
      clock = new Date(NOW.getTime() + DAY_MS);
      expect(await hasExpired()).toBe(true);
    } finally {
      await clocked.close();
    }
  });

  test('the demo seed ages with the clock', async () => {
    let clock = new Date(NOW);
    const clocked = new SimulatorServer({ now: () => clock });
    const clockedUrl = await clocked.listen(0, '127.0.0.1');
    try {
      clock = new Date(NOW.getTime() + 3 * DAY_MS);
      const collection = expectCollection(await list(clockedUrl));
      // Invites 4 and 5 were 5 and 6 days old; three days later they are past the 7-day ttl.
      expect(collection.items.filter((i) => i.hasExpired).map((i) => i.id)).toEqual([4, 5, 6, 7].map(demoId));
    } finally {
      await clocked.close();
    }
  });
});
