/**
 * The upstream's invite actions, each under the one name the Losant REST API gives it
 * (`resource.action`, as its token scopes spell it), keyed by the `InvitesApi` method that calls
 * it. That name is the action everywhere: log lines, error messages, the retry and limit events,
 * the `action` label of the upstream metrics, and the simulator's scope checks. The values are
 * metric label values that dashboards and docs/operations.md name: renaming one is a breaking change.
 */
export const UpstreamAction = {
  listInvites: 'instanceOrgInvites.get',
  inviteMember: 'instanceOrgInvites.post',
  getInvite: 'instanceOrgInvite.get',
  revokeInvite: 'instanceOrgInvite.delete',
  resendInvite: 'instanceOrgInvite.resendInvite',
} as const;

export type UpstreamAction = (typeof UpstreamAction)[keyof typeof UpstreamAction];
