import {
  DEMO_INSTANCE_ID,
  DEMO_ORG_ID,
  DEMO_SECOND_ORG_ID,
  errorCodes,
  graphql,
  GraphQLResult,
  startStack,
  TestStack,
} from '../support/stack';
import { DEMO_ORG } from '../support/operations';

/*
 * Fields that can fail on their own (mutations, lists, single reads) are nullable, so one failure
 * nulls that field alone: the rest of the operation, a write that succeeded included, still
 * reaches the client, with an error whose path names the failed field.
 */

/** An id no organization or invite of the demo data has: the simulator answers 404. */
const UNKNOWN_ID = 'ffffffffffffffffffffffff';
const inviteId = (n: number) => `6a00000000000000000000${n.toString(16).padStart(2, '0')}`;

let stack: TestStack;
beforeEach(async () => {
  stack = await startStack();
});
afterEach(() => stack.close());

/** Each error's path and code, for one exact comparison. */
function pathsAndCodes(result: GraphQLResult<unknown>): Array<{ path: unknown; code: unknown }> {
  return (result.body.errors ?? []).map((error) => ({ path: error.path, code: error.extensions?.code }));
}

describe('mutations', () => {
  test('a second invite for the same email fails alone: the first invite is answered with the second’s error', async () => {
    const operation = `mutation($instanceId: ID!, $orgId: ID!) {
      a: inviteMember(instanceId: $instanceId, orgId: $orgId, invite: { email: "twice@example.com", role: VIEW }) { invite { id email role } invites { count } }
      b: inviteMember(instanceId: $instanceId, orgId: $orgId, invite: { email: "twice@example.com", role: VIEW }) { invite { id email role } invites { count } }
    }`;
    const result = await graphql<{
      a: { invite: { id: string; email: string; role: string }; invites: { count: number } } | null;
      b: unknown;
    }>(stack.graphqlUrl, operation, { variables: { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_SECOND_ORG_ID } });

    const held = stack.simulator.store
      .invites(DEMO_INSTANCE_ID, DEMO_SECOND_ORG_ID)!
      .filter((invite) => invite.email === 'twice@example.com');
    expect(held).toHaveLength(1);
    expect(result.body.data).toEqual({
      a: { invite: { id: held[0].id, email: 'twice@example.com', role: 'VIEW' }, invites: { count: 4 } },
      b: null,
    });
    expect(pathsAndCodes(result)).toEqual([{ path: ['b'], code: 'BAD_USER_INPUT' }]);
    // The upstream refused the second one: the client can tell it never happened.
    expect(result.body.errors![0].extensions).toMatchObject({ upstreamStatus: 400, mayHaveSucceeded: false });
    expect(stack.simulator.callsTo('POST')).toHaveLength(2);
  });

  test('after a failed revoke, the invite and the resend that follow still run and are answered', async () => {
    const operation = `mutation($instanceId: ID!, $orgId: ID!, $unknown: ID!, $resent: ID!) {
      invited: inviteMember(instanceId: $instanceId, orgId: $orgId, invite: { email: "kept@example.com", role: EDIT }) { invite { email } }
      revoked: revokeInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $unknown) { success revokedInviteId }
      resent: resendInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $resent, roles: { role: ADMIN }) { invite { id role } }
    }`;
    const result = await graphql(stack.graphqlUrl, operation, { variables: { ...DEMO_ORG, unknown: UNKNOWN_ID, resent: inviteId(6) } });

    expect(result.body.data).toEqual({
      invited: { invite: { email: 'kept@example.com' } },
      revoked: null,
      resent: { invite: { id: inviteId(6), role: 'ADMIN' } },
    });
    expect(pathsAndCodes(result)).toEqual([{ path: ['revoked'], code: 'NOT_FOUND' }]);
    expect(stack.simulator.callsTo('POST')).toHaveLength(2);
    expect(stack.simulator.callsTo('DELETE')).toHaveLength(1);
  });

  test('a read after the mutation that fails nulls the read, not the mutation’s answer', async () => {
    const operation = `mutation($instanceId: ID!, $orgId: ID!, $unknown: ID!) {
      inviteMember(instanceId: $instanceId, orgId: $orgId, invite: { email: "then.read@example.com", role: VIEW }) {
        invite { email }
        query {
          mine: orgInvites(instanceId: $instanceId, orgId: $orgId) { count }
          missing: orgInvites(instanceId: $instanceId, orgId: $unknown) { count }
        }
      }
    }`;
    const result = await graphql(stack.graphqlUrl, operation, { variables: { ...DEMO_ORG, unknown: UNKNOWN_ID } });

    expect(result.body.data).toEqual({
      inviteMember: { invite: { email: 'then.read@example.com' }, query: { mine: { count: 8 }, missing: null } },
    });
    expect(pathsAndCodes(result)).toEqual([{ path: ['inviteMember', 'query', 'missing'], code: 'NOT_FOUND' }]);
  });
});

describe('queries', () => {
  test('one failing root read is null with its error; the reads beside it are answered', async () => {
    const operation = `query($instanceId: ID!, $orgId: ID!, $unknown: ID!) {
      known: orgInvites(instanceId: $instanceId, orgId: $orgId) { count }
      missing: orgInvites(instanceId: $instanceId, orgId: $unknown) { count }
      org: instanceOrg(instanceId: $instanceId, orgId: $orgId) { orgId invites { count } }
      malformed: instanceOrg(instanceId: $instanceId, orgId: "nope") { orgId }
      invite: orgInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $unknown) { id }
    }`;
    const result = await graphql(stack.graphqlUrl, operation, { variables: { ...DEMO_ORG, unknown: UNKNOWN_ID } });

    expect(result.body.data).toEqual({
      known: { count: 7 },
      missing: null,
      org: { orgId: DEMO_ORG_ID, invites: { count: 7 } },
      malformed: null,
      invite: null,
    });
    expect(errorCodes(result)).toHaveLength(3);
    expect(pathsAndCodes(result)).toEqual(
      expect.arrayContaining([
        { path: ['missing'], code: 'NOT_FOUND' },
        { path: ['malformed'], code: 'BAD_USER_INPUT' },
        { path: ['invite'], code: 'NOT_FOUND' },
      ]),
    );
  });

  test('an organization whose invites fail keeps its ids; its invites alone are null', async () => {
    const operation = `query($instanceId: ID!, $orgId: ID!, $unknown: ID!) {
      known: instanceOrg(instanceId: $instanceId, orgId: $orgId) { orgId invites { count } }
      missing: instanceOrg(instanceId: $instanceId, orgId: $unknown) { orgId invites { count } }
    }`;
    const result = await graphql(stack.graphqlUrl, operation, { variables: { ...DEMO_ORG, unknown: UNKNOWN_ID } });

    expect(result.body.data).toEqual({
      known: { orgId: DEMO_ORG_ID, invites: { count: 7 } },
      missing: { orgId: UNKNOWN_ID, invites: null },
    });
    expect(pathsAndCodes(result)).toEqual([{ path: ['missing', 'invites'], code: 'NOT_FOUND' }]);
  });
});
