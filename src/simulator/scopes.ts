/**
 * Scopes that allow each action, any one being enough. The contract lists them for the collection's
 * actions: read scopes (plus the newer `.bounded` ones) may read, only write scopes may write, and a
 * resource's `*` or action scope allows that action. The single-invite resource, for which the
 * contract names only the action scopes, follows the same pattern.
 */
const readScopes = (resource: string, action: string): readonly string[] => [
  'all.Instance',
  'all.Instance.read',
  'all.Instance.bounded',
  'all.User',
  'all.User.read',
  'all.User.bounded',
  `${resource}.*`,
  `${resource}.${action}`,
];

const writeScopes = (resource: string, action: string): readonly string[] => ['all.Instance', 'all.User', `${resource}.*`, `${resource}.${action}`];

export const ACTION_SCOPES = {
  'instanceOrgInvites.get': readScopes('instanceOrgInvites', 'get'),
  'instanceOrgInvites.post': writeScopes('instanceOrgInvites', 'post'),
  'instanceOrgInvite.get': readScopes('instanceOrgInvite', 'get'),
  'instanceOrgInvite.delete': writeScopes('instanceOrgInvite', 'delete'),
  'instanceOrgInvite.resendInvite': writeScopes('instanceOrgInvite', 'resendInvite'),
} as const satisfies Record<string, readonly string[]>;

export type SimulatedAction = keyof typeof ACTION_SCOPES;

export function isAllowed(scopes: readonly string[], action: SimulatedAction): boolean {
  const allowed: readonly string[] = ACTION_SCOPES[action];
  return scopes.some((scope) => allowed.includes(scope));
}
