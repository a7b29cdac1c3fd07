import { DEMO_INSTANCE_ID, DEMO_SECOND_ORG_ID, DEMO_TOKENS, errorCodes, graphql, startStack, TestStack } from '../support/stack';
import { CollectionView, DEMO_ORG, INVITE_FIELDS, INVITE_MEMBER, InviteView } from '../support/operations';

let stack: TestStack;
beforeEach(async () => {
  stack = await startStack();
});
afterEach(() => stack.close());

interface InviteMemberData {
  inviteMember: { invite: InviteView | null; invites: { count: number; items: Array<{ id: string; email: string }> } };
}

const APP_ID = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const DASHBOARD_ID = 'bbbbbbbbbbbbbbbbbbbbbbbb';

describe('inviteMember', () => {
  test('creates the invite with every input field, once, and answers it with the collection', async () => {
    const invite = {
      email: 'new.member@example.com',
      role: 'COLLABORATE',
      applicationRoles: [{ resourceId: APP_ID, role: 'VIEW' }],
      dashboardRoles: [{ resourceId: DASHBOARD_ID, role: 'COLLABORATE' }],
      disallowTransfer: true,
    };
    const result = await graphql<InviteMemberData>(stack.graphqlUrl, INVITE_MEMBER, { variables: { ...DEMO_ORG, invite } });
    expect(result.body.errors).toBeUndefined();
    const { invite: created, invites } = result.body.data!.inviteMember;
    expect(created).toMatchObject({
      email: invite.email,
      role: 'COLLABORATE',
      applicationRoles: [{ resourceId: APP_ID, role: 'VIEW' }],
      dashboardRoles: [{ resourceId: DASHBOARD_ID, role: 'COLLABORATE' }],
      disallowTransfer: true,
      hasExpired: false,
    });
    expect(invites.count).toBe(8);
    expect(invites.items.map((i) => i.id)).toContain(created!.id);

    const posts = stack.simulator.callsTo('POST');
    expect(posts).toHaveLength(1);
    expect(posts[0].headers['content-type']).toBe('application/json');
    // The body is the contract's orgInvitePost, with REST enum values.
    expect(posts[0].body).toEqual({
      email: invite.email,
      role: 'collaborate',
      applicationRoles: [{ resourceId: APP_ID, role: 'view' }],
      dashboardRoles: [{ resourceId: DASHBOARD_ID, role: 'collaborate' }],
      disallowTransfer: true,
    });
  });

  test('leaves optional fields out of the REST body when not given', async () => {
    await graphql(stack.graphqlUrl, INVITE_MEMBER, { variables: { ...DEMO_ORG, invite: { email: 'min@example.com', role: 'VIEW' } } });
    expect(stack.simulator.callsTo('POST')[0].body).toEqual({ email: 'min@example.com', role: 'view' });
  });

  test('every OrgRole value reaches the upstream as its REST value and comes back', async () => {
    for (const [graphqlRole, restRole] of Object.entries({
      ADMIN: 'admin',
      EDIT: 'edit',
      COLLABORATE: 'collaborate',
      VIEW: 'view',
      NONE: 'none',
    })) {
      const email = `${restRole}@roles.example.com`;
      const result = await graphql<InviteMemberData>(stack.graphqlUrl, INVITE_MEMBER, {
        variables: { ...DEMO_ORG, invite: { email, role: graphqlRole } },
      });
      expect(result.body.data!.inviteMember.invite).toMatchObject({ email, role: graphqlRole });
      expect(stack.simulator.callsTo('POST').at(-1)!.body).toMatchObject({ role: restRole });
    }
  });

  test('a list read after the mutation in the same operation sees the new invite; the earlier read was one call', async () => {
    const operation = `
      mutation InviteAndRead($instanceId: ID!, $orgId: ID!, $other: ID!) {
        first: inviteMember(instanceId: $instanceId, orgId: $orgId, invite: { email: "one@example.com", role: VIEW }) {
          invite { id }
          query {
            before: orgInvites(instanceId: $instanceId, orgId: $orgId) { count }
            elsewhere: orgInvites(instanceId: $instanceId, orgId: $other) { count }
          }
        }
        second: inviteMember(instanceId: $instanceId, orgId: $orgId, invite: { email: "two@example.com", role: EDIT }) {
          query {
            after: orgInvites(instanceId: $instanceId, orgId: $orgId) { count items { email } }
            elsewhere: orgInvites(instanceId: $instanceId, orgId: $other) { count }
          }
        }
      }`;
    const result = await graphql<{
      first: { invite: { id: string }; query: { before: CollectionView; elsewhere: CollectionView } };
      second: { query: { after: CollectionView; elsewhere: CollectionView } };
    }>(stack.graphqlUrl, operation, { variables: { ...DEMO_ORG, other: DEMO_SECOND_ORG_ID } });
    expect(result.body.errors).toBeUndefined();
    const data = result.body.data!;
    expect(data.first.query.before.count).toBe(8);
    expect(data.second.query.after.count).toBe(9);
    expect(data.second.query.after.items.map((i) => i.email)).toEqual(expect.arrayContaining(['one@example.com', 'two@example.com']));
    // The second org's list was not made stale by invites to the first, so it was read once.
    const gets = stack.simulator.callsTo('GET');
    expect(gets.filter((g) => g.path.includes(DEMO_SECOND_ORG_ID))).toHaveLength(1);
    expect(gets.filter((g) => g.path.includes(DEMO_ORG.orgId))).toHaveLength(2);
    expect(stack.simulator.callsTo('POST')).toHaveLength(2);
  });

  test('a second pending invite for the same email is refused by the upstream as BAD_USER_INPUT, nothing created twice', async () => {
    const variables = { ...DEMO_ORG, invite: { email: 'ada@example.com', role: 'VIEW' } };
    const result = await graphql(stack.graphqlUrl, INVITE_MEMBER, { variables });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.body.errors![0].extensions).toMatchObject({ upstreamStatus: 400, upstreamType: 'Validation' });
    expect(stack.simulator.store.invites(DEMO_INSTANCE_ID, DEMO_ORG.orgId)!.filter((i) => i.email === 'ada@example.com')).toHaveLength(1);
  });

  test('a read-only token gets FORBIDDEN and the POST was sent exactly once', async () => {
    const result = await graphql(stack.graphqlUrl, INVITE_MEMBER, {
      variables: { ...DEMO_ORG, invite: { email: 'ro@example.com', role: 'VIEW' } },
      token: DEMO_TOKENS.readOnly,
    });
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
    expect(result.body.errors![0].extensions).toMatchObject({ upstreamStatus: 403 });
    expect(stack.simulator.callsTo('POST')).toHaveLength(1);
  });

  test('a POST that fails with 503 is not retried', async () => {
    stack.simulator.faults.inject({ kind: 'status', status: 503 }, { method: 'POST' });
    const result = await graphql(stack.graphqlUrl, INVITE_MEMBER, {
      variables: { ...DEMO_ORG, invite: { email: 'once@example.com', role: 'VIEW' } },
    });
    expect(errorCodes(result)).toEqual(['UPSTREAM_ERROR']);
    expect(stack.simulator.callsTo('POST')).toHaveLength(1);
  });

  test('finds the new invite in the returned collection whatever the case of its email, with empty role lists', async () => {
    const result = await graphql<InviteMemberData>(
      stack.graphqlUrl,
      `mutation($instanceId: ID!, $orgId: ID!) { inviteMember(instanceId: $instanceId, orgId: $orgId, invite: { email: "Mixed.Case@Example.com", role: NONE }) { invite { ${INVITE_FIELDS} } invites { count items { id email } } } }`,
      { variables: DEMO_ORG },
    );
    expect(result.body.data!.inviteMember.invite).toMatchObject({
      email: 'Mixed.Case@Example.com',
      role: 'NONE',
      applicationRoles: [],
      dashboardRoles: [],
    });
  });
});
