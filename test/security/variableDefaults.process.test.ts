import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS } from '../../src/simulator/demoData';
import {
  circuitState,
  post,
  ProductionGateway,
  ROUTER_ENV,
  ROUTER_HEADERS,
  StallProbeOptions,
  startProductionGateway,
  withStallProbe,
} from '../support/attack';

/**
 * The upstream-call limit measured on what execution will see: arguments coerced from literals,
 * variables and the defaults of the operation's variable definitions alike. Representations given
 * only as a variable's default once went unmeasured: 51 of them selecting 29 distinct invite lists
 * made 1,479 REST calls from one 6.5 KB request sent without `variables`.
 */

/** Generous, as the cost attacks' probe: a stalled event loop shows up as seconds; the machine is shared. */
const PROBE_BOUND_MS = 1000;
const ADMIN = { authorization: `Bearer ${DEMO_TOKENS.admin}` };
const ORG = `instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}"`;
/** Distinct organizations, so that the loader cannot fold their lists into one call. */
const orgRepresentation = (i: number) =>
  `{ __typename: "InstanceOrg", instanceId: "${DEMO_INSTANCE_ID}", orgId: "${i.toString(16).padStart(24, 'a')}" }`;
const LISTS = Array.from({ length: 29 }, (_, i) => `l${i}: invites(filterField: EMAIL, filter: "x${i}") { count }`).join(' ');

/** The attack as filed: 51 representations as the default of `$r`, each selecting 29 lists; no `variables`. */
const DEFAULTS_ATTACK = `query Q($r: [_Any!]! = [${Array.from({ length: 51 }, (_, i) => orgRepresentation(i)).join(', ')}]) { _entities(representations: $r) { ... on InstanceOrg { ${LISTS} } } }`;

/** Reads of a healthy organization's invites on another connection, paced as the probe is; a read without a count fails. */
const HEALTHY_READS: StallProbeOptions = {
  body: { query: `{ orgInvites(${ORG}) { count } }` },
  headers: ADMIN,
  ok: (response) =>
    response.status === 200 &&
    typeof (response.json as { data?: { orgInvites?: { count?: unknown } } } | undefined)?.data?.orgInvites?.count === 'number',
};

/** REST calls the attack made: its lists are the only ones filtered on `x<n>`. */
function attackCalls(gateway: ProductionGateway): number {
  return gateway.simulator.requests.filter((request) => /^x\d+$/.test(request.query.filter ?? '')).length;
}

/**
 * Runs `attack` while a `{ __typename }` probe and a healthy organization's reads go on beside it;
 * expects neither to have failed or waited PROBE_BOUND_MS.
 */
async function alongside<T>(gateway: ProductionGateway, attack: () => Promise<T>) {
  return withStallProbe(gateway.graphqlUrl, PROBE_BOUND_MS, () =>
    withStallProbe(
      gateway.graphqlUrl,
      PROBE_BOUND_MS,
      async () => {
        const started = performance.now();
        const result = await attack();
        return { result, elapsedMs: performance.now() - started };
      },
      HEALTHY_READS,
    ),
  );
}

const AS_ROUTER = { ...ADMIN, ...ROUTER_HEADERS };

let gateway: ProductionGateway;
beforeAll(async () => {
  // Every request recorded, so that the attack's calls can be told from the healthy reads'. The
  // attack is sent as the federation router, the one caller `_entities` is served to: its limits hold for it too.
  gateway = await startProductionGateway({ ...ROUTER_ENV }, { recordLimit: 100_000 });
});
afterAll(() => gateway.close());
beforeEach(() => {
  gateway.simulator.requests.length = 0;
});

test('the filed attack, representations only as a variable default and no variables, is refused before one REST call', async () => {
  expect(Buffer.byteLength(JSON.stringify({ query: DEFAULTS_ATTACK }))).toBeLessThan(8 * 1024);
  const { result: response } = await alongside(gateway, () => post(gateway.graphqlUrl, { query: DEFAULTS_ATTACK }, AS_ROUTER));
  expect(response.status).toBe(400);
  expect(response.json).toMatchObject({
    errors: [{ extensions: { code: 'OPERATION_LIMIT_EXCEEDED', limit: 'upstreamCalls', max: 25, actual: 51 * 29 } }],
  });
  expect(attackCalls(gateway)).toBe(0);
  expect(await circuitState(gateway.process.url)).toBe('closed');
});

test('four clients sending it back to back: every one refused, no REST call, over in seconds', async () => {
  const { result: responses, elapsedMs } = await alongside(gateway, () =>
    Promise.all(
      Array.from({ length: 4 }, async () => {
        const answers = [];
        for (let i = 0; i < 5; i++) answers.push(await post(gateway.graphqlUrl, { query: DEFAULTS_ATTACK }, AS_ROUTER));
        return answers;
      }),
    ),
  );
  expect(responses.flat().map((response) => response.status)).toEqual(Array(20).fill(400));
  expect(attackCalls(gateway)).toBe(0);
  // Generous: each refusal takes milliseconds; answering the 20 took minutes.
  expect(elapsedMs).toBeLessThan(10_000);
  expect(await circuitState(gateway.process.url)).toBe('closed');
});
