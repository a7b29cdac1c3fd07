import fc from 'fast-check';
import { DateTimeResolver } from 'graphql-scalars';
import { contractSchemas } from '../../src/contract/validators';
import { orgInviteCollectionProblem, orgInviteProblem, successProblem } from '../../src/rest/responseGuards';
import { upstreamCollection, upstreamInvite } from '../support/faultUpstream';

const APP_ID = '5f1e0a9b2c3d4e5f607182a1';

/** A valid collection with its first invite changed (a property set to undefined is left out). */
function withInvite(change: Record<string, unknown>): Record<string, unknown> {
  const body = upstreamCollection();
  const first = JSON.parse(JSON.stringify({ ...body.items[0], ...change })) as Record<string, unknown>;
  return { ...body, items: [first, ...body.items.slice(1)] };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe('orgInviteCollectionProblem', () => {
  test.each<[string, unknown]>([
    ['an empty collection', { items: [] }],
    ['a full collection', upstreamCollection()],
    [
      'unknown properties, on the collection and on invites',
      { ...withInvite({ lastUpdated: 'yesterday' }), _links: {}, _type: 'orgInvites' },
    ],
    // JSON.parse makes "__proto__" an own property, as any upstream body can.
    [
      'a "__proto__" property on an invite',
      JSON.parse(JSON.stringify(upstreamCollection()).replace('{"id"', '{"__proto__":{"role":"x"},"id"')),
    ],
    [
      'no role lists and no disallowTransfer',
      withInvite({ applicationRoles: undefined, dashboardRoles: undefined, disallowTransfer: undefined }),
    ],
    [
      'grants',
      withInvite({ applicationRoles: [{ resourceId: APP_ID, role: 'view' }], dashboardRoles: [{ resourceId: APP_ID, role: 'none' }] }),
    ],
    [
      'echoes in upper case, blank, or not known to the gateway',
      { ...upstreamCollection(), sortDirection: 'DESC', sortField: 'lastUpdated', filterField: '', filter: '' },
    ],
    ['a date-time with an offset', withInvite({ inviteDate: '2024-01-01T01:00:00.5+01:00' })],
  ])('accepts %s', (_name, body) => {
    expect(orgInviteCollectionProblem(body)).toBeUndefined();
  });

  test.each<[string, unknown, string]>([
    ['null', null, 'the body must be object'],
    ['an array', [upstreamCollection()], 'the body must be object'],
    ['a string', 'items', 'the body must be object'],
    ['no items', { count: 0 }, 'items is required'],
    ['items that is an object', { items: { 0: upstreamInvite('a@example.com') } }, 'items must be array'],
    ['an item that is null', { items: [null] }, 'items[0] must be object'],
    ['an item that is a string', { items: [upstreamInvite('a@example.com'), 'invite'] }, 'items[1] must be object'],
    ['an item that is an array', { items: [[]] }, 'items[0] must be object'],
    ['filter a number', { ...upstreamCollection(), filter: 42 }, 'filter must be string'],
    ['count a string', { ...upstreamCollection(), count: '2' }, 'count must be integer'],
    ['count past a GraphQL Int', { ...upstreamCollection(), count: 2 ** 40 }, 'count is larger than a 32-bit integer'],
    [
      'sortDirection not in the contract',
      { ...upstreamCollection(), sortDirection: 'sideways' },
      'sortDirection must be one of asc, desc, ASC, DESC, ',
    ],
    ['an instance id that is not 24 hex', { ...upstreamCollection(), instanceId: 'nope' }, 'instanceId must be 24 hexadecimal characters'],
    ['ttl a string', withInvite({ ttl: 'soon' }), 'items[0].ttl must be number'],
    ['role "__proto__"', withInvite({ role: '__proto__' }), 'items[0].role must be one of admin, edit, collaborate, view, none'],
    ['role "constructor"', withInvite({ role: 'constructor' }), 'items[0].role must be one of'],
    ['applicationRoles a string', withInvite({ applicationRoles: 'admin' }), 'items[0].applicationRoles must be array'],
    ['dashboardRoles holding a string', withInvite({ dashboardRoles: ['view'] }), 'items[0].dashboardRoles[0] must be object'],
    [
      'a grant role "__proto__"',
      withInvite({ applicationRoles: [{ resourceId: APP_ID, role: '__proto__' }] }),
      'items[0].applicationRoles[0].role must be one of collaborate, view, none',
    ],
    [
      'a grant without a resource id',
      withInvite({ applicationRoles: [{ role: 'view' }] }),
      'items[0].applicationRoles[0].resourceId is required',
    ],
    ['a malformed email', withInvite({ email: 'not an email' }), 'items[0].email must be a valid email'],
    ['a null email', withInvite({ email: null }), 'items[0].email must be string'],
    [
      'a date-time with a space for the T',
      withInvite({ inviteDate: '2024-01-01 00:00:00Z' }),
      'items[0].inviteDate must be an RFC 3339 date-time',
    ],
    ['a date that does not exist', withInvite({ inviteDate: '2024-02-30T00:00:00Z' }), 'items[0].inviteDate must be a valid date-time'],
    ...(['id', 'email', 'role', 'inviteDate', 'ttl', 'hasExpired'] as const).map((name): [string, unknown, string] => [
      `an invite without ${name}`,
      withInvite({ [name]: undefined }),
      `items[0].${name} is required`,
    ]),
  ])('rejects %s, saying where', (_name, body, problem) => {
    expect(orgInviteCollectionProblem(body)).toContain(problem);
  });

  test('never quotes what the upstream wrote, even a property name it made up', () => {
    const secret = 'tok-9f8e7d6c5b4a';
    const problem = orgInviteCollectionProblem(withInvite({ applicationRoles: [{ resourceId: APP_ID, role: 'view', [secret]: secret }] }));
    expect(problem).toBe('items[0].applicationRoles[0] has a property the contract does not allow');
    for (const change of [{ role: secret }, { email: secret }, { id: secret }, { ttl: secret }, { inviteDate: secret }]) {
      expect(orgInviteCollectionProblem(withInvite(change))).not.toContain(secret);
    }
  });

  test('judges without changing: a frozen body is read, and stays as it was', () => {
    const body = withInvite({ applicationRoles: undefined, extra: { nested: [1, 2] } });
    const before = JSON.stringify(body);
    expect(orgInviteCollectionProblem(deepFreeze(body))).toBeUndefined();
    expect(JSON.stringify(body)).toBe(before);
    // Nothing was added: no defaults for the absent role lists.
    expect(body.items).toEqual([expect.not.objectContaining({ applicationRoles: expect.anything() }), expect.anything()]);
  });
});

describe('inviteDate', () => {
  // As in test/properties: PROPERTY_RUNS_SCALE=10 for a long hunt, FC_SEED to replay a reported seed.
  const numRuns = Math.max(1, Math.round(2000 * Number(process.env.PROPERTY_RUNS_SCALE ?? '1')));
  const seed = process.env.FC_SEED !== undefined ? { seed: Number(process.env.FC_SEED) } : {};
  const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
  const dateTime = fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
      two(13),
      two(32),
      fc.constantFrom('T', 't', ' '),
      // Biased towards 23:59:60, the leap second the contract takes and the scalar does not.
      fc.oneof(two(24), fc.constant('23')),
      fc.oneof(two(60), fc.constant('59')),
      fc.oneof(two(61), fc.constant('60')),
      fc.constantFrom('', '.5', '.123456789'),
      fc.constantFrom('Z', 'z', '', '+01:00', '-23:59', '+24:00', '+0100', '+01', '-00:60'),
    )
    .map(([y, mo, d, sep, h, mi, s, frac, zone]) => `${y}-${mo}-${d}${sep}${h}:${mi}:${s}${frac}${zone}`);

  const scalarAccepts = (value: string): boolean => {
    try {
      DateTimeResolver.serialize(value);
      return true;
    } catch {
      return false;
    }
  };

  test('is read exactly when the contract and the DateTime scalar both accept it', () => {
    fc.assert(
      fc.property(dateTime, (inviteDate) => {
        const invite = { ...upstreamInvite('a@example.com'), inviteDate };
        const readable = contractSchemas.orgInvite(invite) && scalarAccepts(inviteDate);
        expect(orgInviteProblem(invite) === undefined).toBe(readable);
      }),
      { numRuns, ...seed },
    );
  });

  test.each(['2016-12-31T23:59:60Z', '2024-01-01T24:59:00+01:00'])(
    '%s passes the contract (as a leap second) but not the scalar: not read',
    (inviteDate) => {
      const invite = { ...upstreamInvite('a@example.com'), inviteDate };
      expect(contractSchemas.orgInvite(invite)).toBe(true);
      expect(orgInviteProblem(invite)).toContain('inviteDate');
    },
  );
});

