import { OBJECT_ID_PATTERN } from '../../src/contract/types';
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
import { DAY_MS, call, demoId, emails, expectCollection, expectError, invitesPath, list, post } from './helpers';

const NOW = new Date('2024-03-15T12:00:00.000Z');
const UNKNOWN_ID = 'ffffffffffffffffffffffff';
const APP_ID = '5f1e0a9b2c3d4e5f607182a1';

async function started(options: ConstructorParameters<typeof SimulatorServer>[0] = {}): Promise<{ sim: SimulatorServer; url: string }> {
  const sim = new SimulatorServer({ now: () => NOW, ...options });
  return { sim, url: await sim.listen(0, '127.0.0.1') };
}

describe('simulator server', () => {
  let sim: SimulatorServer;
  let url: string;
  beforeAll(async () => {
    ({ sim, url } = await started());
  });
  afterAll(() => sim.close());

  test('listen answers the loopback base URL it serves on', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.url).toBe(url);
  });

  describe('400 for malformed ids', () => {
    test.each([
      ['a short instanceId', 'abc', DEMO_ORG_ID, 'instanceId'],
      ['a non-hex instanceId', 'zzzzzzzzzzzzzzzzzzzzzzzz', DEMO_ORG_ID, 'instanceId'],
      ['a 25-digit instanceId', `${DEMO_INSTANCE_ID}0`, DEMO_ORG_ID, 'instanceId'],
      ['a short orgId', DEMO_INSTANCE_ID, '123', 'orgId'],
      ['a non-hex orgId', DEMO_INSTANCE_ID, 'g'.repeat(24), 'orgId'],
    ])('%s on GET and POST', async (_label, instanceId, orgId, name) => {
      const got = expectError(await list(url, undefined, { instanceId, orgId }), 400, 'Validation');
      expect(got.message).toContain(name);
      const posted = expectError(await post(url, { email: 'x@example.com', role: 'view' }, { instanceId, orgId }), 400, 'Validation');
      expect(posted.message).toContain(name);
    });

    test('an undecodable percent-escape in an id is a 400, not a simulator failure', async () => {
      // decodeURIComponent throws URIError on "%zz"; the server must not turn that into a 500.
      const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        const response = await call(url, 'GET', invitesPath('%zz', DEMO_ORG_ID));
        expectError(response, 400, 'Validation');
      } finally {
        consoleError.mockRestore();
      }
    });
  });

  describe('404', () => {
    test.each([
      ['instance', UNKNOWN_ID, DEMO_ORG_ID, /instance/i],
      ['org', DEMO_INSTANCE_ID, UNKNOWN_ID, /organization/i],
      ['org of another instance', UNKNOWN_ID, DEMO_SECOND_ORG_ID, /instance/i],
    ])('unknown %s on GET and POST', async (_label, instanceId, orgId, message) => {
      expect(expectError(await list(url, undefined, { instanceId, orgId }), 404, 'NotFound').message).toMatch(message);
      expect(
        expectError(await post(url, { email: 'x@example.com', role: 'view' }, { instanceId, orgId }), 404, 'NotFound').message,
      ).toMatch(message);
    });

    test('a path outside the invites resource', async () => {
      expectError(await call(url, 'GET', `/instances/${DEMO_INSTANCE_ID}/orgs/${DEMO_ORG_ID}`), 404, 'NotFound');
      expectError(await call(url, 'GET', `${invitesPath()}/${demoId(1)}/resend`), 404, 'NotFound');
    });

    test('a method other than GET and POST is a 405', async () => {
      expectError(await call(url, 'DELETE', invitesPath()), 405, 'MethodNotAllowed');
      expect(expectCollection(await list(url)).count).toBe(7);
    });
  });

  describe('401 and 403', () => {
    test.each([
      ['no Authorization header', null, undefined],
      ['an unknown token', 'not-a-demo-token', undefined],
      ['a Basic credential', null, { authorization: `Basic ${DEMO_TOKENS.admin}` }],
      ['a bare token without the Bearer scheme', null, { authorization: DEMO_TOKENS.admin }],
    ])('%s is a 401 on GET and POST', async (_label, token, headers) => {
      expectError(await list(url, undefined, { token, headers }), 401, 'Unauthorized');
      expectError(await post(url, { email: 'unauth@example.com', role: 'view' }, { token, headers }), 401, 'Unauthorized');
    });

    test('the Bearer scheme is case-insensitive', async () => {
      expectCollection(await list(url, undefined, { token: null, headers: { authorization: `bearer ${DEMO_TOKENS.readOnly}` } }));
    });

    test('an unknown org is not revealed to a caller without a token', async () => {
      expectError(await list(url, undefined, { token: null, orgId: UNKNOWN_ID }), 401, 'Unauthorized');
    });

    test('the read-only token may list but gets 403 on POST, which adds nothing', async () => {
      expect(expectCollection(await list(url, undefined, { token: DEMO_TOKENS.readOnly })).count).toBe(7);
      const error = expectError(
        await post(url, { email: 'ro@example.com', role: 'view' }, { token: DEMO_TOKENS.readOnly }),
        403,
        'Forbidden',
      );
      expect(error.message).toContain('instanceOrgInvites.post');
      expect(emails(expectCollection(await list(url)).items)).not.toContain('ro@example.com');
    });

    test('the no-invites token gets 403 on GET and POST', async () => {
      expect(expectError(await list(url, undefined, { token: DEMO_TOKENS.noInvites }), 403, 'Forbidden').message).toContain(
        'instanceOrgInvites.get',
      );
      expectError(await post(url, { email: 'ni@example.com', role: 'view' }, { token: DEMO_TOKENS.noInvites }), 403, 'Forbidden');
    });
  });

  describe('400 for bad POST bodies', () => {
    const tooMany = (n: number) => Array.from({ length: n }, () => ({ resourceId: APP_ID, role: 'view' }));
    test.each([
      ['missing email', { role: 'view' }, 'email'],
      ['missing role', { email: 'x@example.com' }, 'role'],
      ['a malformed email', { email: 'not-an-email', role: 'view' }, 'email'],
      ['an email over 1024 characters', { email: `${'a'.repeat(1020)}@example.com`, role: 'view' }, 'email'],
      ['an unknown role', { email: 'x@example.com', role: 'owner' }, 'role'],
      ['a role in the wrong case', { email: 'x@example.com', role: 'VIEW' }, 'role'],
      ['an extra property', { email: 'x@example.com', role: 'view', name: 'X' }, 'name'],
      ['101 applicationRoles', { email: 'x@example.com', role: 'view', applicationRoles: tooMany(101) }, 'applicationRoles'],
      ['101 dashboardRoles', { email: 'x@example.com', role: 'view', dashboardRoles: tooMany(101) }, 'dashboardRoles'],
      [
        'a grant with a bad resourceId',
        { email: 'x@example.com', role: 'view', applicationRoles: [{ resourceId: 'x', role: 'view' }] },
        'applicationRoles[0].resourceId',
      ],
      [
        'a grant with an org-only role',
        { email: 'x@example.com', role: 'view', dashboardRoles: [{ resourceId: APP_ID, role: 'admin' }] },
        'dashboardRoles[0].role',
      ],
      ['a non-boolean disallowTransfer', { email: 'x@example.com', role: 'view', disallowTransfer: 'yes' }, 'disallowTransfer'],
      ['an array body', [{ email: 'x@example.com', role: 'view' }], ''],
      ['a null body', null, ''],
    ])('%s', async (_label, body, field) => {
      const error = expectError(await post(url, body), 400, 'Validation');
      expect(error.message).toContain(field);
    });

    test.each([
      ['invalid JSON', '{"email": "x@example.com", "role": '],
      ['no body at all', ''],
    ])('%s', async (_label, rawBody) => {
      expectError(await call(url, 'POST', invitesPath(), { rawBody }), 400, 'Validation');
    });

    test('none of the rejected bodies added an invite', async () => {
      expect(expectCollection(await list(url)).count).toBe(7);
    });
  });

  test('a body over maxBodyBytes is a 413', async () => {
    const small = await started({ maxBodyBytes: 64 });
    try {
      const body = { email: 'someone@example.com', role: 'view', applicationRoles: [{ resourceId: APP_ID, role: 'view' }] };
      expectError(await post(small.url, body), 413, 'PayloadTooLarge');
      expect(expectCollection(await list(small.url)).count).toBe(7);
    } finally {
      await small.sim.close();
    }
  });
});

