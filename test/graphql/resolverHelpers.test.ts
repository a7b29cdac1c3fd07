import { BadUserInputError } from '../../src/errors/gatewayErrors';
import type { InviteListArgs } from '../../src/graphql/args/listArgs';
import { InviteFilterField, InviteSortField, OrgRole, ResourceRole, SortDirection } from '../../src/graphql/enums';
import { findInvite, grantsToRest, invitePostBody } from '../../src/graphql/resolvers/InviteMemberResolver';
import { listQueryOf } from '../../src/graphql/resolvers/OrgInvitesResolver';
import { validOrgRef } from '../../src/graphql/resolvers/orgRef';
import type { OrgInvite } from '../../src/graphql/types/OrgInvite';
import type { OrgInviteInput } from '../../src/graphql/types/OrgInviteInput';
import { assertInviteBody } from '../../src/validation/inputValidation';

const APP_ID = '5f1e0a9b2c3d4e5f607182a1';
const DASH_ID = '5f1e0a9b2c3d4e5f607182b1';

/** GraphQL hands resolvers input objects without a prototype. */
function nullProto<T extends object>(value: T): T {
  return Object.assign(Object.create(null) as T, value);
}

describe('invitePostBody', () => {
  test('leaves out absent and null optionals', () => {
    expect(invitePostBody({ email: 'ada@example.com', role: OrgRole.ADMIN })).toStrictEqual({ email: 'ada@example.com', role: 'admin' });
    expect(
      invitePostBody({ email: 'ada@example.com', role: OrgRole.VIEW, applicationRoles: null, dashboardRoles: null, disallowTransfer: null }),
    ).toStrictEqual({ email: 'ada@example.com', role: 'view' });
  });

  test('keeps empty lists and a false disallowTransfer', () => {
    expect(
      invitePostBody({ email: 'ada@example.com', role: OrgRole.EDIT, applicationRoles: [], dashboardRoles: [], disallowTransfer: false }),
    ).toStrictEqual({ email: 'ada@example.com', role: 'edit', applicationRoles: [], dashboardRoles: [], disallowTransfer: false });
  });

  test('copies null-prototype grants into a body that passes the contract', () => {
    const input = nullProto<OrgInviteInput>({
      email: 'ada@example.com',
      role: OrgRole.NONE,
      applicationRoles: [nullProto({ resourceId: APP_ID, role: ResourceRole.COLLABORATE })],
      dashboardRoles: [nullProto({ resourceId: DASH_ID, role: ResourceRole.VIEW })],
      disallowTransfer: true,
    });
    const body = invitePostBody(input);
    expect(body).toStrictEqual({
      email: 'ada@example.com',
      role: 'none',
      applicationRoles: [{ resourceId: APP_ID, role: 'collaborate' }],
      dashboardRoles: [{ resourceId: DASH_ID, role: 'view' }],
      disallowTransfer: true,
    });
    expect(Object.getPrototypeOf(body.applicationRoles?.[0])).toBe(Object.prototype);
    expect(() => assertInviteBody(body, 'invite')).not.toThrow();
    expect(JSON.parse(JSON.stringify(body))).toStrictEqual(body);
  });
});

describe('findInvite', () => {
  function invite(id: string, email: string, inviteDate: string): OrgInvite {
    return { id, instanceId: '5f1e0a9b2c3d4e5f60718293', orgId: '5f1e0a9b2c3d4e5f60718294', email, role: OrgRole.VIEW, applicationRoles: [], dashboardRoles: [], inviteDate, ttl: 1, hasExpired: false, disallowTransfer: false };
  }

  const items = [
    invite('1', 'grace@example.com', '2024-05-01T00:00:00.000Z'),
    invite('2', 'Ada@Example.com', '2024-04-01T00:00:00.000Z'),
    invite('3', 'ada@example.com', '2024-05-02T00:00:00.000Z'),
    invite('4', 'ADA@example.com', '2024-03-01T00:00:00.000Z'),
  ];

  test('finds the most recent invite for the email, ignoring case', () => {
    expect(findInvite(items, 'ada@EXAMPLE.com')?.id).toBe('3');
    expect(findInvite([...items].reverse(), 'ada@example.com')?.id).toBe('3');
  });

  test('finds a single match', () => {
    expect(findInvite(items, 'grace@example.com')?.id).toBe('1');
  });

  test('answers null when there is no match', () => {
    expect(findInvite(items, 'linus@example.org')).toBeNull();
    expect(findInvite([], 'ada@example.com')).toBeNull();
  });

  test('skips items without a string email', () => {
    const odd = { ...invite('9', 'x', '2030-01-01T00:00:00.000Z'), email: undefined } as unknown as OrgInvite;
    expect(findInvite([odd, items[0]], 'grace@example.com')?.id).toBe('1');
  });
});

