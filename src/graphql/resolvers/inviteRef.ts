import type { InviteRef } from '../../rest/invitesApi';
import { assertObjectId } from '../../validation/inputValidation';
import { validOrgRef } from './orgRef';

/** Checks the three ids and answers a plain `InviteRef` for the loader. */
export function validInviteRef(ids: { instanceId: string; orgId: string; inviteId: string }, inviteIdPath = 'inviteId'): InviteRef {
  const org = validOrgRef(ids);
  assertObjectId(ids.inviteId, inviteIdPath);
  return { ...org, inviteId: ids.inviteId };
}
