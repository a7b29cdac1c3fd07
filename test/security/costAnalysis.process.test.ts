import { DEMO_INSTANCE_ID, DEMO_ORG_ID } from '../../src/simulator/demoData';
import {
  codesOf,
  cpuSeconds,
  post,
  ProductionGateway,
  residentBytes,
  ROUTER_ENV,
  ROUTER_HEADERS,
  startProductionGateway,
} from '../support/attack';

/**
 * Documents built to cost the gateway far more than their size, sent over HTTP to the built
 * gateway running as production does. Each must be refused (or answered) cheaply, with nothing
 * sent upstream: the limits' own analysis must not be what burns the gateway's CPU. The cost is
 * the CPU time the gateway process used for the request (from /proc), not the wall time, which
 * other processes on a loaded machine stretch: work, not speed.
 */

/**
 * Generous: each of these costs the gateway tens of milliseconds when its limits do their job; an
 * analysis that walked the fan-outs below copy by copy would take 2^23 steps and seconds of CPU.
 */
const CPU_BOUND_SECONDS = 1;
const ANY_TOKEN = { authorization: 'Bearer x' };
const ORG = `instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}"`;

/** `levels` fragments, each spreading the next twice: the last one's selection stands for 2^(levels-1) copies. */
function fanOut(levels: number, leaf: string): string {
  const fragments = Array.from({ length: levels - 1 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
  return `query { ...F0 } ${fragments.join(' ')} fragment F${levels - 1} on Query { ${leaf} }`;
}

function aliases(count: number, field: string): string {
  return `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
}

function inviteRepresentation(i: number): Record<string, string> {
  return { __typename: 'OrgInvite', instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID, id: i.toString(16).padStart(24, '6') };
}

/** Sends `body`; answers the response and the CPU seconds the gateway used until it was answered. */
async function attack(gateway: ProductionGateway, body: unknown, headers: Record<string, string> = {}) {
  const pid = gateway.process.child.pid!;
  const before = await cpuSeconds(pid);
  const response = await post(gateway.graphqlUrl, body, headers);
  return { response, cpuSeconds: (await cpuSeconds(pid)) - before };
}

describe('a production gateway under cost attacks', () => {
  let gateway: ProductionGateway;
  beforeAll(async () => {
    // With the router's secret: `_entities` below is the router's to run, and still bounded for it.
    gateway = await startProductionGateway(ROUTER_ENV);
  });
  afterAll(() => gateway.close());
  beforeEach(() => {
    gateway.simulator.requests.length = 0;
  });

  test('fragments that fan out (24 levels, 2^23 copies of the last) are measured once each: answered for a few milliseconds of CPU', async () => {
    const query = fanOut(24, '__typename');
    expect(JSON.stringify({ query }).length).toBeLessThan(1000);
    const { response, cpuSeconds: used } = await attack(gateway, { query });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ data: { __typename: 'Query' } });
    expect(used).toBeLessThan(CPU_BOUND_SECONDS);
  });

  test.each([
    ['an upstream field', `orgInvites(${ORG}) { count }`, 'upstreamCalls'],
    ['an alias', 'a: __typename', 'aliases'],
    ['a directive', '__typename @include(if: true)', 'directives'],
  ])('the same fan-out with %s in the last fragment is refused by its limit, cheaply', async (_name, leaf, limit) => {
    const { response, cpuSeconds: used } = await attack(gateway, { query: fanOut(40, leaf) }, ANY_TOKEN);
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ errors: [{ extensions: { code: 'OPERATION_LIMIT_EXCEEDED', limit } }] });
    expect(used).toBeLessThan(CPU_BOUND_SECONDS);
    expect(gateway.simulator.requests).toHaveLength(0);
  });

  test.each([
    ['{ __typename }', 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }'],
    ['a named fragment', 'query($r: [_Any!]!) { _entities(representations: $r) { ...E } } fragment E on OrgInvite { email }'],
    ['a nested inline fragment', 'query($r: [_Any!]!) { _entities(representations: $r) { ... { ... on OrgInvite { email } } } }'],
  ])('6,000 OrgInvite representations selecting %s: refused, not one REST call', async (_name, query) => {
    const body = { query, variables: { r: Array.from({ length: 6000 }, (_, i) => inviteRepresentation(i)) } };
    const { response, cpuSeconds: used } = await attack(gateway, body, { ...ANY_TOKEN, ...ROUTER_HEADERS });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      errors: [{ extensions: { code: 'OPERATION_LIMIT_EXCEEDED', limit: 'upstreamCalls', max: 25, actual: 6000 } }],
    });
    expect(gateway.simulator.requests).toHaveLength(0);
    expect(used).toBeLessThan(CPU_BOUND_SECONDS);
  });

  test('representations written as a literal count too', async () => {
    const literal = Array.from({ length: 26 }, (_, i) => {
      const { __typename, instanceId, orgId, id } = inviteRepresentation(i);
      return `{ __typename: "${__typename}", instanceId: "${instanceId}", orgId: "${orgId}", id: "${id}" }`;
    });
    const { response } = await attack(
      gateway,
      { query: `{ _entities(representations: [${literal.join(', ')}]) { __typename } }` },
      { ...ANY_TOKEN, ...ROUTER_HEADERS },
    );
    expect(response.json).toMatchObject({
      errors: [{ extensions: { code: 'OPERATION_LIMIT_EXCEEDED', limit: 'upstreamCalls', actual: 26 } }],
    });
    expect(gateway.simulator.requests).toHaveLength(0);
  });

  test('31 aliases of __typename are over MAX_ALIASES (30): __ fields count like any other', async () => {
    const { response } = await attack(gateway, { query: aliases(31, '__typename') });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      errors: [{ extensions: { code: 'OPERATION_LIMIT_EXCEEDED', limit: 'aliases', max: 30, actual: 31 } }],
    });
  });

  test('a 1 MiB flood of 55,000 aliases stops at the token limit, cheaply', async () => {
    const query = aliases(55_000, '__typename');
    expect(query.length).toBeGreaterThan(1_000_000);
    const { response, cpuSeconds: used } = await attack(gateway, { query });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ errors: [{ extensions: { code: 'OPERATION_LIMIT_EXCEEDED', limit: 'tokens', max: 1000 } }] });
    expect(used).toBeLessThan(CPU_BOUND_SECONDS);
  });
});

describe('with introspection on (the default outside production)', () => {
  let gateway: ProductionGateway;
  beforeAll(async () => {
    // MAX_ALIASES raised so that only the introspection rule stands between the flood and the schema.
    gateway = await startProductionGateway({ INTROSPECTION: 'true', MAX_ALIASES: '10000', MAX_TOKENS: '100000' });
  });
  afterAll(() => gateway.close());

  test('1,000 aliased __schema fields are refused by MAX_INTROSPECTION_FIELDS, at no memory cost', async () => {
    const before = await residentBytes(gateway.process.child.pid!);
    const { response, cpuSeconds: used } = await attack(gateway, {
      query: aliases(1000, '__schema { types { name fields { name type { name } } } }'),
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      errors: [{ extensions: { code: 'OPERATION_LIMIT_EXCEEDED', limit: 'introspectionFields', max: 3, actual: 1000 } }],
    });
    expect(used).toBeLessThan(CPU_BOUND_SECONDS);
    // Answering them would build hundreds of megabytes; a refusal leaves the process as it was.
    expect((await residentBytes(gateway.process.child.pid!)) - before).toBeLessThan(100 * 2 ** 20);
  });

  test('the standard introspection query (GraphiQL, code generators) still runs', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const { response } = await attack(gateway, {
      query: getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        inputValueDeprecation: true,
        schemaDescription: true,
      }),
    });
    expect(response.status).toBe(200);
    expect(codesOf(response.json)).toEqual([]);
  });
});
