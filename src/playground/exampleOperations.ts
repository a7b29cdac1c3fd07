import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_SECOND_ORG_ID } from '../demo/demoIds';

/** One GraphiQL tab as its `defaultTabs` prop takes it: editor contents as strings. */
export interface ExampleTab {
  readonly query: string;
  /** JSON text for the variables editor. */
  readonly variables?: string;
  /** JSON text for the headers editor. */
  readonly headers?: string;
}

/** The headers-editor text that sends `token` the way the gateway expects it. */
export function authorizationHeaders(token: string): string {
  return JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2);
}

const json = (value: unknown): string => JSON.stringify(value, null, 2);

/** What the first tab says depends on whether a token is already in the headers editor. */
function introduction(embedded: boolean): string {
  // Short lines: the editor is narrow while the docs are open.
  return embedded
    ? `# invites-gateway playground, on the
# embedded Losant API simulator.
#
# Press the run button (or Ctrl-Enter) to
# list the demo organization's invites.
# The Headers tab below holds the demo
# admin token; Docs (the book icon) shows
# the schema; more examples in the tabs.
`
    : `# invites-gateway playground.
#
# Put your Losant API token in the Headers
# tab below:
#   {"Authorization": "Bearer <your token>"}
# and your own instance and org ids in the
# query, then press the run button (or
# Ctrl-Enter). Docs (the book icon) shows
# the schema.
`;
}

/** The query a new tab starts with, and the first of the default tabs. */
export function defaultQuery(embedded: boolean): string {
  return `${introduction(embedded)}
query OrgInvites {
  orgInvites(
    instanceId: "${DEMO_INSTANCE_ID}"
    orgId: "${DEMO_ORG_ID}"
  ) {
    count
    items {
      email
      role
      inviteDate
      hasExpired
    }
  }
}
`;
}

const SORTED_AND_FILTERED = `# Sorted by email, only addresses at
# example.org. Filters are globs matched
# against the whole value: * is any run of
# characters, ? one character.
query SortedAndFiltered($instanceId: ID!, $orgId: ID!, $filter: String) {
  orgInvites(
    instanceId: $instanceId
    orgId: $orgId
    sortField: EMAIL
    sortDirection: ASC
    filterField: EMAIL
    filter: $filter
  ) {
    count
    sortField
    sortDirection
    filterField
    filter
    items {
      email
      role
      hasExpired
    }
  }
}
`;

const PAGED = `# Three invites at a time, as a Relay
# connection. For the next page, set
# "after" in the variables to the answer's
# pageInfo.endCursor; backwards, use last
# and before with startCursor. totalCount
# counts the whole (filtered) list.
query PagedInvites($instanceId: ID!, $orgId: ID!, $first: Int, $after: String) {
  orgInvitesConnection(
    instanceId: $instanceId
    orgId: $orgId
    sortField: EMAIL
    sortDirection: ASC
    first: $first
    after: $after
  ) {
    totalCount
    edges {
      cursor
      node {
        email
        role
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`;

const INVITE_MEMBER = `# Invites a member; invites reads the org's
# list after it, new invite included. Run
# it twice: a second pending invite for the
# same email is refused, and the answer is
# "inviteMember": null with the reason in
# errors (its path: ["inviteMember"]). A
# failed field is null alone: other fields
# of the operation are still answered.
mutation InviteMember($instanceId: ID!, $orgId: ID!, $invite: OrgInviteInput!) {
  inviteMember(instanceId: $instanceId, orgId: $orgId, invite: $invite) {
    invite {
      id
      email
      role
      applicationRoles {
        resourceId
        role
      }
      hasExpired
    }
    invites {
      count
    }
  }
}
`;

const INSTANCE_ORG = `# An organization as an object, its invites
# read twice with different arguments.
query InstanceOrgInvites {
  instanceOrg(
    instanceId: "${DEMO_INSTANCE_ID}"
    orgId: "${DEMO_SECOND_ORG_ID}"
  ) {
    instanceId
    orgId
    invites(sortField: EMAIL, sortDirection: ASC) {
      count
      items {
        email
        role
        hasExpired
      }
    }
    admins: invites(filterField: ROLE, filter: "admin") {
      count
    }
  }
}
`;

const ORG_INVITE = `# One invite, with the fields computed from it:
# when it expires and whether it can still
# be accepted.
query OrgInvite($instanceId: ID!, $orgId: ID!, $inviteId: ID!) {
  orgInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $inviteId) {
    id
    email
    role
    inviteDate
    expiresAt
    status
    applicationRoles { resourceId role }
  }
}
`;

const RESEND_INVITE = `# Resends an invite (here an expired one)
# with a new role; fields left out of
# \`roles\` keep their value.
mutation ResendInvite($instanceId: ID!, $orgId: ID!, $inviteId: ID!, $roles: OrgRoleInfoInput!) {
  resendInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $inviteId, roles: $roles) {
    invite {
      id
      role
      inviteDate
      expiresAt
      status
    }
  }
}
`;

const REVOKE_INVITE = `# Revokes an invite, then reads the list
# again in the same operation: the invite
# is gone from it. Run it again and
# revokeInvite is null, with NOT_FOUND in
# errors.
mutation RevokeInvite($instanceId: ID!, $orgId: ID!, $inviteId: ID!) {
  revokeInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $inviteId) {
    success
    revokedInviteId
    query {
      orgInvites(instanceId: $instanceId, orgId: $orgId) {
        count
        items { id email }
      }
    }
  }
}
`;

/** Ids of seeded invites the lifecycle examples act on (see `demoSeed`). */
const PENDING_INVITE_ID = '6a0000000000000000000001';
const EXPIRED_INVITE_ID = '6a0000000000000000000006';
const REVOCABLE_INVITE_ID = '6a0000000000000000000007';

/**
 * The tabs a first visit opens with. `headers`, when given, goes into every tab, so each one runs
 * as is (the embedded mode passes the demo token here).
 */
export function exampleTabs(embedded: boolean, headers?: string): ExampleTab[] {
  const tabs: ExampleTab[] = [
    { query: defaultQuery(embedded) },
    { query: SORTED_AND_FILTERED, variables: json({ instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID, filter: '*@example.org' }) },
    { query: PAGED, variables: json({ instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID, first: 3, after: null }) },
    {
      query: INVITE_MEMBER,
      variables: json({
        instanceId: DEMO_INSTANCE_ID,
        orgId: DEMO_SECOND_ORG_ID,
        invite: {
          email: 'barbara@example.net',
          role: 'EDIT',
          applicationRoles: [{ resourceId: '5f1e0a9b2c3d4e5f607182a1', role: 'VIEW' }],
        },
      }),
    },
    { query: INSTANCE_ORG },
    { query: ORG_INVITE, variables: json({ instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID, inviteId: PENDING_INVITE_ID }) },
    {
      query: RESEND_INVITE,
      variables: json({ instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID, inviteId: EXPIRED_INVITE_ID, roles: { role: 'EDIT' } }),
    },
    { query: REVOKE_INVITE, variables: json({ instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID, inviteId: REVOCABLE_INVITE_ID }) },
  ];
  return headers === undefined ? tabs : tabs.map((tab) => ({ ...tab, headers }));
}
