import type { OrgRef } from '../../rest/invitesApi';
import { assertObjectId } from '../../validation/inputValidation';
import type { OrgRefArgs } from '../args/listArgs';

/** Checks both ids and answers a plain `OrgRef` for the loader. */
export function validOrgRef(args: OrgRefArgs): OrgRef {
  assertObjectId(args.instanceId, 'instanceId');
  assertObjectId(args.orgId, 'orgId');
  return { instanceId: args.instanceId, orgId: args.orgId };
}
