import { DEMO_INSTANCE_ID, DEMO_ORG_ID } from '../../src/simulator/demoData';

/** Documents shared by the integration tests. */

export const INVITE_FIELDS = `
  id email role inviteDate ttl hasExpired disallowTransfer
  applicationRoles { resourceId role }
  dashboardRoles { resourceId role }
`;

export const LIST_INVITES = `
  query ListInvites(
    $instanceId: ID!, $orgId: ID!, $sortField: InviteSortField, $sortDirection: SortDirection,
    $filterField: InviteFilterField, $filter: String, $losantdomain: String
  ) {
    orgInvites(
      instanceId: $instanceId, orgId: $orgId, sortField: $sortField, sortDirection: $sortDirection,
      filterField: $filterField, filter: $filter, losantdomain: $losantdomain
    ) {
      count instanceId orgId sortField sortDirection filterField filter
      items { ${INVITE_FIELDS} }
    }
  }
`;

export const INVITE_MEMBER = `
  mutation InviteMember($instanceId: ID!, $orgId: ID!, $invite: OrgInviteInput!, $losantdomain: String) {
    inviteMember(instanceId: $instanceId, orgId: $orgId, invite: $invite, losantdomain: $losantdomain) {
      invite { ${INVITE_FIELDS} }
      invites { count items { id email } }
    }
  }
`;

export const DEMO_ORG = { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID } as const;

export interface InviteView {
  id: string;
  email: string;
  role: string;
  inviteDate: string;
  ttl: number;
  hasExpired: boolean;
  disallowTransfer: boolean;
  applicationRoles: Array<{ resourceId: string; role: string }>;
  dashboardRoles: Array<{ resourceId: string; role: string }>;
}

export interface CollectionView {
  count: number;
  instanceId: string;
  orgId: string;
  sortField: string | null;
  sortDirection: string | null;
  filterField: string | null;
  filter: string | null;
  items: InviteView[];
}
