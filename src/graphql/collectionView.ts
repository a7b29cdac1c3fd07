import type { OrgInviteCollectionDto, OrgInviteDto, ResourceRoleGrantDto } from '../contract/types';
import type { OrgRef } from '../rest/invitesApi';
import { isBlankFilter } from '../validation/inputValidation';
import type { OrgRole, ResourceRole } from './enums';
import {
  FILTER_FIELD_FROM_REST,
  ORG_ROLE_FROM_REST,
  RESOURCE_ROLE_FROM_REST,
  SORT_DIRECTION_FROM_REST,
  SORT_FIELD_FROM_REST,
} from './restEnums';
import type { OrgInvite } from './types/OrgInvite';
import type { OrgInviteCollection } from './types/OrgInviteCollection';
import type { ResourceRoleGrant } from './types/ResourceRoleGrant';

/*
 * The GraphQL view of upstream bodies: REST enum strings become GraphQL enum values, absent role
 * lists read as empty and an absent `disallowTransfer` as false (the upstream's default). Shallow:
 * nothing is deep-cloned. A role this gateway does not know is passed on as is, so GraphQL reports
 * it as a field error instead of the gateway guessing.
 *
 * Views are written out field by field rather than spread from the body: every view then has the
 * same shape, and a long list builds one per invite, which a spread made costly (figures in
 * bench/results/changes.md).
 */

/** Shared by every view without grants; GraphQL only reads it. */
const NO_GRANTS: ResourceRoleGrant[] = [];

function grantsView(grants: readonly ResourceRoleGrantDto[] | undefined): ResourceRoleGrant[] {
  if (!grants || grants.length === 0) return NO_GRANTS;
  return grants.map((grant) => ({
    resourceId: grant.resourceId,
    role: RESOURCE_ROLE_FROM_REST.get(grant.role) ?? (grant.role as unknown as ResourceRole),
  }));
}

/** The GraphQL view of one invite; the org it belongs to comes from the request (the body omits it). */
export function inviteView(invite: OrgInviteDto, org: OrgRef): OrgInvite {
  return {
    id: invite.id,
    instanceId: org.instanceId,
    orgId: org.orgId,
    email: invite.email,
    role: ORG_ROLE_FROM_REST.get(invite.role) ?? (invite.role as unknown as OrgRole),
    applicationRoles: grantsView(invite.applicationRoles),
    dashboardRoles: grantsView(invite.dashboardRoles),
    inviteDate: invite.inviteDate,
    ttl: invite.ttl,
    hasExpired: invite.hasExpired,
    disallowTransfer: invite.disallowTransfer ?? false,
  };
}

/**
 * Upstream echoes may be blank, upper case (`DESC`, which the contract allows) or values this
 * gateway does not know: those read as null rather than fail the whole collection.
 */
function echoed<G>(raw: string | undefined, table: ReadonlyMap<string, G>, normalize = (s: string) => s): G | null {
  if (raw === undefined || raw === '') return null;
  return table.get(normalize(raw)) ?? null;
}

/** The GraphQL view of a collection; ids fall back to the ones asked for if the upstream omits them. */
export function collectionView(dto: OrgInviteCollectionDto, org: OrgRef): OrgInviteCollection {
  const items = dto.items.map((item) => inviteView(item, org));
  return {
    items,
    count: typeof dto.count === 'number' ? dto.count : items.length,
    instanceId: dto.instanceId ?? org.instanceId,
    orgId: dto.orgId ?? org.orgId,
    sortField: echoed(dto.sortField, SORT_FIELD_FROM_REST),
    sortDirection: echoed(dto.sortDirection, SORT_DIRECTION_FROM_REST, (s) => s.toLowerCase()),
    // A field with a blank pattern filters nothing, so it reads as "not filtered".
    filterField: isBlankFilter(dto.filter) ? null : echoed(dto.filterField, FILTER_FIELD_FROM_REST),
    filter: isBlankFilter(dto.filter) ? null : (dto.filter as string),
  };
}
