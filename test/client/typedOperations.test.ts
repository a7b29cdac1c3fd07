import { print } from 'graphql';
import {
  ErrorCode,
  InviteMemberDocument,
  InviteSortField,
  ListOrgInvitesDocument,
  OrgWithInvitesDocument,
  OrgInviteDocument,
  ResendInviteDocument,
  RevokeInviteDocument,
  InviteStatus,
  errorCodeOf,
  isErrorCode,
  type GatewayResponse,
  type OrgInviteFieldsFragment,
  type OrgRole,
  type ResourceRole,
  type TypedDocumentNode,
} from '../../client/index';
import type { OrgInviteDto, OrgRoleValue, ResourceRoleValue } from '../../src/contract/types';
import { ErrorCode as ServerErrorCode } from '../../src/errors/errorCode';
import {
  DEMO_EMPTY_ORG_ID,
  DEMO_INSTANCE_ID,
  DEMO_ORG_ID,
  DEMO_SECOND_ORG_ID,
  DEMO_TOKENS,
  startStack,
  type TestStack,
} from '../support/stack';

/*
 * The generated documents against the running gateway, the way a frontend sends them: the
 * printed document and variables of the generated type, the answer read through the generated
 * result type. Expected values come from the simulator's store, not from the gateway.
 */

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack.close();
});

