import { registerEnumType } from 'type-graphql';

/*
 * GraphQL enum names are UPPER_CASE by convention; each member's value is the exact string the
 * REST API uses, so arguments reach the REST client already translated and upstream values are
 * served without a mapping step. `test/graphql/enums.test.ts` checks the round trip.
 */

export enum OrgRole {
  ADMIN = 'admin',
  EDIT = 'edit',
  COLLABORATE = 'collaborate',
  VIEW = 'view',
  NONE = 'none',
}

export enum ResourceRole {
  COLLABORATE = 'collaborate',
  VIEW = 'view',
  NONE = 'none',
}

export enum InviteSortField {
  EMAIL = 'email',
  ROLE = 'role',
  INVITE_DATE = 'inviteDate',
}

export enum SortDirection {
  ASC = 'asc',
  DESC = 'desc',
}

export enum InviteFilterField {
  EMAIL = 'email',
  ROLE = 'role',
}

registerEnumType(OrgRole, {
  name: 'OrgRole',
  description: 'Role a member holds in an organization.',
  valuesConfig: {
    ADMIN: { description: 'Full control of the organization.' },
    EDIT: { description: 'Can change the organization’s resources.' },
    COLLABORATE: { description: 'Can work with resources without administering them.' },
    VIEW: { description: 'Read-only access.' },
    NONE: { description: 'No organization-wide access; only the per-resource roles apply.' },
  },
});

registerEnumType(ResourceRole, {
  name: 'ResourceRole',
  description: 'Role a member holds on one application or dashboard.',
  valuesConfig: {
    COLLABORATE: { description: 'Can work with the resource.' },
    VIEW: { description: 'Read-only access to the resource.' },
    NONE: { description: 'No access to the resource.' },
  },
});

registerEnumType(InviteSortField, {
  name: 'InviteSortField',
  description: 'Field to sort the results by.',
  valuesConfig: {
    EMAIL: { description: 'The invited email address.' },
    ROLE: { description: 'The organization role of the invite.' },
    INVITE_DATE: { description: 'When the invite was sent.' },
  },
});

registerEnumType(SortDirection, {
  name: 'SortDirection',
  description: 'Direction to sort the results by.',
  valuesConfig: {
    ASC: { description: 'Ascending.' },
    DESC: { description: 'Descending.' },
  },
});

registerEnumType(InviteFilterField, {
  name: 'InviteFilterField',
  description: 'Field to filter the results by.',
  valuesConfig: {
    EMAIL: { description: 'Match the pattern against the invited email address.' },
    ROLE: { description: 'Match the pattern against the organization role (`admin`, `edit`, ...).' },
  },
});

/** Every GraphQL enum with the REST values it stands for, for tests and tooling. */
export const REST_MAPPED_ENUMS = { OrgRole, ResourceRole, InviteSortField, SortDirection, InviteFilterField } as const;