describe('orgInviteProblem', () => {
  test('accepts an invite', () => {
    expect(orgInviteProblem(upstreamInvite('a@example.com'))).toBeUndefined();
  });

  test.each<[string, unknown, string]>([
    ['a collection', upstreamCollection(), 'id is required'],
    ['an invite without id', { ...upstreamInvite('a@example.com'), id: undefined }, 'id is required'],
    ['an id that is not 24 hex', { ...upstreamInvite('a@example.com'), id: 'x' }, 'id must be 24 hexadecimal characters'],
    ['a role off the contract', { ...upstreamInvite('a@example.com'), role: 'owner' }, 'role must be one of'],
  ])('rejects %s', (_name, body, problem) => {
    expect(orgInviteProblem(JSON.parse(JSON.stringify(body)))).toContain(problem);
  });
});

describe('successProblem', () => {
  test('accepts { success: true }, with anything beside it', () => {
    expect(successProblem({ success: true })).toBeUndefined();
    expect(successProblem({ success: true, _links: {} })).toBeUndefined();
  });

  test.each<[string, unknown]>([
    ['success false', { success: false }],
    ['no success', {}],
    ['an array', [1, 2]],
    ['success a string', { success: 'true' }],
  ])('rejects %s', (_name, body) => {
    expect(successProblem(body)).toEqual(expect.any(String));
  });
});
