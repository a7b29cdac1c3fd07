import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS } from '../../src/simulator/demoData';
import { status } from '../../src/simulator/faults';
import { MAX_GRANTS, MAX_LISTED_PROBLEMS } from '../../src/validation/inputValidation';
import { codesOf, post, withStallProbe } from '../support/attack';
import { type FaultUpstream, upstreamCollection, upstreamInvite } from '../support/faultUpstream';
import { type ProductionFaultStack, startProductionFaultStack } from '../support/faultStack';
import type { GatewayProcess } from '../support/gatewayProcess';

/*
 * One request must not be able to make the gateway write thousands of errors, to the client or
 * to its log. A contract-valid `ttl: 1e308` made `expiresAt` an invalid date, masked as one
 * INTERNAL_SERVER_ERROR per invite with a stack trace logged for each (20,000 of them, 26.8 MB of
 * log, from one list); an `inviteMember` with 28,000 bad grants answered one problem per grant
 * (2.7 MB). A grant list is now refused on its length, and an error lists at most 20 problems.
 */

jest.setTimeout(60_000);

const TOKEN = `Bearer ${DEMO_TOKENS.admin}`;
const ORG = { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID };
const INVITES = 20_000;

let stack: ProductionFaultStack | undefined;
let upstream: FaultUpstream;
let gateway: GatewayProcess;
beforeAll(async () => {
  // Room for the 20,000-invite list: the answer's own limit is not what this file is about.
  stack = await startProductionFaultStack({ MAX_RESPONSE_ITEMS: String(INVITES) });
  ({ upstream, gateway } = stack);
}, 30_000);
afterAll(() => stack?.close());
afterEach(() => upstream.reset());

function graphql(query: string, variables: Record<string, unknown>): ReturnType<typeof post> {
  return post(`${gateway.url}/graphql`, { query, variables }, { authorization: TOKEN });
}

describe('an invite list whose ttl is beyond any date', () => {
  const LIST = `query($instanceId: ID!, $orgId: ID!) { orgInvites(instanceId: $instanceId, orgId: $orgId) { count items { ttl expiresAt status } } }`;

  test(`${INVITES} invites with ttl 1e308: expiresAt null, no error, nothing logged`, async () => {
    const items = Array.from({ length: INVITES }, (_, i) => ({ ...upstreamInvite(`user${i}@example.com`, i % 256), ttl: 1e308 }));
    upstream.enqueue(status(200, { ...upstreamCollection(), items, count: items.length }));
    const logBefore = gateway.output().length;
    // Reading, checking and answering 20,000 invites is itself about 2.5 s of one event loop on
    // a busy 2-core machine; with an error per invite it was 11 s.
    const response = await withStallProbe(`${gateway.url}/graphql`, 6000, () => graphql(LIST, ORG));
    const logBytes = gateway.output().length - logBefore;

    expect(codesOf(response.json)).toEqual([]);
    const list = (response.json as { data: { orgInvites: { items: Array<{ ttl: number; expiresAt: string | null }> } } }).data.orgInvites;
    expect(list.items).toHaveLength(INVITES);
    expect(list.items.every((item) => item.ttl === 1e308 && item.expiresAt === null)).toBe(true);
    expect(logBytes).toBeLessThan(4096);

    // A healthy read still answers, with its dates.
    const healthy = await graphql(LIST, ORG);
    expect(healthy.json).toMatchObject({
      data: { orgInvites: { count: 2, items: [{ expiresAt: '2024-01-08T00:00:00.000Z' }, { expiresAt: '2024-01-08T00:00:00.000Z' }] } },
    });
  });
});

describe('an invite with more grants than the contract takes', () => {
  const INVITE = `mutation($instanceId: ID!, $orgId: ID!, $invite: OrgInviteInput!) {
    inviteMember(instanceId: $instanceId, orgId: $orgId, invite: $invite) { invite { id } }
  }`;
  type Problems = { errors: Array<{ extensions: { code: string; argumentPath: string; problems: unknown[]; problemCount: number } }> };

  test('28,000 bad grants: one small BAD_USER_INPUT on the length of the list, nothing sent upstream', async () => {
    const applicationRoles = Array.from({ length: 28_000 }, () => ({ resourceId: 'x', role: 'VIEW' }));
    const invite = { email: 'eve@example.com', role: 'VIEW', applicationRoles };
    const response = await graphql(INVITE, { ...ORG, invite });

    expect(codesOf(response.json)).toEqual(['BAD_USER_INPUT']);
    const [error] = (response.json as Problems).errors;
    expect(error.extensions).toMatchObject({ argumentPath: 'invite.applicationRoles', problemCount: 1 });
    expect(error.extensions.problems).toEqual([{ path: 'invite.applicationRoles', message: `must have at most ${MAX_GRANTS} items` }]);
    expect(response.text.length).toBeLessThan(2048);
    expect(upstream.count()).toBe(0);
  });

  test('a list the contract takes, with every grant bad: the first problems listed, and their count', async () => {
    const dashboardRoles = Array.from({ length: MAX_GRANTS }, () => ({ resourceId: 'x', role: 'VIEW' }));
    const response = await graphql(INVITE, { ...ORG, invite: { email: 'eve@example.com', role: 'VIEW', dashboardRoles } });

    expect(codesOf(response.json)).toEqual(['BAD_USER_INPUT']);
    const [error] = (response.json as Problems).errors;
    expect(error.extensions.problems).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(error.extensions.problemCount).toBe(MAX_GRANTS);
    expect(error.extensions.argumentPath).toBe('invite.dashboardRoles[0].resourceId');
    expect(upstream.count()).toBe(0);
  });
});
