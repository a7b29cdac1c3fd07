import type { InviteFilterFieldValue, InviteSortFieldValue, OrgRoleValue, ResourceRoleValue, SortDirectionValue } from '../contract/types';
import { InviteFilterField, InviteSortField, OrgRole, ResourceRole, SortDirection } from './enums';

/*
 * The one translation between GraphQL enum values and the REST API's strings. Each table is total
 * over its GraphQL enum (the compiler checks it) and the reverse maps are derived from it, so the
 * two directions cannot disagree. `test/graphql/enums.test.ts` checks both against the contract.
 */

function reverse<G extends string, R extends string>(table: Readonly<Record<G, R>>): ReadonlyMap<string, G> {
  return new Map(Object.entries(table).map(([graphqlValue, restValue]) => [restValue as string, graphqlValue as G]));
}

export const ORG_ROLE_TO_REST: Readonly<Record<OrgRole, OrgRoleValue>> = {
  ADMIN: 'admin',
  EDIT: 'edit',
  COLLABORATE: 'collaborate',
  VIEW: 'view',
  NONE: 'none',
};
export const RESOURCE_ROLE_TO_REST: Readonly<Record<ResourceRole, ResourceRoleValue>> = {
  COLLABORATE: 'collaborate',
  VIEW: 'view',
  NONE: 'none',
};
export const SORT_FIELD_TO_REST: Readonly<Record<InviteSortField, InviteSortFieldValue>> = {
  EMAIL: 'email',
  ROLE: 'role',
  INVITE_DATE: 'inviteDate',
};
export const SORT_DIRECTION_TO_REST: Readonly<Record<SortDirection, SortDirectionValue>> = { ASC: 'asc', DESC: 'desc' };
export const FILTER_FIELD_TO_REST: Readonly<Record<InviteFilterField, InviteFilterFieldValue>> = { EMAIL: 'email', ROLE: 'role' };

export const ORG_ROLE_FROM_REST = reverse(ORG_ROLE_TO_REST);
export const RESOURCE_ROLE_FROM_REST = reverse(RESOURCE_ROLE_TO_REST);
export const SORT_FIELD_FROM_REST = reverse(SORT_FIELD_TO_REST);
export const SORT_DIRECTION_FROM_REST = reverse(SORT_DIRECTION_TO_REST);
export const FILTER_FIELD_FROM_REST = reverse(FILTER_FIELD_TO_REST);

/** Every GraphQL enum that stands for REST values, with its table, for tests and tooling. */
export const REST_VALUE_TABLES = {
  OrgRole: ORG_ROLE_TO_REST,
  ResourceRole: RESOURCE_ROLE_TO_REST,
  InviteSortField: SORT_FIELD_TO_REST,
  SortDirection: SORT_DIRECTION_TO_REST,
  InviteFilterField: FILTER_FIELD_TO_REST,
} as const;
