import {
  DEMO_INSTANCE_ID,
  DEMO_ORG_ID,
  DEMO_SECOND_ORG_ID,
  DEMO_TOKENS,
  errorCodes,
  graphql,
  startStack,
  TestStack,
} from '../support/stack';
import { DEMO_ORG } from '../support/operations';

/** One invite: read it, revoke it, resend it; computed fields; the OrgInvite entity. */

const inviteId = (n: number) => `6a00000000000000000000${n.toString(16).padStart(2, '0')}`;

const ORG_INVITE = `
  query OrgInvite($instanceId: ID!, $orgId: ID!, $inviteId: ID!) {
    orgInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $inviteId) {
      id instanceId orgId email role inviteDate ttl hasExpired expiresAt status
      applicationRoles { resourceId role }
    }
  }`;

interface InviteData {
  id: string;
  instanceId: string;
  orgId: string;
  email: string;
  role: string;
  inviteDate: string;
  ttl: number;
  hasExpired: boolean;
  expiresAt: string;
  status: string;
  applicationRoles: Array<{ resourceId: string; role: string }>;
}

let stack: TestStack;
beforeEach(async () => {
  stack = await startStack();
});
afterEach(() => stack.close());

describe('orgInvite', () => {
  test('reads one invite with its computed expiresAt and status', async () => {
    const result = await graphql<{ orgInvite: InviteData }>(stack.graphqlUrl, ORG_INVITE, {
      variables: { ...DEMO_ORG, inviteId: inviteId(2) },
    });
    expect(result.body.errors).toBeUndefined();
    const invite = result.body.data!.orgInvite;
    const held = stack.simulator.store.find(DEMO_INSTANCE_ID, DEMO_ORG_ID, inviteId(2))!;
    expect(invite).toMatchObject({
      id: inviteId(2),
      instanceId: DEMO_INSTANCE_ID,
      orgId: DEMO_ORG_ID,
      email: held.email,
      role: 'EDIT',
      status: 'PENDING',
    });
    expect(Date.parse(invite.expiresAt)).toBe(Date.parse(held.inviteDate) + held.ttl);
    expect(stack.simulator.callsTo('GET')[0].path).toBe(`/instances/${DEMO_INSTANCE_ID}/orgs/${DEMO_ORG_ID}/invites/${inviteId(2)}`);
  });

  test('an expired invite reads EXPIRED, with expiresAt in the past', async () => {
    const result = await graphql<{ orgInvite: InviteData }>(stack.graphqlUrl, ORG_INVITE, {
      variables: { ...DEMO_ORG, inviteId: inviteId(6) },
    });
    expect(result.body.data!.orgInvite).toMatchObject({ hasExpired: true, status: 'EXPIRED' });
    expect(Date.parse(result.body.data!.orgInvite.expiresAt)).toBeLessThan(Date.now());
  });

  test('lists carry the computed fields too', async () => {
    const result = await graphql<{ orgInvites: { items: Array<{ status: string; hasExpired: boolean }> } }>(
      stack.graphqlUrl,
      `
        query ($instanceId: ID!, $orgId: ID!) {
          orgInvites(instanceId: $instanceId, orgId: $orgId) {
            items {
              hasExpired
              status
              expiresAt
            }
          }
        }
      `,
      { variables: DEMO_ORG },
    );
    for (const item of result.body.data!.orgInvites.items) expect(item.status).toBe(item.hasExpired ? 'EXPIRED' : 'PENDING');
  });

  test('an unknown invite is null with NOT_FOUND; a malformed id is BAD_USER_INPUT with no call', async () => {
    const unknown = await graphql<{ orgInvite: null }>(stack.graphqlUrl, ORG_INVITE, {
      variables: { ...DEMO_ORG, inviteId: 'ffffffffffffffffffffffff' },
    });
    expect(unknown.body.data).toEqual({ orgInvite: null });
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
    stack.simulator.requests.length = 0;
    const malformed = await graphql(stack.graphqlUrl, ORG_INVITE, { variables: { ...DEMO_ORG, inviteId: 'x' } });
    expect(errorCodes(malformed)).toEqual(['BAD_USER_INPUT']);
    expect(malformed.body.errors![0].extensions).toMatchObject({ argumentPath: 'inviteId' });
    expect(stack.simulator.requests).toHaveLength(0);
  });

  test('the same invite twice in one operation is one call; the token and losantdomain are forwarded', async () => {
    const query = `query($instanceId: ID!, $orgId: ID!, $inviteId: ID!) {
      a: orgInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $inviteId, losantdomain: "example.com") { email }
      b: orgInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $inviteId, losantdomain: "example.com") { role }
    }`;
    const result = await graphql(stack.graphqlUrl, query, {
      variables: { ...DEMO_ORG, inviteId: inviteId(1) },
      token: DEMO_TOKENS.readOnly,
    });
    expect(result.body.errors).toBeUndefined();
    const gets = stack.simulator.callsTo('GET');
    expect(gets).toHaveLength(1);
    expect(gets[0].headers).toMatchObject({ authorization: `Bearer ${DEMO_TOKENS.readOnly}`, losantdomain: 'example.com' });
  });

  test('without a token: UNAUTHENTICATED before any call', async () => {
    const result = await graphql(stack.graphqlUrl, ORG_INVITE, { variables: { ...DEMO_ORG, inviteId: inviteId(1) }, token: null });
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    expect(stack.simulator.requests).toHaveLength(0);
  });
});

