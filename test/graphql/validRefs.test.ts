import { validInviteRef, validOrgRef } from '../../src/graphql/validRefs';

const INSTANCE_ID = '5f1e0a9b2c3d4e5f60718293';
const ORG_ID = '5f1e0a9b2c3d4e5f60718294';
const INVITE_ID = '5f1e0a9b2c3d4e5f60718295';

/** GraphQL hands resolvers input objects without a prototype. */
function nullProto<T extends object>(value: T): T {
  return Object.assign(Object.create(null) as T, value);
}

describe('validOrgRef', () => {
  test('answers a plain OrgRef for valid ids', () => {
    const ref = validOrgRef(nullProto({ instanceId: '5f1e0a9b2c3d4e5f60718293', orgId: '5f1e0a9b2c3d4e5f60718294' }));
    expect(ref).toStrictEqual({ instanceId: '5f1e0a9b2c3d4e5f60718293', orgId: '5f1e0a9b2c3d4e5f60718294' });
  });

  test('names the bad id', () => {
    expect(() => validOrgRef({ instanceId: 'nope', orgId: '5f1e0a9b2c3d4e5f60718294' })).toThrow(/^instanceId/);
    expect(() => validOrgRef({ instanceId: '5f1e0a9b2c3d4e5f60718293', orgId: 'nope' })).toThrow(/^orgId/);
  });
});

describe('validInviteRef', () => {
  test('answers a plain InviteRef for valid ids', () => {
    const ref = validInviteRef(nullProto({ instanceId: INSTANCE_ID, orgId: ORG_ID, inviteId: INVITE_ID, losantdomain: 'x' }));
    expect(ref).toStrictEqual({ instanceId: INSTANCE_ID, orgId: ORG_ID, inviteId: INVITE_ID });
  });

  test('names the bad id, the invite id by the path it was given', () => {
    expect(() => validInviteRef({ instanceId: INSTANCE_ID, orgId: 'nope', inviteId: INVITE_ID })).toThrow(/^orgId/);
    expect(() => validInviteRef({ instanceId: INSTANCE_ID, orgId: ORG_ID, inviteId: 'nope' })).toThrow(/^inviteId/);
    expect(() => validInviteRef({ instanceId: INSTANCE_ID, orgId: ORG_ID, inviteId: 'nope' }, 'id')).toThrow(/^id\b/);
  });
});
