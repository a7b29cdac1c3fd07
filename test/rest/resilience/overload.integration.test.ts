import { delay, hang } from '../../../src/simulator/faults';
import { FaultUpstream } from '../../support/faultUpstream';
import { withFaultStack } from '../../support/faultStack';
import { DEMO_ORG, LIST_INVITES } from '../../support/operations';
import { GraphQLResult, TestStack, graphql } from '../../support/stack';

/*
 * The circuit breaker under load: it must hear of the upstream's failures only, never of the
 * gateway's own queueing or of calls its operation budget (OPERATION_TIMEOUT_MS) cut short. The
 * upstream here is slow but healthy; the gateway, with few slots and a short budget, overflows.
 */

const THRESHOLD = 3;
/** Long enough that an open circuit would still be open when the test looks. */
const COOLDOWN_MS = 60_000;

/** The gateway under test, with the breaker settings above, in front of a fresh fault upstream. */
function withStack(env: Record<string, string>, body: (stack: TestStack, fault: FaultUpstream) => Promise<void>): Promise<void> {
  return withFaultStack(
    {
      BREAKER_THRESHOLD: String(THRESHOLD),
      BREAKER_MIN_CALLERS: '1',
      BREAKER_COOLDOWN_MS: String(COOLDOWN_MS),
      READINESS_TIMEOUT_MS: '5000',
      ...env,
    },
    body,
  );
}

function listInvites(stack: TestStack): Promise<GraphQLResult> {
  return graphql(stack.graphqlUrl, LIST_INVITES, { variables: { ...DEMO_ORG } });
}

function extensionsOf(result: GraphQLResult): Record<string, unknown> | undefined {
  return result.body.errors?.[0]?.extensions;
}

function succeeded(result: GraphQLResult): boolean {
  return result.body.errors === undefined && result.body.data != null;
}

/** One sample of `/metrics`, 0 when absent. */
async function metric(stack: TestStack, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${stack.gateway.url}/metrics`)).text();
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

async function readiness(stack: TestStack): Promise<{ status: number; breaker: unknown }> {
  const response = await fetch(`${stack.gateway.url}/readyz`);
  const body = (await response.json()) as { checks?: { breaker?: { state?: unknown } } };
  return { status: response.status, breaker: body.checks?.breaker?.state };
}

describe('a slow but healthy upstream and more reads than the gateway can serve in time', () => {
  const CAP = 4;
  const UPSTREAM_MS = 600;
  const READS = 500;

  test(`${READS} concurrent reads: the queued ones run out of budget, the breaker stays closed, /readyz stays 200 and the next read succeeds`, async () => {
    await withStack(
      // Each wave of CAP calls takes UPSTREAM_MS: within a 1.5 s budget only the first few waves
      // can finish; the rest wait in the queue until their budget is gone, or are cut short by it.
      { UPSTREAM_MAX_CONCURRENCY: String(CAP), OPERATION_TIMEOUT_MS: '1500', UPSTREAM_TIMEOUT_MS: '5000' },
      async (stack, fault) => {
        fault.always(delay(UPSTREAM_MS));

        const results = await Promise.all(Array.from({ length: READS }, () => listInvites(stack)));

        const failed = results.filter((result) => !succeeded(result));
        // The load did overflow the gateway, and the upstream was never overrun.
        expect(failed.length).toBeGreaterThan(THRESHOLD * 10);
        expect(results.length - failed.length).toBeGreaterThanOrEqual(CAP);
        expect(fault.maxInFlight).toBeLessThanOrEqual(CAP);

        expect(await readiness(stack)).toStrictEqual({ status: 200, breaker: 'closed' });
        expect(succeeded(await listInvites(stack))).toBe(true);

        // Each failure says what it was: the operation's budget, not the upstream, and never the
        // fail-fast of an open circuit.
        for (const result of failed) {
          expect(extensionsOf(result)).toMatchObject({ code: 'UPSTREAM_TIMEOUT', gatewayLimit: 'OPERATION_TIMEOUT_MS' });
        }
        const limited = { action: 'instanceOrgInvites.get', limit: 'OPERATION_TIMEOUT_MS' };
        expect(await metric(stack, 'upstream_calls_limited_total', limited)).toBe(failed.length);
      },
    );
  });

  test('one read that the budget cuts short (the upstream had less than UPSTREAM_TIMEOUT_MS) is no upstream failure', async () => {
    await withStack({ BREAKER_THRESHOLD: '1', OPERATION_TIMEOUT_MS: '300', UPSTREAM_TIMEOUT_MS: '5000' }, async (stack, fault) => {
      fault.always(delay(UPSTREAM_MS));

      const cut = await listInvites(stack);

      expect(extensionsOf(cut)?.code).toBe('UPSTREAM_TIMEOUT');
      expect(fault.count('GET')).toBe(1);
      expect((await readiness(stack)).breaker).toBe('closed');
      expect(extensionsOf(cut)?.gatewayLimit).toBe('OPERATION_TIMEOUT_MS');
      fault.always(delay(50));
      expect(succeeded(await listInvites(stack))).toBe(true);
    });
  });
});

describe('an upstream that does not answer within its full UPSTREAM_TIMEOUT_MS', () => {
  test(`${THRESHOLD} such timeouts, with budget to spare, still open the circuit`, async () => {
    await withStack({ OPERATION_TIMEOUT_MS: '5000', UPSTREAM_TIMEOUT_MS: '200', UPSTREAM_MAX_ATTEMPTS: '1' }, async (stack, fault) => {
      fault.always(hang);

      for (let i = 0; i < THRESHOLD; i++) {
        const result = await listInvites(stack);
        expect(extensionsOf(result)?.code).toBe('UPSTREAM_TIMEOUT');
        expect(extensionsOf(result)).not.toHaveProperty('gatewayLimit');
      }

      const failFast = await listInvites(stack);
      expect(extensionsOf(failFast)?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(fault.count('GET')).toBe(THRESHOLD);
      fault.always(delay(0));
      // Open, and reported; `/readyz` stays 200 unless READINESS_INCLUDES_UPSTREAM asks otherwise.
      expect(await readiness(stack)).toStrictEqual({ status: 200, breaker: 'open' });
    });
  });
});