describe('POST invites', () => {
  let sim: SimulatorServer;
  let url: string;
  beforeAll(async () => {
    ({ sim, url } = await started());
  });
  afterAll(() => sim.close());

  test('201 with the collection holding the new invite, defaults filled in, visible to a later GET', async () => {
    const created = expectCollection(await post(url, { email: 'New.Person@Example.com', role: 'edit' }), 201);
    expect(created).toMatchObject({
      count: 8,
      instanceId: DEMO_INSTANCE_ID,
      orgId: DEMO_ORG_ID,
      sortField: 'inviteDate',
      sortDirection: 'desc',
    });
    const invite = created.items.find((i) => i.email === 'New.Person@Example.com');
    expect(invite).toEqual({
      id: expect.stringMatching(OBJECT_ID_PATTERN),
      email: 'New.Person@Example.com',
      role: 'edit',
      applicationRoles: [],
      dashboardRoles: [],
      inviteDate: NOW.toISOString(),
      ttl: INVITE_TTL_MS,
      hasExpired: false,
      disallowTransfer: false,
    });
    // Newest first, so the new invite leads.
    expect(created.items[0]).toEqual(invite);
    expect(created.items.filter((i) => i.id === invite!.id)).toHaveLength(1);

    const listed = expectCollection(await list(url));
    expect(listed.count).toBe(8);
    expect(listed.items.find((i) => i.id === invite!.id)).toEqual(invite);
  });

  test('every optional field is stored as sent; exactly 100 grants are allowed', async () => {
    const applicationRoles = Array.from({ length: 100 }, (_, n) => ({
      resourceId: `5f1e0a9b2c3d4e5f6071${n.toString(16).padStart(4, '0')}`,
      role: 'view' as const,
    }));
    const dashboardRoles = [{ resourceId: APP_ID, role: 'none' as const }];
    const created = expectCollection(
      await post(
        url,
        { email: 'full@example.com', role: 'none', applicationRoles, dashboardRoles, disallowTransfer: true },
        { orgId: DEMO_EMPTY_ORG_ID },
      ),
      201,
    );
    expect(created).toMatchObject({ count: 1, orgId: DEMO_EMPTY_ORG_ID });
    expect(created.items[0]).toMatchObject({
      email: 'full@example.com',
      role: 'none',
      applicationRoles,
      dashboardRoles,
      disallowTransfer: true,
    });
  });

  test('the new invite is counted by a filtered, sorted GET', async () => {
    await post(url, { email: 'zed@example.com', role: 'view' });
    const collection = expectCollection(await list(url, { filterField: 'email', filter: 'z*', sortField: 'email', sortDirection: 'asc' }));
    expect(emails(collection.items)).toEqual(['zed@example.com']);
  });

  test.each(['ada@example.com', 'ADA@Example.COM'])('a second pending invite for %s is a 400 and adds nothing', async (email) => {
    const before = expectCollection(await list(url)).count;
    const error = expectError(await post(url, { email, role: 'view' }), 400, 'Validation');
    expect(error.message).toContain(email);
    expect(expectCollection(await list(url)).count).toBe(before);
  });

  test('an invite created in this simulator blocks a repeat', async () => {
    expectCollection(await post(url, { email: 'once@example.com', role: 'view' }), 201);
    expectError(await post(url, { email: 'ONCE@example.com', role: 'admin' }), 400, 'Validation');
  });

  test('two concurrent invites for one email: exactly one is created', async () => {
    const responses = await Promise.all([
      post(url, { email: 'race@example.com', role: 'view' }),
      post(url, { email: 'RACE@example.com', role: 'edit' }),
    ]);
    const [created, refused] = [...responses].sort((a, b) => a.status - b.status);
    expectCollection(created, 201);
    expectError(refused, 400, 'Validation');
    const listed = expectCollection(await list(url, { filterField: 'email', filter: 'race@example.com' }));
    expect(listed.count).toBe(1);
  });

  test('a pending invite in another org does not block', async () => {
    const created = expectCollection(await post(url, { email: 'ada@example.com', role: 'view' }, { orgId: DEMO_SECOND_ORG_ID }), 201);
    expect(created.items.filter((i) => i.email === 'ada@example.com')).toHaveLength(1);
  });

  test('an expired invite for the same email does not block a new one', async () => {
    // barbara@example.com was invited 10 days ago with a 7-day ttl.
    const created = expectCollection(await post(url, { email: 'Barbara@example.com', role: 'admin' }), 201);
    const barbaras = created.items.filter((i) => i.email.toLowerCase() === 'barbara@example.com');
    expect(barbaras.map((i) => [i.id === demoId(6), i.hasExpired])).toEqual([
      [false, false],
      [true, true],
    ]);
    // The fresh one is pending, so now it blocks.
    expectError(await post(url, { email: 'barbara@example.com', role: 'view' }), 400, 'Validation');
  });

  test('sims do not share state', async () => {
    const other = await started();
    try {
      expect(expectCollection(await list(other.url)).count).toBe(7);
      expectCollection(await post(other.url, { email: 'zed@example.com', role: 'view' }), 201);
    } finally {
      await other.sim.close();
    }
  });
});

