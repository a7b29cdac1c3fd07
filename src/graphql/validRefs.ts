import type { InviteRef, OrgRef } from '../rest/invitesApi';
import { assertObjectId } from '../validation/inputValidation';

/** Checks both ids and answers a plain `OrgRef` for the loader. */
export function validOrgRef(ids: { instanceId: string; orgId: string }): OrgRef {
  assertObjectId(ids.instanceId, 'instanceId');
  assertObjectId(ids.orgId, 'orgId');
  return { instanceId: ids.instanceId, orgId: ids.orgId };
}

/** Checks the three ids and answers a plain `InviteRef` for the loader; `inviteIdPath` names the invite's id in errors. */
export function validInviteRef(ids: { instanceId: string; orgId: string; inviteId: string }, inviteIdPath = 'inviteId'): InviteRef {
  const org = validOrgRef(ids);
  assertObjectId(ids.inviteId, inviteIdPath);
  return { ...org, inviteId: ids.inviteId };
}