describe('listQueryOf', () => {
  function args(overrides: Partial<InviteListArgs> = {}): InviteListArgs {
    return { sortField: InviteSortField.INVITE_DATE, sortDirection: SortDirection.DESC, ...overrides };
  }

  test('translates the defaults without filter parameters', () => {
    expect(listQueryOf(args())).toStrictEqual({ sortField: 'inviteDate', sortDirection: 'desc' });
    expect(listQueryOf(args({ filterField: null, filter: null }))).toStrictEqual({ sortField: 'inviteDate', sortDirection: 'desc' });
  });

  test('passes sort and filter values through as the REST values', () => {
    expect(
      listQueryOf(args({ sortField: InviteSortField.EMAIL, sortDirection: SortDirection.ASC, filterField: InviteFilterField.ROLE, filter: 'ad*' })),
    ).toStrictEqual({ sortField: 'email', sortDirection: 'asc', filterField: 'role', filter: 'ad*' });
  });

  test('a filterField alone is sent without a filter', () => {
    expect(listQueryOf(args({ filterField: InviteFilterField.EMAIL }))).toStrictEqual({
      sortField: 'inviteDate',
      sortDirection: 'desc',
      filterField: 'email',
    });
  });

  test('a filter without filterField is refused before any call', () => {
    expect(() => listQueryOf(args({ filter: '*@example.com' }))).toThrow(BadUserInputError);
  });

  test('an over-long filter is refused', () => {
    expect(() => listQueryOf(args({ filterField: InviteFilterField.EMAIL, filter: 'a'.repeat(1025) }))).toThrow(BadUserInputError);
  });
});

describe('validOrgRef', () => {
  test('answers a plain OrgRef for valid ids', () => {
    const ref = validOrgRef(nullProto({ instanceId: '5f1e0a9b2c3d4e5f60718293', orgId: '5f1e0a9b2c3d4e5f60718294' }));
    expect(ref).toStrictEqual({ instanceId: '5f1e0a9b2c3d4e5f60718293', orgId: '5f1e0a9b2c3d4e5f60718294' });
  });

  test('names the bad id', () => {
    expect(() => validOrgRef({ instanceId: 'nope', orgId: '5f1e0a9b2c3d4e5f60718294' })).toThrow(/^instanceId/);
    expect(() => validOrgRef({ instanceId: '5f1e0a9b2c3d4e5f60718293', orgId: 'nope' })).toThrow(/^orgId/);
  });
});

describe('grantsToRest', () => {
  test('absent lists stay absent', () => {
    expect(grantsToRest(undefined)).toBeUndefined();
    expect(grantsToRest(null)).toBeUndefined();
  });

  test('copies grants into plain objects with only resourceId and the REST role', () => {
    const input = Object.assign(Object.create(null) as Record<string, unknown>, { resourceId: APP_ID, role: ResourceRole.VIEW, extra: true });
    const grants = grantsToRest([input]);
    expect(grants).toStrictEqual([{ resourceId: APP_ID, role: 'view' }]);
    expect(Object.getPrototypeOf(grants?.[0])).toBe(Object.prototype);
  });

  test('keeps an empty list', () => {
    expect(grantsToRest([])).toEqual([]);
  });
});
