import type { GatewayContext } from '../../context/gatewayContext';
import { readInvite } from '../inviteReads';
import type { InstanceOrg } from '../types/InstanceOrg';
import type { OrgInvite } from '../types/OrgInvite';
import { validOrgRef } from '../validRefs';

/** `_entities` hands over `{ instanceId, orgId }` and gets the entity back; no upstream call. */
export const instanceOrgReference = {
  __resolveReference(reference: { instanceId: string; orgId: string }): InstanceOrg {
    return validOrgRef(reference);
  },
};

/** `OrgInvite`'s full key is read through the single-invite action. */
export const orgInviteReference = {
  async __resolveReference(reference: { instanceId: string; orgId: string; id: string }, context: GatewayContext): Promise<OrgInvite> {
    return readInvite(context, { instanceId: reference.instanceId, orgId: reference.orgId, inviteId: reference.id }, 'id');
  },
};

/** Reference resolvers, per entity type name, merged into type-graphql's resolvers. */
export const REFERENCE_RESOLVERS = { InstanceOrg: instanceOrgReference, OrgInvite: orgInviteReference } as const;
