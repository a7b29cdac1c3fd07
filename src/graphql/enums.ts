import { registerEnumType } from 'type-graphql';

/*
 * GraphQL enums, UPPER_CASE by convention. Their runtime values are their names, not the REST
 * strings: federation rebuilds the schema from SDL, which would lose custom internal values in
 * argument defaults. `restEnums.ts` translates to and from the REST values in one place.
 */

export enum OrgRole {
  ADMIN = 'ADMIN',
  EDIT = 'EDIT',
  COLLABORATE = 'COLLABORATE',
  VIEW = 'VIEW',
  NONE = 'NONE',
}

export enum ResourceRole {
  COLLABORATE = 'COLLABORATE',
  VIEW = 'VIEW',
  NONE = 'NONE',
}

export enum InviteSortField {
  EMAIL = 'EMAIL',
  ROLE = 'ROLE',
  INVITE_DATE = 'INVITE_DATE',
}

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

export enum InviteFilterField {
  EMAIL = 'EMAIL',
  ROLE = 'ROLE',
}

export enum InviteStatus {
  PENDING = 'PENDING',
  EXPIRED = 'EXPIRED',
}

registerEnumType(InviteStatus, {
  name: 'InviteStatus',
  description: 'Whether an invite can still be accepted.',
  valuesConfig: {
    PENDING: { description: 'Sent and not yet expired: the invited person can accept it.' },
    EXPIRED: { description: 'Past its time to live: it can no longer be accepted; resend it to renew it.' },
  },
});

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
