/** Scopes that allow each action, any one being enough (from the contract). */
export const ACTION_SCOPES = {
  'instanceOrgInvites.get': [
    'all.Instance',
    'all.Instance.read',
    'all.Instance.bounded',
    'all.User',
    'all.User.read',
    'all.User.bounded',
    'instanceOrgInvites.*',
    'instanceOrgInvites.get',
  ],
  'instanceOrgInvites.post': ['all.Instance', 'all.User', 'instanceOrgInvites.*', 'instanceOrgInvites.post'],
  // The single-invite resource's scopes follow the collection's pattern: read scopes may get,
  // only write scopes may revoke or resend (the contract names just the action scopes).
  'instanceOrgInvite.get': [
    'all.Instance',
    'all.Instance.read',
    'all.Instance.bounded',
    'all.User',
    'all.User.read',
    'all.User.bounded',
    'instanceOrgInvite.*',
    'instanceOrgInvite.get',
  ],
  'instanceOrgInvite.delete': ['all.Instance', 'all.User', 'instanceOrgInvite.*', 'instanceOrgInvite.delete'],
  'instanceOrgInvite.resendInvite': ['all.Instance', 'all.User', 'instanceOrgInvite.*', 'instanceOrgInvite.resendInvite'],
} as const satisfies Record<string, readonly string[]>;

export type SimulatedAction = keyof typeof ACTION_SCOPES;

export function isAllowed(scopes: readonly string[], action: SimulatedAction): boolean {
  const allowed: readonly string[] = ACTION_SCOPES[action];
  return scopes.some((scope) => allowed.includes(scope));
}