describe('POST invites against a clock', () => {
  test('an invite expires when the clock passes inviteDate + ttl, and then no longer blocks', async () => {
    let clock = new Date(NOW);
    const seed: SeedOrg[] = [{ instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID, invites: [] }];
    const sim = new SimulatorServer({ seed, now: () => clock });
    const url = await sim.listen(0, '127.0.0.1');
    try {
      const first = expectCollection(await post(url, { email: 'x@example.com', role: 'view' }), 201).items[0];
      expect(first).toMatchObject({ inviteDate: NOW.toISOString(), hasExpired: false });

      clock = new Date(NOW.getTime() + 6 * DAY_MS);
      expectError(await post(url, { email: 'x@example.com', role: 'view' }), 400, 'Validation');

      clock = new Date(NOW.getTime() + INVITE_TTL_MS);
      const after = expectCollection(await post(url, { email: 'x@example.com', role: 'edit' }), 201);
      expect(after.items.map((i) => [i.role, i.inviteDate, i.hasExpired])).toEqual([
        ['edit', clock.toISOString(), false],
        ['view', NOW.toISOString(), true],
      ]);
    } finally {
      await sim.close();
    }
  });
});

describe('custom tokens', () => {
  let sim: SimulatorServer;
  let url: string;
  beforeAll(async () => {
    ({ sim, url } = await started({
      tokens: {
        'post-only': ['instanceOrgInvites.post'],
        'get-only': ['instanceOrgInvites.get'],
        bounded: ['all.User.bounded'],
        wildcard: ['instanceOrgInvites.*'],
        mixed: ['all.Application', 'all.User'],
      },
    }));
  });
  afterAll(() => sim.close());

  test.each([
    ['post-only', 403, 201],
    ['get-only', 200, 403],
    ['bounded', 200, 403],
    ['wildcard', 200, 201],
    ['mixed', 200, 201],
  ])('%s: GET %i, POST %i', async (token, getStatus, postStatus) => {
    const got = await list(url, undefined, { token });
    if (getStatus === 200) expectCollection(got);
    else expectError(got, getStatus, 'Forbidden');
    const posted = await post(url, { email: `${token}@example.com`, role: 'view' }, { token });
    if (postStatus === 201) expectCollection(posted, 201);
    else expectError(posted, postStatus, 'Forbidden');
  });

  test('the demo tokens are not known when tokens are replaced', async () => {
    expectError(await list(url, undefined, { token: DEMO_TOKENS.admin }), 401, 'Unauthorized');
  });
});

