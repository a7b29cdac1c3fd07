import { GatewayError } from '../../src/errors/gatewayErrors';
import { HttpInvitesApi } from '../../src/rest/HttpInvitesApi';
import type { InviteRef, UpstreamCallEvent } from '../../src/rest/invitesApi';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS } from '../../src/simulator/demoData';
import { SimulatorServer } from '../../src/simulator/SimulatorServer';

let sim: SimulatorServer;
let api: HttpInvitesApi;
const events: UpstreamCallEvent[] = [];
const credentials = { authorization: `Bearer ${DEMO_TOKENS.admin}` };
const invite: InviteRef = { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID, inviteId: '6a0000000000000000000002' };
const path = `/instances/${DEMO_INSTANCE_ID}/orgs/${DEMO_ORG_ID}/invites/6a0000000000000000000002`;

beforeEach(async () => {
  sim = new SimulatorServer();
  api = new HttpInvitesApi({ baseUrl: await sim.listen(0, '127.0.0.1'), timeoutMs: 2000, onCall: (event) => events.push(event) });
  events.length = 0;
});
afterEach(async () => {
  api.close();
  await sim.close();
});

test('getInvite: GET on the single-invite path with the flags, no body', async () => {
  expect(await api.getInvite(invite, credentials)).toMatchObject({ id: invite.inviteId, email: 'grace@example.com' });
  const [request] = sim.requests;
  expect(request).toMatchObject({ method: 'GET', path, query: { _actions: 'false', _links: 'true', _embedded: 'true' } });
  expect(request.headers['content-type']).toBeUndefined();
  expect(events).toEqual([expect.objectContaining({ action: 'instanceOrgInvite.get', method: 'GET', status: 200 })]);
});

test('revokeInvite: DELETE, answers the success body', async () => {
  expect(await api.revokeInvite(invite, credentials)).toEqual({ success: true });
  expect(sim.requests[0]).toMatchObject({ method: 'DELETE', path });
  expect(events[0]).toMatchObject({ action: 'instanceOrgInvite.delete', status: 200 });
});

test('resendInvite: POST with the orgRoleInfo body as JSON', async () => {
  const resent = await api.resendInvite(invite, { role: 'view' }, credentials);
  expect(resent).toMatchObject({ id: invite.inviteId, role: 'view' });
  expect(sim.requests[0]).toMatchObject({ method: 'POST', path, body: { role: 'view' } });
  expect(sim.requests[0].headers['content-type']).toBe('application/json');
  expect(events[0]).toMatchObject({ action: 'instanceOrgInvite.resendInvite', status: 201 });
});

test.each([
  ['getInvite', () => api.getInvite(invite, credentials), { items: [] }],
  ['revokeInvite', () => api.revokeInvite(invite, credentials), { success: false }],
  ['resendInvite', () => api.resendInvite(invite, {}, credentials), [1, 2]],
] as const)('%s: a 2xx body of the wrong shape is UPSTREAM_ERROR, reported as such', async (_name, send, body) => {
  sim.faults.inject({ kind: 'status', status: 200, body });
  const error = (await send().catch((e: unknown) => e)) as GatewayError;
  expect(error).toBeInstanceOf(GatewayError);
  expect(error.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', upstreamStatus: 200 });
  expect(events[0].errorCode).toBe('UPSTREAM_ERROR');
});

test('a 404 for an unknown invite is NOT_FOUND with the upstream message', async () => {
  const error = (await api
    .getInvite({ ...invite, inviteId: 'ffffffffffffffffffffffff' }, credentials)
    .catch((e: unknown) => e)) as GatewayError;
  expect(error.extensions).toMatchObject({ code: 'NOT_FOUND', upstreamStatus: 404, upstreamMessage: 'Invite was not found' });
});
