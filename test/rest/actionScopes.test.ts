import { ACTION_SCOPES, isAllowed } from '../../src/rest/actionScopes';

describe('the scopes of each upstream action', () => {
  // The contract's lists, written out here so a change to actionScopes.ts has to be deliberate.
  const listScopes = [
    'all.Instance',
    'all.Instance.read',
    'all.Instance.bounded',
    'all.User',
    'all.User.read',
    'all.User.bounded',
    'instanceOrgInvites.*',
    'instanceOrgInvites.get',
  ];
  const inviteScopes = ['all.Instance', 'all.User', 'instanceOrgInvites.*', 'instanceOrgInvites.post'];

  test('match the contract', () => {
    expect([...ACTION_SCOPES['instanceOrgInvites.get']].sort()).toEqual([...listScopes].sort());
    expect([...ACTION_SCOPES['instanceOrgInvites.post']].sort()).toEqual([...inviteScopes].sort());
  });

  test.each(listScopes)('%s allows listing', (scope) => {
    expect(isAllowed([scope], 'instanceOrgInvites.get')).toBe(true);
    expect(isAllowed([scope], 'instanceOrgInvites.post')).toBe(inviteScopes.includes(scope));
  });

  test('any one matching scope is enough; none, unrelated or near-miss scopes are not', () => {
    expect(isAllowed(['all.Application', 'instanceOrgInvites.post'], 'instanceOrgInvites.post')).toBe(true);
    expect(isAllowed([], 'instanceOrgInvites.get')).toBe(false);
    expect(isAllowed(['all.Application', 'all.Organization', 'instanceOrgInvite.*'], 'instanceOrgInvites.get')).toBe(false);
    expect(isAllowed(['ALL.INSTANCE', 'all.instance'], 'instanceOrgInvites.get')).toBe(false);
    expect(isAllowed(['instanceOrgInvites.get'], 'instanceOrgInvites.post')).toBe(false);
  });
});
