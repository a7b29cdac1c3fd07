import type { OrgInviteCollectionDto, OrgInviteDto } from '../contract/types';
import type { OrgRef } from '../rest/invitesApi';
import { InviteFilterField, InviteSortField, SortDirection } from './enums';
import type { OrgInvite } from './types/OrgInvite';
import type { OrgInviteCollection } from './types/OrgInviteCollection';

const SORT_FIELDS = new Set<string>(Object.values(InviteSortField));
const FILTER_FIELDS = new Set<string>(Object.values(InviteFilterField));
const SORT_DIRECTIONS = new Set<string>(Object.values(SortDirection));

/** Upstream echoes may be blank, upper case (`DESC`) or values this gateway does not know: those read as null. */
function echoed<T extends string>(raw: string | undefined, known: ReadonlySet<string>, normalize = (s: string) => s): T | null {
  if (raw === undefined || raw === '') return null;
  const value = normalize(raw);
  return known.has(value) ? (value as T) : null;
}

/**
 * The GraphQL view of one upstream invite: absent role lists read as empty and an absent
 * `disallowTransfer` as false (the upstream's default). A shallow copy; nothing is deep-cloned.
 */
export function inviteView(invite: OrgInviteDto): OrgInvite {
  return {
    ...invite,
    applicationRoles: invite.applicationRoles ?? [],
    dashboardRoles: invite.dashboardRoles ?? [],
    disallowTransfer: invite.disallowTransfer ?? false,
  } as OrgInvite;
}

/** The GraphQL view of a collection; ids fall back to the ones asked for if the upstream omits them. */
export function collectionView(dto: OrgInviteCollectionDto, org: OrgRef): OrgInviteCollection {
  const items = dto.items.map(inviteView);
  return {
    items,
    count: typeof dto.count === 'number' ? dto.count : items.length,
    instanceId: dto.instanceId ?? org.instanceId,
    orgId: dto.orgId ?? org.orgId,
    sortField: echoed<InviteSortField>(dto.sortField, SORT_FIELDS),
    sortDirection: echoed<SortDirection>(dto.sortDirection, SORT_DIRECTIONS, (s) => s.toLowerCase()),
    filterField: echoed<InviteFilterField>(dto.filterField, FILTER_FIELDS),
    filter: dto.filter === undefined || dto.filter === '' ? null : dto.filter,
  };
}
