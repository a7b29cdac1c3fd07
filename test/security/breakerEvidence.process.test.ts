import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_SECOND_ORG_ID, DEMO_TOKENS } from '../../src/simulator/demoData';
import { Fault, raw, status } from '../../src/simulator/faults';
import { circuitState, codesOf, post, RawResponse, withStallProbe } from '../support/attack';
import { type FaultUpstream, upstreamCollection, upstreamInvite } from '../support/faultUpstream';
import { type ProductionFaultStack, startProductionFaultStack } from '../support/faultStack';
import type { GatewayProcess } from '../support/gatewayProcess';

/*
 * The process-wide circuit breaker must open on evidence that the upstream is unwell, not on one
 * caller's bad data: one request with five aliases of an organization the upstream fails for must
 * not take the gateway away from another token's healthy organization. And once the upstream is
 * back after an outage, clients are served again within about a second, not after a whole
 * cooldown. The gateway runs as production does, with its default breaker settings.
 */

const ATTACKER = `Bearer ${DEMO_TOKENS.admin}`;
const OTHER_USER = `Bearer ${DEMO_TOKENS.readOnly}`;
const BAD_ORG_ID = '5f1e0a9b2c3d4e5f607182ff';

/** Five reads of one organization; different filters make five upstream calls (no loader sharing). */
const FIVE_ALIASES = `query($instanceId: ID!, $orgId: ID!) {
  ${['a', 'b', 'c', 'd', 'e'].map((letter) => `${letter}: orgInvites(instanceId: $instanceId, orgId: $orgId, filterField: EMAIL, filter: "${letter}*") { count }`).join('\n  ')}
}`;

const READ = `query($instanceId: ID!, $orgId: ID!) { orgInvites(instanceId: $instanceId, orgId: $orgId) { count items { email } } }`;

function read(gateway: GatewayProcess, authorization: string, orgId: string): Promise<RawResponse> {
  return post(`${gateway.url}/graphql`, { query: READ, variables: { instanceId: DEMO_INSTANCE_ID, orgId } }, { authorization });
}

function answered(response: RawResponse): boolean {
  return codesOf(response.json).length === 0 && (response.json as { data?: { orgInvites?: unknown } }).data?.orgInvites != null;
}

const offContract = { ...upstreamCollection(), items: [{ ...upstreamCollection().items[0], role: '__proto__' }] };

