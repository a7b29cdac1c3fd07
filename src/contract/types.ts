/**
 * The upstream's wire types, as `src/contract/schemas/*.json` define them. These are the shapes the
 * REST client sends and receives; the GraphQL layer exposes them without copying where it can.
 */

export type OrgRoleValue = 'admin' | 'edit' | 'collaborate' | 'view' | 'none';
export type ResourceRoleValue = 'collaborate' | 'view' | 'none';
export type InviteSortFieldValue = 'email' | 'role' | 'inviteDate';
export type SortDirectionValue = 'asc' | 'desc';
export type InviteFilterFieldValue = 'email' | 'role';

export interface ResourceRoleGrantDto {
  resourceId: string;
  role: ResourceRoleValue;
}

export interface OrgInviteDto {
  id: string;
  email: string;
  role: OrgRoleValue;
  applicationRoles?: ResourceRoleGrantDto[];
  dashboardRoles?: ResourceRoleGrantDto[];
  inviteDate: string;
  ttl: number;
  hasExpired: boolean;
  disallowTransfer?: boolean;
}

export interface OrgInviteCollectionDto {
  items: OrgInviteDto[];
  count: number;
  instanceId: string;
  orgId: string;
  filter?: string;
  filterField?: string;
  sortField?: string;
  /** The schema allows `asc`, `desc`, `ASC`, `DESC` and the empty string. */
  sortDirection?: string;
}

/** Body of `POST /instances/{instanceId}/orgs/{orgId}/invites` (`orgInvitePost`). */
export interface OrgInvitePostDto {
  email: string;
  role: OrgRoleValue;
  applicationRoles?: ResourceRoleGrantDto[];
  dashboardRoles?: ResourceRoleGrantDto[];
  disallowTransfer?: boolean;
}

/** Body of `POST .../invites/{inviteId}` (resend with modified roles, `orgRoleInfo`); all optional. */
export interface OrgRoleInfoDto {
  role?: OrgRoleValue;
  applicationRoles?: ResourceRoleGrantDto[];
  dashboardRoles?: ResourceRoleGrantDto[];
}

/** Body of a successful `DELETE .../invites/{inviteId}` (`success`). */
export interface SuccessDto {
  success: true;
}

/** Error body of every failed action (`error`). */
export interface UpstreamErrorDto {
  type?: string;
  message?: string;
}

/** Query parameters of the list action; `undefined` means "not sent". */
export interface ListInvitesQuery {
  sortField?: InviteSortFieldValue;
  sortDirection?: SortDirectionValue;
  filterField?: InviteFilterFieldValue;
  filter?: string;
}

/** The id pattern shared by every path id and resource id of the contract. */
export const OBJECT_ID_PATTERN = /^[A-Fa-f\d]{24}$/;