describe('revokeInvite', () => {
  const REVOKE = `mutation($instanceId: ID!, $orgId: ID!, $inviteId: ID!) {
    revokeInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $inviteId) { success revokedInviteId }
  }`;

  test('revokes once, with DELETE', async () => {
    const result = await graphql(stack.graphqlUrl, REVOKE, { variables: { ...DEMO_ORG, inviteId: inviteId(3) } });
    expect(result.body.data).toEqual({ revokeInvite: { success: true, revokedInviteId: inviteId(3) } });
    expect(stack.simulator.callsTo('DELETE')).toHaveLength(1);
    expect(stack.simulator.store.find(DEMO_INSTANCE_ID, DEMO_ORG_ID, inviteId(3))).toBeUndefined();
  });

  test('list, revoke, list again in one operation: the second read is fresh and the invite is gone', async () => {
    const operation = `mutation($instanceId: ID!, $orgId: ID!, $other: ID!, $first: ID!, $second: ID!) {
      first: revokeInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $first) {
        query {
          list: orgInvites(instanceId: $instanceId, orgId: $orgId) { count items { id } }
          one: orgInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $second) { id }
          other: orgInvites(instanceId: $instanceId, orgId: $other) { count }
        }
      }
      second: revokeInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $second) {
        query {
          list: orgInvites(instanceId: $instanceId, orgId: $orgId) { count items { id } }
          one: orgInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $second) { id }
          other: orgInvites(instanceId: $instanceId, orgId: $other) { count }
        }
      }
    }`;
    type Reads = { list: { count: number; items: Array<{ id: string }> }; one: { id: string } | null; other: { count: number } };
    const result = await graphql<{ first: { query: Reads }; second: { query: Reads } }>(stack.graphqlUrl, operation, {
      variables: { ...DEMO_ORG, other: DEMO_SECOND_ORG_ID, first: inviteId(3), second: inviteId(4) },
    });
    const { first, second } = result.body.data!;
    expect(first.query.list.count).toBe(6);
    expect(first.query.list.items.map((i) => i.id)).toContain(inviteId(4));
    expect(first.query.one).toEqual({ id: inviteId(4) });
    expect(second.query.list.count).toBe(5);
    expect(second.query.list.items.map((i) => i.id)).not.toContain(inviteId(4));
    expect(second.query.one).toBeNull();
    expect(errorCodes(result)).toEqual(['NOT_FOUND']);
    // The other org's list was not cleared by revokes in this org: one call for it.
    expect(stack.simulator.callsTo('GET').filter((get) => get.path.includes(DEMO_SECOND_ORG_ID))).toHaveLength(1);
  });

  test('an unknown invite: NOT_FOUND; a read-only token: FORBIDDEN; a 503: UPSTREAM_ERROR, sent once', async () => {
    expect(
      errorCodes(await graphql(stack.graphqlUrl, REVOKE, { variables: { ...DEMO_ORG, inviteId: 'ffffffffffffffffffffffff' } })),
    ).toEqual(['NOT_FOUND']);
    expect(
      errorCodes(
        await graphql(stack.graphqlUrl, REVOKE, { variables: { ...DEMO_ORG, inviteId: inviteId(3) }, token: DEMO_TOKENS.readOnly }),
      ),
    ).toEqual(['FORBIDDEN']);
    stack.simulator.requests.length = 0;
    stack.simulator.faults.inject({ kind: 'status', status: 503 }, { method: 'DELETE' });
    expect(errorCodes(await graphql(stack.graphqlUrl, REVOKE, { variables: { ...DEMO_ORG, inviteId: inviteId(3) } }))).toEqual([
      'UPSTREAM_ERROR',
    ]);
    expect(stack.simulator.callsTo('DELETE')).toHaveLength(1);
  });
});

