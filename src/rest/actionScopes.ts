import { UpstreamAction } from './upstreamActions';

/** `instanceOrgInvites` of `instanceOrgInvites.get`: its scope `instanceOrgInvites.*` allows every action of the resource. */
const resourceOf = (action: UpstreamAction): string => action.slice(0, action.indexOf('.'));

const readScopes = (action: UpstreamAction): readonly string[] => [
  'all.Instance',
  'all.Instance.read',
  'all.Instance.bounded',
  'all.User',
  'all.User.read',
  'all.User.bounded',
  `${resourceOf(action)}.*`,
  action,
];

const writeScopes = (action: UpstreamAction): readonly string[] => ['all.Instance', 'all.User', `${resourceOf(action)}.*`, action];

/**
 * Scopes that allow each action, any one being enough. The contract lists them for the collection's
 * actions: read scopes (plus the newer `.bounded` ones) may read, only write scopes may write, and a
 * resource's `*` or action scope allows that action. The single-invite resource, for which the
 * contract names only the action scopes, follows the same pattern.
 *
 * One table for both sides of the token: the simulator refuses a token with none of them (as the
 * real API does), and the subgraph SDL declares them as `@requiresScopes` on each field that
 * performs the action, so a router can refuse the operation before any REST call is made.
 */
export const ACTION_SCOPES: Readonly<Record<UpstreamAction, readonly string[]>> = {
  [UpstreamAction.listInvites]: readScopes(UpstreamAction.listInvites),
  [UpstreamAction.inviteMember]: writeScopes(UpstreamAction.inviteMember),
  [UpstreamAction.getInvite]: readScopes(UpstreamAction.getInvite),
  [UpstreamAction.revokeInvite]: writeScopes(UpstreamAction.revokeInvite),
  [UpstreamAction.resendInvite]: writeScopes(UpstreamAction.resendInvite),
};

/** Whether a token holding `scopes` may perform `action`: one of the action's scopes, spelt exactly, is enough. */
export function isAllowed(scopes: readonly string[], action: UpstreamAction): boolean {
  const allowed = ACTION_SCOPES[action];
  return scopes.some((scope) => allowed.includes(scope));
}
