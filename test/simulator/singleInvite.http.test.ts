import type { OrgInviteDto, SuccessDto } from '../../src/contract/types';
import { contractSchemas } from '../../src/contract/validators';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_SECOND_ORG_ID, DEMO_TOKENS, INVITE_TTL_MS } from '../../src/simulator/demoData';
import { SimulatorServer } from '../../src/simulator/SimulatorServer';
import { call, demoId, expectError, expectValid, invitesPath, list, SimResponse } from './helpers';

/** The single-invite resource: GET reads, DELETE revokes, POST resends with new roles. */

let sim: SimulatorServer;
let url: string;
let clock: Date;
beforeEach(async () => {
  clock = new Date('2026-06-01T12:00:00.000Z');
  sim = new SimulatorServer({ now: () => clock });
  url = await sim.listen(0, '127.0.0.1');
});
afterEach(() => sim.close());

const invitePath = (id: string, orgId = DEMO_ORG_ID) => `${invitesPath(DEMO_INSTANCE_ID, orgId)}/${id}`;

function expectInvite(response: SimResponse, status: number): OrgInviteDto {
  expect(response.status).toBe(status);
  const body = JSON.parse(response.text) as OrgInviteDto;
  expectValid(contractSchemas.orgInvite, body);
  return body;
}

describe('GET', () => {
  test('answers one invite, valid against orgInvite', async () => {
    const invite = expectInvite(await call(url, 'GET', invitePath(demoId(2))), 200);
    expect(invite).toMatchObject({ id: demoId(2), email: 'grace@example.com', role: 'edit' });
  });

  test('404 for an unknown invite, and for an invite of another org', async () => {
    expectValid(contractSchemas.error, JSON.parse((await call(url, 'GET', invitePath('ffffffffffffffffffffffff'))).text));
    expect(expectError(await call(url, 'GET', invitePath('ffffffffffffffffffffffff')), 404, 'NotFound').message).toMatch(/Invite/);
    expectError(await call(url, 'GET', invitePath(demoId(2), DEMO_SECOND_ORG_ID)), 404, 'NotFound');
  });

  test('400 for a malformed invite id', async () => {
    expect(expectError(await call(url, 'GET', invitePath('nope')), 400, 'Validation').message).toMatch(/inviteId/);
  });

  test('the read-only token may read; the no-invites token may not', async () => {
    expectInvite(await call(url, 'GET', invitePath(demoId(1)), { token: DEMO_TOKENS.readOnly }), 200);
    expectError(await call(url, 'GET', invitePath(demoId(1)), { token: DEMO_TOKENS.noInvites }), 403, 'Forbidden');
    expectError(await call(url, 'GET', invitePath(demoId(1)), { token: null }), 401, 'Unauthorized');
  });
});

describe('DELETE', () => {
  test('revokes: 200 success, then the invite is gone from GET and from the list', async () => {
    const response = await call(url, 'DELETE', invitePath(demoId(3)));
    expect(response.status).toBe(200);
    const body = JSON.parse(response.text) as SuccessDto;
    expectValid(contractSchemas.success, body);
    expect(body).toEqual({ success: true });
    expectError(await call(url, 'GET', invitePath(demoId(3))), 404, 'NotFound');
    const collection = JSON.parse((await list(url)).text) as { items: OrgInviteDto[] };
    expect(collection.items.map((i) => i.id)).not.toContain(demoId(3));
  });

  test('a second revoke of the same invite is a 404', async () => {
    await call(url, 'DELETE', invitePath(demoId(3)));
    expectError(await call(url, 'DELETE', invitePath(demoId(3))), 404, 'NotFound');
  });

  test('the read-only token may not revoke', async () => {
    expectError(await call(url, 'DELETE', invitePath(demoId(3)), { token: DEMO_TOKENS.readOnly }), 403, 'Forbidden');
    expectInvite(await call(url, 'GET', invitePath(demoId(3))), 200);
  });
});

describe('POST (resend)', () => {
  test('201 with the invite, new roles, a new date and a fresh ttl; fields left out are kept', async () => {
    const before = expectInvite(await call(url, 'GET', invitePath(demoId(4))), 200);
    clock = new Date('2026-06-02T12:00:00.000Z');
    const resent = expectInvite(
      await call(url, 'POST', invitePath(demoId(4)), {
        body: { role: 'admin', dashboardRoles: [{ resourceId: 'dddddddddddddddddddddddd', role: 'view' }] },
      }),
      201,
    );
    expect(resent).toMatchObject({
      id: demoId(4),
      role: 'admin',
      applicationRoles: before.applicationRoles,
      dashboardRoles: [{ resourceId: 'dddddddddddddddddddddddd', role: 'view' }],
      inviteDate: '2026-06-02T12:00:00.000Z',
      ttl: INVITE_TTL_MS,
      hasExpired: false,
    });
  });

  test('renews an expired invite', async () => {
    expect(expectInvite(await call(url, 'GET', invitePath(demoId(6))), 200).hasExpired).toBe(true);
    expect(expectInvite(await call(url, 'POST', invitePath(demoId(6)), { body: {} }), 201).hasExpired).toBe(false);
  });

  test.each([
    ['an unknown role', { role: 'owner' }],
    ['an extra property', { email: 'x@example.com' }],
    ['a bad grant id', { applicationRoles: [{ resourceId: 'zz', role: 'view' }] }],
    [
      'more than 100 grants',
      { dashboardRoles: Array.from({ length: 101 }, (_, i) => ({ resourceId: i.toString(16).padStart(24, '0'), role: 'view' })) },
    ],
  ])('400 for %s', async (_case, body) => {
    expectError(await call(url, 'POST', invitePath(demoId(4)), { body }), 400, 'Validation');
  });

  test('400 without a body or with invalid JSON', async () => {
    expectError(await call(url, 'POST', invitePath(demoId(4))), 400, 'Validation');
    expectError(await call(url, 'POST', invitePath(demoId(4)), { rawBody: '{' }), 400, 'Validation');
  });

  test('404 for an unknown invite', async () => {
    expectError(await call(url, 'POST', invitePath('ffffffffffffffffffffffff'), { body: {} }), 404, 'NotFound');
  });

  test('the read-only token may not resend', async () => {
    expectError(await call(url, 'POST', invitePath(demoId(4)), { body: {}, token: DEMO_TOKENS.readOnly }), 403, 'Forbidden');
  });
});

test('other methods on the single invite are a 405', async () => {
  expectError(await call(url, 'PUT', invitePath(demoId(4)), { body: {} }), 405, 'MethodNotAllowed');
});