describe('resendInvite', () => {
  const RESEND = `mutation($instanceId: ID!, $orgId: ID!, $inviteId: ID!, $roles: OrgRoleInfoInput!) {
    resendInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $inviteId, roles: $roles) {
      invite { id role status applicationRoles { resourceId role } dashboardRoles { resourceId role } }
    }
  }`;

  test('resends with new roles, once, and renews an expired invite', async () => {
    const roles = { role: 'ADMIN', applicationRoles: [{ resourceId: 'aaaaaaaaaaaaaaaaaaaaaaaa', role: 'COLLABORATE' }] };
    const result = await graphql<{ resendInvite: { invite: Record<string, unknown> } }>(stack.graphqlUrl, RESEND, {
      variables: { ...DEMO_ORG, inviteId: inviteId(6), roles },
    });
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data!.resendInvite.invite).toMatchObject({
      id: inviteId(6),
      role: 'ADMIN',
      status: 'PENDING',
      applicationRoles: [{ resourceId: 'aaaaaaaaaaaaaaaaaaaaaaaa', role: 'COLLABORATE' }],
    });
    const posts = stack.simulator.callsTo('POST');
    expect(posts).toHaveLength(1);
    expect(posts[0].body).toEqual({ role: 'admin', applicationRoles: [{ resourceId: 'aaaaaaaaaaaaaaaaaaaaaaaa', role: 'collaborate' }] });
  });

  test('an empty roles input sends an empty body and keeps the roles', async () => {
    const result = await graphql<{ resendInvite: { invite: { role: string } } }>(stack.graphqlUrl, RESEND, {
      variables: { ...DEMO_ORG, inviteId: inviteId(2), roles: {} },
    });
    expect(result.body.data!.resendInvite.invite.role).toBe('EDIT');
    expect(stack.simulator.callsTo('POST')[0].body).toEqual({});
  });

  test('more than 100 grants: BAD_USER_INPUT naming roles.dashboardRoles, no call', async () => {
    const dashboardRoles = Array.from({ length: 101 }, (_, i) => ({ resourceId: i.toString(16).padStart(24, '0'), role: 'VIEW' }));
    const result = await graphql(stack.graphqlUrl, RESEND, {
      variables: { ...DEMO_ORG, inviteId: inviteId(2), roles: { dashboardRoles } },
    });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.body.errors![0].extensions).toMatchObject({ argumentPath: 'roles.dashboardRoles' });
    expect(stack.simulator.requests).toHaveLength(0);
  });

  test('a resend clears the cached invite: a read after it in the same operation sees the new role', async () => {
    const operation = `mutation($instanceId: ID!, $orgId: ID!, $inviteId: ID!) {
      a: resendInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $inviteId, roles: { role: VIEW }) { query { orgInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $inviteId) { role } } }
      b: resendInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $inviteId, roles: { role: NONE }) { query { orgInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $inviteId) { role } } }
    }`;
    const result = await graphql<{ a: { query: { orgInvite: { role: string } } }; b: { query: { orgInvite: { role: string } } } }>(
      stack.graphqlUrl,
      operation,
      {
        variables: { ...DEMO_ORG, inviteId: inviteId(2) },
      },
    );
    expect(result.body.data!.a.query.orgInvite.role).toBe('VIEW');
    expect(result.body.data!.b.query.orgInvite.role).toBe('NONE');
  });
});

describe('OrgInvite as a federation entity', () => {
  const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on OrgInvite { id email status } } }`;
  const ref = (id: string) => ({ __typename: 'OrgInvite', instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID, id });

  test('resolves by its full key through the single-invite action; repeats share a call', async () => {
    const result = await graphql<{ _entities: Array<{ id: string; email: string; status: string }> }>(stack.graphqlUrl, ENTITIES, {
      variables: { representations: [ref(inviteId(1)), ref(inviteId(6)), ref(inviteId(1))] },
    });
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data!._entities).toEqual([
      { id: inviteId(1), email: 'ada@example.com', status: 'PENDING' },
      { id: inviteId(6), email: 'barbara@example.com', status: 'EXPIRED' },
      { id: inviteId(1), email: 'ada@example.com', status: 'PENDING' },
    ]);
    expect(stack.simulator.callsTo('GET')).toHaveLength(2);
  });

  test('a malformed id is BAD_USER_INPUT naming id; an unknown one NOT_FOUND', async () => {
    const result = await graphql(stack.graphqlUrl, ENTITIES, {
      variables: { representations: [ref('bad'), ref('ffffffffffffffffffffffff')] },
    });
    expect(errorCodes(result).sort()).toEqual(['BAD_USER_INPUT', 'NOT_FOUND']);
  });
});
