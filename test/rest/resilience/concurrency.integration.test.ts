import { delay, hang } from '../../../src/simulator/faults';
import { withFaultStack } from '../../support/faultStack';
import { DEMO_ORG, INVITE_MEMBER, LIST_INVITES } from '../../support/operations';
import { GraphQLResult, TestStack, graphql } from '../../support/stack';

/*
 * The process-wide cap on concurrent upstream calls (UPSTREAM_MAX_CONCURRENCY) and its queue
 * (UPSTREAM_MAX_QUEUE), seen from the upstream: how many requests it has in flight at once.
 */

const CAP = 2;

function listInvites(stack: TestStack): Promise<GraphQLResult> {
  return graphql(stack.graphqlUrl, LIST_INVITES, { variables: { ...DEMO_ORG } });
}

function inviteMember(stack: TestStack, n: number): Promise<GraphQLResult> {
  return graphql(stack.graphqlUrl, INVITE_MEMBER, { variables: { ...DEMO_ORG, invite: { email: `member${n}@example.com`, role: 'VIEW' } } });
}

function codeOf(result: GraphQLResult): unknown {
  return result.body.errors?.[0]?.extensions?.code;
}

async function timed(run: () => Promise<GraphQLResult>): Promise<{ result: GraphQLResult; ms: number }> {
  const started = Date.now();
  const result = await run();
  return { result, ms: Date.now() - started };
}

describe(`UPSTREAM_MAX_CONCURRENCY=${CAP}`, () => {
  test('many parallel queries: never more than 2 requests in flight at the upstream, and all succeed', async () => {
    await withFaultStack({ UPSTREAM_MAX_CONCURRENCY: String(CAP) }, async (stack, fault) => {
      fault.always(delay(100));

      const results = await Promise.all(Array.from({ length: 8 }, () => listInvites(stack)));

      for (const result of results) {
        expect(result.body.errors).toBeUndefined();
        expect(result.body.data).toMatchObject({ orgInvites: { count: 2 } });
      }
      expect(fault.count('GET')).toBe(8);
      expect(fault.maxInFlight).toBe(CAP);
    });
  });

  test('parallel mutations and queries share the cap', async () => {
    await withFaultStack({ UPSTREAM_MAX_CONCURRENCY: String(CAP) }, async (stack, fault) => {
      fault.always(delay(80));

      const results = await Promise.all([
        ...Array.from({ length: 4 }, () => listInvites(stack)),
        ...Array.from({ length: 4 }, (_, n) => inviteMember(stack, n)),
      ]);

      for (const result of results) expect(result.body.errors).toBeUndefined();
      expect(fault.count('GET')).toBe(4);
      expect(fault.count('POST')).toBe(4);
      expect(fault.maxInFlight).toBe(CAP);
    });
  });

  test('without a cap the same load runs in parallel (the fault upstream measures in-flight requests)', async () => {
    await withFaultStack({}, async (stack, fault) => {
      fault.always(delay(150));

      await Promise.all(Array.from({ length: 6 }, () => listInvites(stack)));

      expect(fault.maxInFlight).toBeGreaterThan(CAP);
    });
  });

  test('a call queued behind hanging ones still ends within its operation budget', async () => {
    await withFaultStack({ UPSTREAM_MAX_CONCURRENCY: '1', OPERATION_TIMEOUT_MS: '400', UPSTREAM_TIMEOUT_MS: '60000' }, async (stack, fault) => {
      fault.always(hang);

      const runs = await Promise.all(Array.from({ length: 3 }, () => timed(() => listInvites(stack))));

      for (const { result, ms } of runs) {
        expect(codeOf(result)).toBe('UPSTREAM_TIMEOUT');
        expect(ms).toBeLessThan(3000);
      }
      expect(fault.maxInFlight).toBe(1);
    });
  });
});

describe(`UPSTREAM_MAX_CONCURRENCY=${CAP} with UPSTREAM_MAX_QUEUE=0`, () => {
  const env = { UPSTREAM_MAX_CONCURRENCY: String(CAP), UPSTREAM_MAX_QUEUE: '0' };
  // Long enough that a fail-fast answer stays well under it on a cold, loaded machine (the first
  // request of a run also pays for opening connections), so the bound below tells waiting apart.
  const SLOW_MS = 2_000;

  test('queries beyond the cap fail fast with UPSTREAM_UNAVAILABLE and never reach the upstream', async () => {
    await withFaultStack(env, async (stack, fault) => {
      fault.always(delay(SLOW_MS));

      const runs = await Promise.all(Array.from({ length: 6 }, () => timed(() => listInvites(stack))));

      const passed = runs.filter(({ result }) => result.body.errors === undefined);
      const rejected = runs.filter(({ result }) => result.body.errors !== undefined);
      expect(passed).toHaveLength(CAP);
      expect(rejected).toHaveLength(6 - CAP);
      for (const { result, ms } of rejected) {
        expect(codeOf(result)).toBe('UPSTREAM_UNAVAILABLE');
        // Fail fast: not after waiting for a slot (the busy calls take SLOW_MS).
        expect(ms).toBeLessThan(SLOW_MS - 100);
      }
      // Rejected reads are not retried either.
      expect(fault.count('GET')).toBe(CAP);
      expect(fault.maxInFlight).toBe(CAP);
    });
  });

  test('a mutation beyond the cap fails fast with mayHaveSucceeded false and is never sent', async () => {
    await withFaultStack(env, async (stack, fault) => {
      fault.always(delay(SLOW_MS));

      const busy = [listInvites(stack), listInvites(stack)];
      // Wait until both slots are taken at the upstream.
      const deadline = Date.now() + 2000;
      while (fault.inFlight < CAP && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(fault.inFlight).toBe(CAP);

      const mutation = await inviteMember(stack, 1);

      expect(mutation.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', mayHaveSucceeded: false });
      expect(fault.count('POST')).toBe(0);
      for (const result of await Promise.all(busy)) expect(result.body.errors).toBeUndefined();
    });
  });

  test('once the busy calls finish, new calls go through again', async () => {
    await withFaultStack(env, async (stack, fault) => {
      fault.always(delay(200));

      const first = await Promise.all(Array.from({ length: 4 }, () => listInvites(stack)));
      expect(first.filter((result) => codeOf(result) === 'UPSTREAM_UNAVAILABLE')).toHaveLength(4 - CAP);

      const second = await Promise.all([listInvites(stack), listInvites(stack)]);
      for (const result of second) expect(result.body.errors).toBeUndefined();
      expect(fault.count('GET')).toBe(2 * CAP);
    });
  });
});