/** A minimal typed client: `TVariables` and `TResult` come from the document. */
async function execute<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  token: string | null = DEMO_TOKENS.admin,
): Promise<GatewayResponse<TResult>> {
  const response = await fetch(stack.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return (await response.json()) as GatewayResponse<TResult>;
}

/** Fails with the errors when there is no data, so a failing case says why. */
function dataOf<TData>(response: GatewayResponse<TData>): TData {
  if (response.data == null) throw new Error(`no data: ${JSON.stringify(response.errors)}`);
  return response.data;
}

/**
 * A field the generated types make nullable (it can fail on its own), checked as a frontend must:
 * null means its error is in `errors`, which the failure message shows.
 */
function present<TValue>(value: TValue | null | undefined, response: GatewayResponse<unknown>): TValue {
  if (value == null) throw new Error(`null field: ${JSON.stringify(response.errors)}`);
  return value;
}

// Records (not casts) so a new REST value without a GraphQL counterpart fails to compile.
const ORG_ROLES: Record<OrgRoleValue, OrgRole> = { admin: 'ADMIN', edit: 'EDIT', collaborate: 'COLLABORATE', view: 'VIEW', none: 'NONE' };
const RESOURCE_ROLES: Record<ResourceRoleValue, ResourceRole> = { collaborate: 'COLLABORATE', view: 'VIEW', none: 'NONE' };

/** An invite of the simulator's store as the generated fragment type shows it. */
function asFragment(invite: OrgInviteDto, orgId: string): OrgInviteFieldsFragment {
  const grants = (list: OrgInviteDto['applicationRoles']) =>
    (list ?? []).map((grant) => ({ resourceId: grant.resourceId, role: RESOURCE_ROLES[grant.role] }));
  return {
    id: invite.id,
    instanceId: DEMO_INSTANCE_ID,
    orgId,
    email: invite.email,
    role: ORG_ROLES[invite.role],
    status: invite.hasExpired ? 'EXPIRED' : 'PENDING',
    inviteDate: invite.inviteDate,
    ttl: invite.ttl,
    expiresAt: new Date(Date.parse(invite.inviteDate) + invite.ttl).toISOString(), // ttl is milliseconds
    hasExpired: invite.hasExpired,
    disallowTransfer: invite.disallowTransfer ?? false,
    applicationRoles: grants(invite.applicationRoles),
    dashboardRoles: grants(invite.dashboardRoles),
  };
}

function storeInvites(orgId: string): OrgInviteDto[] {
  const invites = stack.simulator.store.invites(DEMO_INSTANCE_ID, orgId);
  if (!invites) throw new Error(`the simulator has no org ${orgId}`);
  return invites;
}

describe('ListOrgInvites', () => {
  test('sorts and filters as its variables say, with every invite field', async () => {
    const response = await execute(ListOrgInvitesDocument, {
      instanceId: DEMO_INSTANCE_ID,
      orgId: DEMO_ORG_ID,
      sortField: 'EMAIL',
      sortDirection: 'ASC',
      filterField: 'EMAIL',
      filter: '*@example.org',
    });
    const collection = present(dataOf(response).orgInvites, response);
    const expected = storeInvites(DEMO_ORG_ID)
      .filter((invite) => invite.email.endsWith('@example.org'))
      .sort((a, b) => a.email.localeCompare(b.email))
      .map((invite) => asFragment(invite, DEMO_ORG_ID));

    expect(response.errors).toBeUndefined();
    expect(collection.items.map((invite) => invite.email)).toEqual(['dennis@example.org', 'ken@example.org', 'linus@example.org']);
    expect(collection).toEqual({
      count: 3,
      instanceId: DEMO_INSTANCE_ID,
      orgId: DEMO_ORG_ID,
      sortField: 'EMAIL',
      sortDirection: 'ASC',
      filterField: 'EMAIL',
      filter: '*@example.org',
      items: expected,
    });
  });

  test('leaving out the sort variables uses the document defaults (newest first)', async () => {
    const response = await execute(ListOrgInvitesDocument, { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID });
    const collection = present(dataOf(response).orgInvites, response);
    const newestFirst = storeInvites(DEMO_ORG_ID)
      .sort((a, b) => b.inviteDate.localeCompare(a.inviteDate))
      .map((invite) => invite.email);

    // The enums are values too: `InviteSortField.INVITE_DATE` is the string 'INVITE_DATE'.
    expect(collection.sortField).toBe(InviteSortField.INVITE_DATE);
    expect(collection.sortDirection).toBe('DESC');
    expect(collection.filterField).toBeNull();
    expect(collection.items.map((invite) => invite.email)).toEqual(newestFirst);
  });
});

describe('InviteMember', () => {
  test('creates the invite and answers it and the collection after it', async () => {
    const response = await execute(InviteMemberDocument, {
      instanceId: DEMO_INSTANCE_ID,
      orgId: DEMO_EMPTY_ORG_ID,
      invite: {
        email: 'barbara@example.net',
        role: 'EDIT',
        applicationRoles: [{ resourceId: '5f1e0a9b2c3d4e5f607182a1', role: 'VIEW' }],
      },
    });
    const { invite, invites } = present(dataOf(response).inviteMember, response);
    const stored = storeInvites(DEMO_EMPTY_ORG_ID);

    expect(response.errors).toBeUndefined();
    expect(stored).toHaveLength(1);
    expect(invite).toEqual(asFragment(stored[0], DEMO_EMPTY_ORG_ID));
    expect(invite).toMatchObject({ email: 'barbara@example.net', role: 'EDIT', status: 'PENDING', hasExpired: false, dashboardRoles: [] });
    expect(invites.count).toBe(1);
    expect(invites.items).toEqual([invite]);
  });
});

describe('OrgWithInvites', () => {
  test('reads an organization and its sorted invites through instanceOrg', async () => {
    const response = await execute(OrgWithInvitesDocument, {
      instanceId: DEMO_INSTANCE_ID,
      orgId: DEMO_SECOND_ORG_ID,
      sortField: 'EMAIL',
      sortDirection: 'ASC',
    });
    const org = present(dataOf(response).instanceOrg, response);
    const invites = present(org.invites, response);
    const expected = storeInvites(DEMO_SECOND_ORG_ID)
      .sort((a, b) => a.email.localeCompare(b.email))
      .map((invite) => asFragment(invite, DEMO_SECOND_ORG_ID));

    expect(response.errors).toBeUndefined();
    expect(org.instanceId).toBe(DEMO_INSTANCE_ID);
    expect(org.orgId).toBe(DEMO_SECOND_ORG_ID);
    expect(invites.items.map((invite) => invite.email)).toEqual(['alan@example.net', 'edsger@example.net', 'tony@example.net']);
    expect(invites).toMatchObject({ count: 3, sortField: 'EMAIL', sortDirection: 'ASC', filterField: null, filter: null });
    expect(invites.items).toEqual(expected);
  });

  test('filters by role', async () => {
    const response = await execute(OrgWithInvitesDocument, {
      instanceId: DEMO_INSTANCE_ID,
      orgId: DEMO_ORG_ID,
      filterField: 'ROLE',
      filter: 'edit',
    });
    const invites = present(present(dataOf(response).instanceOrg, response).invites, response);

    expect(invites.items.map((invite) => invite.role)).toEqual(['EDIT', 'EDIT']);
  });
});

describe('errors carry a code of the generated ErrorCode', () => {
  // [case, request, code, the root field that fails]: that field alone is null, its error names it.
  const cases: Array<[string, () => Promise<GatewayResponse<unknown>>, ErrorCode, string]> = [
    [
      'no token',
      () => execute(ListOrgInvitesDocument, { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID }, null),
      ErrorCode.UNAUTHENTICATED,
      'orgInvites',
    ],
    [
      'an unknown org',
      () => execute(ListOrgInvitesDocument, { instanceId: DEMO_INSTANCE_ID, orgId: 'ffffffffffffffffffffffff' }),
      ErrorCode.NOT_FOUND,
      'orgInvites',
    ],
    [
      'a malformed id',
      () => execute(OrgWithInvitesDocument, { instanceId: DEMO_INSTANCE_ID, orgId: 'nope' }),
      ErrorCode.BAD_USER_INPUT,
      'instanceOrg',
    ],
  ];

  test.each(cases)('%s', async (_case, send, code, field) => {
    const response = await send();
    const [error] = response.errors ?? [];

    expect(response.data).toEqual({ [field]: null });
    if (!error) throw new Error(`no error in ${JSON.stringify(response)}`);
    expect(error.path).toEqual([field]);
    expect(isErrorCode(error.extensions?.code)).toBe(true);
    expect(errorCodeOf(error)).toBe(code);
  });

  test('a read-only token may not invite: FORBIDDEN', async () => {
    const response = await execute(
      InviteMemberDocument,
      { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_SECOND_ORG_ID, invite: { email: 'nobody@example.net', role: 'VIEW' } },
      DEMO_TOKENS.readOnly,
    );
    const codes = (response.errors ?? []).map(errorCodeOf);

    expect(codes).toEqual([ErrorCode.FORBIDDEN]);
  });

  test("the generated ErrorCode has exactly the server's codes", () => {
    expect(Object.values(ErrorCode).sort()).toEqual(Object.values(ServerErrorCode).sort());
  });

  test('isErrorCode refuses what is not a code', () => {
    expect(['bad_user_input', 'TEAPOT', undefined, null, 42].filter(isErrorCode)).toEqual([]);
  });
});

describe('the invite lifecycle documents', () => {
  const inviteId = '6a0000000000000000000006';

  test('OrgInvite reads one invite with its computed fields', async () => {
    const { data, errors } = await execute(OrgInviteDocument, { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID, inviteId });
    expect(errors).toBeUndefined();
    const held = stack.simulator.store.find(DEMO_INSTANCE_ID, DEMO_ORG_ID, inviteId)!;
    const invite = data!.orgInvite!;
    expect(invite.email).toBe(held.email);
    expect(invite.status).toBe(held.hasExpired ? InviteStatus.EXPIRED : InviteStatus.PENDING);
    expect(Date.parse(invite.expiresAt!)).toBe(Date.parse(held.inviteDate) + held.ttl);
  });

  test('ResendInvite renews the invite with its new role', async () => {
    const response = await execute(ResendInviteDocument, {
      instanceId: DEMO_INSTANCE_ID,
      orgId: DEMO_ORG_ID,
      inviteId,
      roles: { role: 'ADMIN' },
    });
    expect(present(dataOf(response).resendInvite, response).invite).toMatchObject({
      id: inviteId,
      role: 'ADMIN',
      status: InviteStatus.PENDING,
    });
  });

  test('RevokeInvite answers the list without the revoked invite', async () => {
    const response = await execute(RevokeInviteDocument, {
      instanceId: DEMO_INSTANCE_ID,
      orgId: DEMO_ORG_ID,
      inviteId: '6a0000000000000000000007',
    });
    const revoked = present(dataOf(response).revokeInvite, response);
    expect(revoked.success).toBe(true);
    expect(present(revoked.query.orgInvites, response).items.map((item) => item.id)).not.toContain('6a0000000000000000000007');
  });
});