describe('recorded requests', () => {
  let sim: SimulatorServer;
  let url: string;
  beforeAll(async () => {
    ({ sim, url } = await started());
  });
  afterAll(() => sim.close());

  test('each request is recorded with method, path, query, headers and parsed body, including rejected ones', async () => {
    await list(url, { sortField: 'email', filter: 'a*' }, { headers: { losantdomain: 'example.com' } });
    await post(url, { email: 'rec@example.com', role: 'view' });
    await list(url, undefined, { token: null });
    await call(url, 'POST', invitesPath(), { rawBody: '{oops' });

    expect(sim.requests).toHaveLength(4);
    expect(sim.requests[0]).toMatchObject({
      method: 'GET',
      path: invitesPath(),
      query: { sortField: 'email', filter: 'a*' },
      headers: { authorization: `Bearer ${DEMO_TOKENS.admin}`, 'accept-version': '^1.30.0', losantdomain: 'example.com' },
    });
    expect(sim.requests[0].body).toBeUndefined();
    expect(sim.requests[1]).toMatchObject({
      method: 'POST',
      path: invitesPath(),
      query: {},
      body: { email: 'rec@example.com', role: 'view' },
    });
    expect(sim.requests[1].headers['content-type']).toBe('application/json');
    expect(sim.requests[2].headers.authorization).toBeUndefined();
    expect(sim.requests[3]).toMatchObject({ method: 'POST', body: undefined });

    expect(sim.callsTo('GET')).toEqual([sim.requests[0], sim.requests[2]]);
    expect(sim.callsTo('POST')).toEqual([sim.requests[1], sim.requests[3]]);
    expect(sim.callsTo('DELETE')).toEqual([]);
  });

  test('a credential the simulator did not issue is recorded without it; its own published tokens are kept', async () => {
    sim.requests.length = 0;
    const secret = 'a-real-losant-token-4f9c2e';
    await list(url, undefined, { token: secret });
    await list(url, undefined, { headers: { authorization: `Basic ${Buffer.from(`user:${secret}`).toString('base64')}` } });
    await list(url, undefined, { headers: { authorization: secret } });
    await list(url);

    expect(sim.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer [redacted]',
      'Basic [redacted]',
      '[redacted]',
      `Bearer ${DEMO_TOKENS.admin}`,
    ]);
    expect(JSON.stringify(sim.requests)).not.toContain(secret);
    expect(JSON.stringify(sim.requests)).not.toContain(Buffer.from(`user:${secret}`).toString('base64'));
  });

  test('recordUnknownCredentials keeps them as they came, for tests of verbatim forwarding', async () => {
    const { sim: verbatim, url: verbatimUrl } = await started({ recordUnknownCredentials: true });
    try {
      await list(verbatimUrl, undefined, { token: 'not-issued-here' });
      expect(verbatim.requests[0].headers.authorization).toBe('Bearer not-issued-here');
    } finally {
      await verbatim.close();
    }
  });

  test('a token named like an Object property is unknown (401), not a simulator failure', async () => {
    expectError(await list(url, undefined, { token: 'constructor' }), 401, 'Unauthorized');
    expect(sim.requests.at(-1)!.headers.authorization).toBe('Bearer [redacted]');
  });
});

