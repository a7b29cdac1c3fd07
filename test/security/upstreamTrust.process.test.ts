import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS } from '../../src/simulator/demoData';
import { codesOf, post, ProductionGateway, ROUTER_ENV, ROUTER_HEADERS, startProductionGateway } from '../support/attack';
import { status } from '../../src/simulator/faults';
import { FaultUpstream, upstreamCollection, upstreamInvite } from '../support/faultUpstream';
import { GatewayProcess, startGatewayProcess } from '../support/gatewayProcess';

/*
 * Attacks from the other side of the gateway: an upstream (or a router) that sends what the
 * contract does not allow. Each must end in a typed error a client can act on, never in a masked
 * INTERNAL_SERVER_ERROR, and an upstream that says `Retry-After: 0` must not get retries at once.
 */

const TOKEN = `Bearer ${DEMO_TOKENS.admin}`;
const ORG = { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID };
const APP_ID = '5f1e0a9b2c3d4e5f607182a1';

const LIST = `query($instanceId: ID!, $orgId: ID!) {
  orgInvites(instanceId: $instanceId, orgId: $orgId) {
    count sortField sortDirection filterField filter
    items { id email role ttl inviteDate hasExpired disallowTransfer applicationRoles { resourceId role } dashboardRoles { resourceId role } }
  }
}`;

const INVITE = `mutation($instanceId: ID!, $orgId: ID!) {
  inviteMember(instanceId: $instanceId, orgId: $orgId, invite: { email: "eve@example.com", role: VIEW }) { invite { id role } }
}`;

const ENTITIES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on InstanceOrg { orgId invites { count } } ... on OrgInvite { email } }
}`;

/** A contract-valid collection with one thing changed in its first invite (or in the collection). */
function withInvite(change: Record<string, unknown>): unknown {
  const body = upstreamCollection();
  return { ...body, items: [{ ...body.items[0], ...change }, ...body.items.slice(1)] };
}

const OFF_CONTRACT_LISTS: ReadonlyArray<[string, unknown]> = [
  ['filter a number', { ...upstreamCollection(), filterField: 'email', filter: 42 }],
  ['applicationRoles a string', withInvite({ applicationRoles: 'admin' })],
  ['dashboardRoles holding a string', withInvite({ dashboardRoles: ['view'] })],
  ['ttl a string', withInvite({ ttl: 'soon' })],
  ['role "__proto__"', withInvite({ role: '__proto__' })],
  ['a grant role "constructor"', withInvite({ applicationRoles: [{ resourceId: APP_ID, role: 'constructor' }] })],
  ['an invite without an email', withInvite({ email: undefined })],
  ['count a string', { ...upstreamCollection(), count: '2' }],
  ['items an object', { ...upstreamCollection(), items: { 0: upstreamInvite('a@example.com') } }],
];

let gateway: ProductionGateway;
beforeAll(async () => {
  gateway = await startProductionGateway({ BREAKER_THRESHOLD: '1000', ...ROUTER_ENV });
}, 30_000);
afterAll(() => gateway?.close());
beforeEach(() => {
  gateway.simulator.requests.length = 0;
});

describe('an upstream 2xx body off the contract', () => {
  test.each(OFF_CONTRACT_LISTS)('a list with %s: UPSTREAM_ERROR, read once', async (_name, body) => {
    gateway.simulator.faults.inject({ kind: 'status', status: 200, body }, { method: 'GET' });
    const response = await post(gateway.graphqlUrl, { query: LIST, variables: ORG }, { authorization: TOKEN });
    expect(codesOf(response.json)).toEqual(['UPSTREAM_ERROR']);
    expect(response.json).toMatchObject({ errors: [{ extensions: { upstreamStatus: 200 } }] });
    expect(gateway.simulator.requests).toHaveLength(1);
  });

  test('a write answered with an off-contract 201: UPSTREAM_ERROR that may have succeeded, sent once', async () => {
    const body = upstreamCollection([{ ...upstreamInvite('eve@example.com', 3), role: '__proto__' as 'view' }]);
    gateway.simulator.faults.inject({ kind: 'status', status: 201, body }, { method: 'POST' });
    const response = await post(gateway.graphqlUrl, { query: INVITE, variables: ORG }, { authorization: TOKEN });
    expect(codesOf(response.json)).toEqual(['UPSTREAM_ERROR']);
    expect(response.json).toMatchObject({ errors: [{ extensions: { upstreamStatus: 201, mayHaveSucceeded: true } }] });
    expect(gateway.simulator.callsTo('POST')).toHaveLength(1);
  });
});

describe('_entities representations a router should never send', () => {
  test.each<[string, unknown]>([
    ['without __typename', { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID }],
    ['with a numeric __typename', { __typename: 7, instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID }],
    ['of a type that is not an entity', { __typename: 'OrgInviteCollection', orgId: DEMO_ORG_ID }],
    ['of an unknown type', { __typename: 'Organization', id: DEMO_ORG_ID }],
    ['of type "__proto__"', { __typename: '__proto__', instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID }],
    ['without a key field', { __typename: 'InstanceOrg', instanceId: DEMO_INSTANCE_ID }],
    ['with a key field that is not a string', { __typename: 'OrgInvite', instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID, id: 12 }],
    ['that is not an object', 'InstanceOrg'],
  ])('one %s: BAD_USER_INPUT, nothing sent upstream', async (_name, representation) => {
    const representations = [{ __typename: 'InstanceOrg', ...ORG }, representation];
    const response = await post(
      gateway.graphqlUrl,
      { query: ENTITIES, variables: { representations } },
      { authorization: TOKEN, ...ROUTER_HEADERS },
    );
    expect(codesOf(response.json)).toEqual(['BAD_USER_INPUT']);
    expect(response.json).toMatchObject({ errors: [{ extensions: { argumentPath: expect.stringMatching(/^representations\[1\]/) } }] });
    expect(gateway.simulator.requests).toHaveLength(0);
  });
});

describe('a 429 with Retry-After: 0', () => {
  const BASE_DELAY_MS = 150;
  let upstream: FaultUpstream;
  let process: GatewayProcess;
  beforeAll(async () => {
    upstream = new FaultUpstream();
    await upstream.listen();
    process = await startGatewayProcess({
      NODE_ENV: 'production',
      LOSANT_API_URL: upstream.url,
      LOG_LEVEL: 'warn',
      UPSTREAM_MAX_ATTEMPTS: '3',
      UPSTREAM_RETRY_BASE_DELAY_MS: String(BASE_DELAY_MS),
      UPSTREAM_RETRY_MAX_DELAY_MS: '2000',
      BREAKER_THRESHOLD: '1000',
    });
  }, 30_000);
  afterAll(async () => {
    process?.kill();
    await process?.exited;
    await upstream?.close();
  });

  test('is retried no sooner than the base delay', async () => {
    upstream.repeat(status(429, { type: 'TooManyRequests', message: 'Slow down' }, { 'retry-after': '0' }), 3);
    const response = await post(`${process.url}/graphql`, { query: LIST, variables: ORG }, { authorization: TOKEN });
    expect(codesOf(response.json)).toEqual(['RATE_LIMITED']);
    const at = upstream.requests.map((request) => request.at);
    expect(at).toHaveLength(3);
    const gaps = at.slice(1).map((time, i) => time - at[i]);
    // Timers may fire a millisecond early against Date.now(); the floor is what matters.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(BASE_DELAY_MS - 2);
  });
});
