import { delay, hang, ok } from '../../../src/simulator/faults';
import { withFaultStack } from '../../support/faultStack';
import type { FaultUpstream } from '../../support/faultUpstream';
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
  return graphql(stack.graphqlUrl, INVITE_MEMBER, {
    variables: { ...DEMO_ORG, invite: { email: `member${n}@example.com`, role: 'VIEW' } },
  });
}

function codeOf(result: GraphQLResult): unknown {
  return result.body.errors?.[0]?.extensions?.code;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Lets go of the requests the upstream holds (`hang`): their connections drop and the reads' retries are answered. */
function release(fault: FaultUpstream): void {
  fault.always(ok);
  fault.destroyConnections();
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
      // Held at the upstream until all six are there: a cap would keep them from ever arriving together.
      fault.always(hang);
      const calls = Array.from({ length: 6 }, () => listInvites(stack));
      while (fault.inFlight < 6) await sleep(10);
      release(fault);
      await Promise.all(calls);

      expect(fault.maxInFlight).toBe(6);
    });
  });

  test('a call queued behind hanging ones still ends within its operation budget', async () => {
    await withFaultStack(
      { UPSTREAM_MAX_CONCURRENCY: '1', OPERATION_TIMEOUT_MS: '400', UPSTREAM_TIMEOUT_MS: '60000' },
      async (stack, fault) => {
        fault.always(hang);

        // The upstream never answers and its own timeout is a minute: only the 400 ms budget can end
        // the calls (a queued call that ignored it would wait for the slot until jest gives up).
        const results = await Promise.all(Array.from({ length: 3 }, () => listInvites(stack)));

        for (const result of results) expect(codeOf(result)).toBe('UPSTREAM_TIMEOUT');
        expect(fault.maxInFlight).toBe(1);
      },
    );
  });
});

describe(`UPSTREAM_MAX_CONCURRENCY=${CAP} with UPSTREAM_MAX_QUEUE=0`, () => {
  const env = { UPSTREAM_MAX_CONCURRENCY: String(CAP), UPSTREAM_MAX_QUEUE: '0' };

  test('queries beyond the cap fail fast with UPSTREAM_UNAVAILABLE and never reach the upstream', async () => {
    await withFaultStack(env, async (stack, fault) => {
      // The upstream holds what reaches it until the test lets go: a call that waited for a slot
      // would never be answered, so an answer before that is a fail-fast one, on any machine.
      fault.always(hang);

      const calls = Array.from({ length: 6 }, () => listInvites(stack));
      const answered: GraphQLResult[] = [];
      for (const call of calls) void call.then((result) => answered.push(result));
      while (answered.length < 6 - CAP) await sleep(10);

      for (const result of answered) expect(codeOf(result)).toBe('UPSTREAM_UNAVAILABLE');
      // Answered while the CAP others were still held at the upstream; rejected reads are not retried.
      expect(fault.inFlight).toBe(CAP);
      expect(fault.count('GET')).toBe(CAP);
      expect(fault.maxInFlight).toBe(CAP);
      release(fault);
      await Promise.all(calls);
      expect(answered).toHaveLength(6);
    });
  });

  test('a mutation beyond the cap fails fast with mayHaveSucceeded false and is never sent', async () => {
    await withFaultStack(env, async (stack, fault) => {
      // Both slots taken by reads the upstream holds until released.
      fault.always(hang);
      const busy = [listInvites(stack), listInvites(stack)];
      while (fault.inFlight < CAP) await sleep(10);

      const mutation = await inviteMember(stack, 1);

      expect(mutation.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', mayHaveSucceeded: false });
      expect(fault.count('POST')).toBe(0);
      expect(fault.inFlight).toBe(CAP);
      release(fault);
      for (const result of await Promise.all(busy)) expect(result.body.errors).toBeUndefined();
    });
  });

  test('once the busy calls finish, new calls go through again', async () => {
    await withFaultStack(env, async (stack, fault) => {
      // CAP reads held at the upstream, the others refused; then the held ones are let go.
      fault.always(hang);
      const first = Array.from({ length: 4 }, () => listInvites(stack));
      let refused = 0;
      for (const call of first) void call.then((result) => (refused += codeOf(result) === 'UPSTREAM_UNAVAILABLE' ? 1 : 0));
      while (refused < 4 - CAP) await sleep(10);
      release(fault);
      for (const result of await Promise.all(first)) expect([undefined, 'UPSTREAM_UNAVAILABLE']).toContain(codeOf(result));
      expect(refused).toBe(4 - CAP);

      const before = fault.count('GET');
      const second = await Promise.all([listInvites(stack), listInvites(stack)]);
      for (const result of second) expect(result.body.errors).toBeUndefined();
      expect(fault.count('GET')).toBe(before + CAP);
    });
  });
});
