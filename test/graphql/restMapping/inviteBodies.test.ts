import { OrgRole, ResourceRole } from '../../../src/graphql/enums';
import { invitePostBody, roleInfoBody } from '../../../src/graphql/restMapping/inviteBodies';
import type { OrgInviteInput } from '../../../src/graphql/types/OrgInviteInput';
import type { OrgRoleInfoInput } from '../../../src/graphql/types/OrgRoleInfoInput';
import { assertInviteBody, assertRoleInfoBody } from '../../../src/validation/inputValidation';

const APP_ID = '5f1e0a9b2c3d4e5f607182a1';
const DASH_ID = '5f1e0a9b2c3d4e5f607182b1';

/** GraphQL hands resolvers input objects without a prototype. */
function nullProto<T extends object>(value: T): T {
  return Object.assign(Object.create(null) as T, value);
}

describe('invitePostBody', () => {
  test('leaves out absent and null optionals', () => {
    expect(invitePostBody({ email: 'ada@example.com', role: OrgRole.ADMIN })).toStrictEqual({ email: 'ada@example.com', role: 'admin' });
    expect(
      invitePostBody({
        email: 'ada@example.com',
        role: OrgRole.VIEW,
        applicationRoles: null,
        dashboardRoles: null,
        disallowTransfer: null,
      }),
    ).toStrictEqual({ email: 'ada@example.com', role: 'view' });
  });

  test('keeps empty lists and a false disallowTransfer', () => {
    expect(
      invitePostBody({ email: 'ada@example.com', role: OrgRole.EDIT, applicationRoles: [], dashboardRoles: [], disallowTransfer: false }),
    ).toStrictEqual({ email: 'ada@example.com', role: 'edit', applicationRoles: [], dashboardRoles: [], disallowTransfer: false });
  });

  test('copies null-prototype grants into a body that passes the contract', () => {
    const input = nullProto<OrgInviteInput>({
      email: 'ada@example.com',
      role: OrgRole.NONE,
      applicationRoles: [nullProto({ resourceId: APP_ID, role: ResourceRole.COLLABORATE })],
      dashboardRoles: [nullProto({ resourceId: DASH_ID, role: ResourceRole.VIEW })],
      disallowTransfer: true,
    });
    const body = invitePostBody(input);
    expect(body).toStrictEqual({
      email: 'ada@example.com',
      role: 'none',
      applicationRoles: [{ resourceId: APP_ID, role: 'collaborate' }],
      dashboardRoles: [{ resourceId: DASH_ID, role: 'view' }],
      disallowTransfer: true,
    });
    expect(Object.getPrototypeOf(body.applicationRoles?.[0])).toBe(Object.prototype);
    expect(() => assertInviteBody(body, 'invite')).not.toThrow();
    expect(JSON.parse(JSON.stringify(body))).toStrictEqual(body);
  });
});

describe('roleInfoBody', () => {
  test('sends nothing for fields left out or null, so they keep their value', () => {
    expect(roleInfoBody({})).toStrictEqual({});
    expect(roleInfoBody({ role: null, applicationRoles: null, dashboardRoles: null })).toStrictEqual({});
  });

  test('translates the role and the grants into a body that passes the contract', () => {
    const input = nullProto<OrgRoleInfoInput>({
      role: OrgRole.EDIT,
      applicationRoles: [nullProto({ resourceId: APP_ID, role: ResourceRole.COLLABORATE })],
      dashboardRoles: [],
    });
    const body = roleInfoBody(input);
    expect(body).toStrictEqual({ role: 'edit', applicationRoles: [{ resourceId: APP_ID, role: 'collaborate' }], dashboardRoles: [] });
    expect(() => assertRoleInfoBody(body, 'roles')).not.toThrow();
  });
});