describe('the request record is bounded', () => {
  test('only the latest `recordLimit` requests are kept, oldest dropped first; `received` counts them all', async () => {
    const { sim, url } = await started({ recordLimit: 3 });
    try {
      for (const filter of ['a*', 'b*', 'c*', 'd*', 'e*']) await list(url, { filterField: 'email', filter });
      expect(sim.requests.map((request) => request.query.filter)).toEqual(['c*', 'd*', 'e*']);
      expect(sim.received).toBe(5);
      // Tests empty it between cases; it fills again from there.
      sim.requests.length = 0;
      await list(url);
      expect(sim.requests).toHaveLength(1);
      expect(sim.received).toBe(6);
    } finally {
      await sim.close();
    }
  });

  test('recordLimit 0 (the embedded simulator) keeps nothing and still counts', async () => {
    const { sim, url } = await started({ recordLimit: 0 });
    try {
      await list(url);
      await post(url, { email: 'none@example.com', role: 'view' });
      expect(sim.requests).toEqual([]);
      expect(sim.received).toBe(2);
    } finally {
      await sim.close();
    }
  });

  test('by default a test simulator keeps the latest 1000', async () => {
    const { sim, url } = await started();
    try {
      const numbers = Array.from({ length: 1010 }, (_, i) => i);
      for (let i = 0; i < numbers.length; i += 50)
        await Promise.all(numbers.slice(i, i + 50).map((n) => list(url, { filterField: 'email', filter: `n${n}` })));
      expect(sim.received).toBe(1010);
      expect(sim.requests).toHaveLength(1000);
    } finally {
      await sim.close();
    }
  });
});
