import { OrgRole } from '../../../src/graphql/enums';
import { findInvite } from '../../../src/graphql/restMapping/newInvite';
import type { OrgInvite } from '../../../src/graphql/types/OrgInvite';

describe('findInvite', () => {
  function invite(id: string, email: string, inviteDate: string): OrgInvite {
    return {
      id,
      instanceId: '5f1e0a9b2c3d4e5f60718293',
      orgId: '5f1e0a9b2c3d4e5f60718294',
      email,
      role: OrgRole.VIEW,
      applicationRoles: [],
      dashboardRoles: [],
      inviteDate,
      ttl: 1,
      hasExpired: false,
      disallowTransfer: false,
    };
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