describe('the default breaker settings', () => {
  let stack: ProductionFaultStack | undefined;
  let upstream: FaultUpstream;
  let gateway: GatewayProcess;
  beforeEach(async () => {
    stack = await startProductionFaultStack();
    ({ upstream, gateway } = stack);
  }, 30_000);
  afterEach(() => stack?.close());

  describe('one caller cannot open the breaker for all', () => {
    test.each<[string, Fault]>([
      ['a body that fails the contract check', status(200, offContract)],
      ['500s', status(500, { type: 'Internal', message: 'boom' })],
      ['503s (retried)', status(503, { type: 'Unavailable', message: 'busy' })],
    ])(
      'five aliases of an organization the upstream answers with %s, sent three times',
      async (_name, fault) => {
        upstream.alwaysForOrg(BAD_ORG_ID, fault);
        await withStallProbe(`${gateway.url}/graphql`, 1000, async () => {
          for (let round = 0; round < 3; round++) {
            const attack = await post(
              `${gateway.url}/graphql`,
              { query: FIVE_ALIASES, variables: { instanceId: DEMO_INSTANCE_ID, orgId: BAD_ORG_ID } },
              { authorization: ATTACKER },
            );
            expect(codesOf(attack.json)).toEqual(Array(5).fill('UPSTREAM_ERROR'));
          }
          // At least the default BREAKER_THRESHOLD (5) failed calls, all of one token and one organization.
          expect(upstream.requests.filter((request) => request.path.includes(BAD_ORG_ID)).length).toBeGreaterThanOrEqual(15);

          expect(await circuitState(gateway.url)).toBe('closed');
          const other = await read(gateway, OTHER_USER, DEMO_ORG_ID);
          expect(codesOf(other.json)).toEqual([]);
          expect(answered(other)).toBe(true);
        });
      },
      30_000,
    );

    test('failures of two tokens on two organizations do open it (an upstream failing for everyone)', async () => {
      upstream.always(status(500, { type: 'Internal', message: 'down' }));
      for (let i = 0; i < 3 && (await circuitState(gateway.url)) !== 'open'; i++) {
        await read(gateway, ATTACKER, DEMO_ORG_ID);
        await read(gateway, OTHER_USER, DEMO_SECOND_ORG_ID);
      }
      expect(await circuitState(gateway.url)).toBe('open');
    }, 30_000);
  });

  test('bodies off the contract never open it, even for many callers: the upstream answered', async () => {
    upstream.always(status(200, offContract));
    for (let i = 0; i < 4; i++) {
      expect(codesOf((await read(gateway, ATTACKER, DEMO_ORG_ID)).json)).toEqual(['UPSTREAM_ERROR']);
      expect(codesOf((await read(gateway, OTHER_USER, DEMO_SECOND_ORG_ID)).json)).toEqual(['UPSTREAM_ERROR']);
    }
    expect(await circuitState(gateway.url)).toBe('closed');
  }, 30_000);

  describe('recovery after an outage', () => {
    /** How long the upstream refuses connections once the breaker has opened: several cooldowns of the old default. */
    const OUTAGE_MS = 3_000;

    test('the first client is served within 2 s of the upstream coming back', async () => {
      await upstream.refuseConnections();
      let returnedAt = 0;
      try {
        // Both callers keep asking through the outage, as real traffic would.
        const outageEnds = Date.now() + 60_000;
        let openSince: number | undefined;
        while (Date.now() < outageEnds) {
          await read(gateway, ATTACKER, DEMO_ORG_ID);
          await read(gateway, OTHER_USER, DEMO_SECOND_ORG_ID);
          if (openSince === undefined && (await circuitState(gateway.url)) !== 'closed') openSince = Date.now();
          if (openSince !== undefined && Date.now() - openSince >= OUTAGE_MS) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(openSince).toBeDefined();
      } finally {
        await upstream.acceptConnections();
        returnedAt = Date.now();
      }

      let firstSuccessAt: number | undefined;
      while (firstSuccessAt === undefined && Date.now() - returnedAt < 20_000) {
        if (answered(await read(gateway, OTHER_USER, DEMO_ORG_ID))) firstSuccessAt = Date.now();
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(firstSuccessAt).toBeDefined();
      expect((firstSuccessAt ?? Infinity) - returnedAt).toBeLessThanOrEqual(2_000);
      expect(await circuitState(gateway.url)).toBe('closed');
    }, 60_000);
  });
});

describe("the gateway's own busy event loop is not an upstream timeout", () => {
  /** Far below the time the gateway takes to read, check and serve eight 5,000-invite lists one after another. */
  const UPSTREAM_TIMEOUT_MS = 400;
  const BIG_LIST = {
    ...upstreamCollection(),
    items: Array.from({ length: 5_000 }, (_, n) => ({ ...upstreamInvite(`member${n}@example.com`), id: n.toString(16).padStart(24, '0') })),
    count: 5_000,
  };
  const READ_ALL = `query($instanceId: ID!, $orgId: ID!) { orgInvites(instanceId: $instanceId, orgId: $orgId) { count items { id email role inviteDate ttl hasExpired } } }`;

  let stack: ProductionFaultStack | undefined;
  let upstream: FaultUpstream;
  let busy: GatewayProcess;
  beforeEach(async () => {
    stack = await startProductionFaultStack({ UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS) });
    ({ upstream, gateway: busy } = stack);
  }, 30_000);
  afterEach(() => stack?.close());

  test('eight concurrent 5,000-invite reads, answered at once by the upstream, all succeed and leave the breaker closed', async () => {
    // Serialised once: the upstream answers each read at once, whatever the machine's load.
    upstream.always(raw(200, 'application/json', JSON.stringify(BIG_LIST)));
    await withStallProbe(`${busy.url}/graphql`, 5_000, async () => {
      const started = performance.now();
      const reads = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          post(
            `${busy.url}/graphql`,
            { query: READ_ALL, variables: { instanceId: DEMO_INSTANCE_ID, orgId: i % 2 === 0 ? DEMO_ORG_ID : DEMO_SECOND_ORG_ID } },
            { authorization: i % 2 === 0 ? ATTACKER : OTHER_USER },
          ),
        ),
      );
      const tookMs = performance.now() - started;

      // The reads took longer than UPSTREAM_TIMEOUT_MS in all: the gateway was the slow part.
      expect(tookMs).toBeGreaterThan(UPSTREAM_TIMEOUT_MS);
      expect(reads.map((response) => (response.json as { errors?: unknown[] }).errors ?? [])).toEqual(Array(8).fill([]));
      expect(await circuitState(busy.url)).toBe('closed');
    });
  }, 60_000);
});
