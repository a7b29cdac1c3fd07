import { Fault, delay, ok, reset, status } from '../../../src/simulator/faults';
import { FaultUpstream, startFaultUpstream } from '../../support/faultUpstream';
import { DEMO_ORG, INVITE_MEMBER, LIST_INVITES } from '../../support/operations';
import { GraphQLResult, TestStack, graphql, startStack } from '../../support/stack';

/*
 * The circuit breaker through the whole gateway. Every test gets a fresh gateway (the breaker is
 * per process) with one try per read, so each query is exactly one upstream call. One caller makes
 * every call here, so BREAKER_MIN_CALLERS is 1 (test/security/breakerEvidence.process.test.ts has the default).
 */

const THRESHOLD = 3;
/**
 * The first wait of an open circuit (an eighth of BREAKER_COOLDOWN_MS; the next is twice that).
 * What happens while the circuit is open is checked within that wait, so it is long enough for a
 * loaded machine to make several calls in it: ten seconds where no test waits it out, one second
 * where the probes are tested (each waits it out, by calling until a call reaches the upstream).
 * The waits to the millisecond are ResilientInvitesApi.test.ts's, on a fake clock.
 */
const LONG_FIRST_WAIT_MS = 10_000;
const PROBE_FIRST_WAIT_MS = 1_000;
let firstWaitMs = LONG_FIRST_WAIT_MS;

let fault: FaultUpstream;
let stack: TestStack;

beforeAll(async () => {
  fault = await startFaultUpstream();
});

afterAll(async () => {
  await fault?.close();
});

beforeEach(async () => {
  fault.reset();
  stack = await startStack({
    upstreamUrl: fault.url,
    env: {
      BREAKER_THRESHOLD: String(THRESHOLD),
      BREAKER_MIN_CALLERS: '1',
      BREAKER_COOLDOWN_MS: String(firstWaitMs * 8),
      UPSTREAM_MAX_ATTEMPTS: '1',
      UPSTREAM_TIMEOUT_MS: '2000',
    },
  });
});

afterEach(async () => {
  await stack?.close();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function listInvites(): Promise<GraphQLResult> {
  return graphql(stack.graphqlUrl, LIST_INVITES, { variables: { ...DEMO_ORG } });
}

function inviteMember(): Promise<GraphQLResult> {
  return graphql(stack.graphqlUrl, INVITE_MEMBER, {
    variables: { ...DEMO_ORG, invite: { email: 'new.member@example.com', role: 'VIEW' } },
  });
}

function codeOf(result: GraphQLResult): unknown {
  return result.body.errors?.[0]?.extensions?.code;
}

function extensionsOf(result: GraphQLResult): Record<string, unknown> | undefined {
  return result.body.errors?.[0]?.extensions;
}

function succeeded(result: GraphQLResult): boolean {
  return result.body.errors === undefined && result.body.data != null;
}

/**
 * Calls until one reaches the upstream (the open circuit's wait is over and it lets a probe
 * through) and answers that one; every call before it must have failed fast, reaching nothing.
 */
async function firstLetThrough(call: () => Promise<GraphQLResult> = listInvites): Promise<GraphQLResult> {
  const before = fault.count();
  for (;;) {
    const result = await call();
    if (fault.count() > before) return result;
    expect(codeOf(result)).toBe('UPSTREAM_UNAVAILABLE');
    await sleep(10);
  }
}

/** Sends `THRESHOLD` queries that each meet `injected` once: the circuit opens after the last. */
async function openCircuit(
  injected: Fault = status(500, { type: 'Internal', message: 'boom' }),
  expectedCode = 'UPSTREAM_ERROR',
): Promise<void> {
  fault.repeat(injected, THRESHOLD);
  for (let i = 0; i < THRESHOLD; i++) expect(codeOf(await listInvites())).toBe(expectedCode);
  expect(fault.count()).toBe(THRESHOLD);
}

describe('opening', () => {
  test(`${THRESHOLD} consecutive 500s open the circuit: the next query fails fast without reaching the upstream`, async () => {
    await openCircuit();

    const result = await listInvites();

    expect(codeOf(result)).toBe('UPSTREAM_UNAVAILABLE');
    expect(fault.count()).toBe(THRESHOLD);
  });

  test('while open, the mutation fails fast too: UPSTREAM_UNAVAILABLE, mayHaveSucceeded false, no POST', async () => {
    await openCircuit();

    const result = await inviteMember();

    expect(extensionsOf(result)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', mayHaveSucceeded: false });
    expect(fault.count('POST')).toBe(0);
  });

  test('one failure short of the threshold leaves it closed', async () => {
    fault.repeat(status(500), THRESHOLD - 1);
    for (let i = 0; i < THRESHOLD - 1; i++) expect(codeOf(await listInvites())).toBe('UPSTREAM_ERROR');

    expect(succeeded(await listInvites())).toBe(true);
    expect(fault.count()).toBe(THRESHOLD);
  });

  test('a success between failures restarts the count', async () => {
    fault.enqueue(status(500), status(500), ok, status(500), status(500));
    for (let i = 0; i < 5; i++) await listInvites();

    // Four failures in all, but never three in a row: the circuit is still closed.
    expect(succeeded(await listInvites())).toBe(true);
    expect(fault.count()).toBe(6);
  });

  test('connection resets count as failures', async () => {
    await openCircuit(reset, 'UPSTREAM_UNAVAILABLE');

    expect(codeOf(await listInvites())).toBe('UPSTREAM_UNAVAILABLE');
    expect(fault.count()).toBe(THRESHOLD);
  });
});

describe('4xx answers say the upstream is fine', () => {
  const clientErrors: Array<[string, Fault]> = [
    ['400', status(400, { type: 'Validation', message: 'bad' })],
    ['401', status(401, { type: 'Unauthorized', message: 'who' })],
    ['403', status(403, { type: 'Forbidden', message: 'no' })],
    ['404', status(404, { type: 'NotFound', message: 'Organization was not found' })],
    ['429', status(429, { type: 'TooManyRequests', message: 'slow down' }, { 'retry-after': '0' })],
  ];

  test('many 400/401/403/404/429 answers in a row never open the circuit', async () => {
    for (let round = 0; round < 2; round++) for (const [, injected] of clientErrors) fault.enqueue(injected);
    const total = clientErrors.length * 2;

    for (let i = 0; i < total; i++) expect(codeOf(await listInvites())).not.toBe('UPSTREAM_UNAVAILABLE');

    expect(succeeded(await listInvites())).toBe(true);
    expect(fault.count()).toBe(total + 1);
  });

  test.each(clientErrors)('%s answers to the mutation never open the circuit', async (_name, injected) => {
    fault.repeat(injected, THRESHOLD * 2);
    for (let i = 0; i < THRESHOLD * 2; i++) expect(extensionsOf(await inviteMember())?.mayHaveSucceeded).toBe(false);

    expect(succeeded(await listInvites())).toBe(true);
    expect(fault.count()).toBe(THRESHOLD * 2 + 1);
  });

  test('a 404 between 500s breaks the run of consecutive failures', async () => {
    // 500, 500, 404, 500: the upstream answered the 404 properly, so there were never
    // THRESHOLD (3) consecutive failures and the circuit must stay closed.
    // Fails today (src bug): errors that `isUpstreamFailure` rejects are rethrown by cockatiel's
    // closed-state breaker without calling `breaker.success()`, so a 4xx neither counts nor resets
    // the ConsecutiveBreaker: 500, 500, 404, 500 opens it.
    fault.enqueue(status(500), status(500), status(404, { type: 'NotFound', message: 'gone' }), status(500));
    for (let i = 0; i < 4; i++) await listInvites();

    const result = await listInvites();

    expect(codeOf(result)).toBeUndefined();
    expect(fault.count()).toBe(5);
  });
});

describe('the probe after the cooldown', () => {
  beforeAll(() => {
    firstWaitMs = PROBE_FIRST_WAIT_MS;
  });
  afterAll(() => {
    firstWaitMs = LONG_FIRST_WAIT_MS;
  });

  test('refused connections count as failures; the open circuit fails fast even once the upstream is back, until the cooldown', async () => {
    await fault.refuseConnections();
    try {
      for (let i = 0; i < THRESHOLD; i++) expect(codeOf(await listInvites())).toBe('UPSTREAM_UNAVAILABLE');
    } finally {
      await fault.acceptConnections();
    }

    expect(codeOf(await listInvites())).toBe('UPSTREAM_UNAVAILABLE');
    expect(fault.count()).toBe(0);

    expect(succeeded(await firstLetThrough())).toBe(true);
    expect(fault.count()).toBe(1);
  });

  test('one probe reaches the upstream after the cooldown; its success closes the circuit', async () => {
    await openCircuit();
    expect(codeOf(await listInvites())).toBe('UPSTREAM_UNAVAILABLE');

    const probe = await firstLetThrough();

    expect(succeeded(probe)).toBe(true);
    expect(fault.count()).toBe(THRESHOLD + 1);

    // Closed again: every call reaches the upstream, and it takes THRESHOLD new failures to open it.
    for (let i = 0; i < 3; i++) expect(succeeded(await listInvites())).toBe(true);
    expect(fault.count()).toBe(THRESHOLD + 4);
    fault.repeat(status(500), THRESHOLD - 1);
    for (let i = 0; i < THRESHOLD - 1; i++) await listInvites();
    expect(succeeded(await listInvites())).toBe(true);
  });

  test('a failed probe reopens the circuit for another cooldown', async () => {
    await openCircuit();

    fault.enqueue(status(503));
    expect(codeOf(await firstLetThrough())).toBe('UPSTREAM_ERROR');
    expect(fault.count()).toBe(THRESHOLD + 1);

    // One failure was enough to reopen it: fail fast again, nothing sent.
    expect(codeOf(await listInvites())).toBe('UPSTREAM_UNAVAILABLE');
    expect(codeOf(await inviteMember())).toBe('UPSTREAM_UNAVAILABLE');
    expect(fault.count()).toBe(THRESHOLD + 1);

    expect(succeeded(await firstLetThrough())).toBe(true);
    expect(fault.count()).toBe(THRESHOLD + 2);
  });

  test('a probe that meets a dropped connection reopens the circuit', async () => {
    await openCircuit();

    fault.enqueue(reset);
    expect(codeOf(await firstLetThrough())).toBe('UPSTREAM_UNAVAILABLE');
    expect(fault.count()).toBe(THRESHOLD + 1);
    expect(codeOf(await listInvites())).toBe('UPSTREAM_UNAVAILABLE');
    expect(fault.count()).toBe(THRESHOLD + 1);
  });

  test('while the probe is in flight, other calls do not reach the upstream; a failed probe fails them fast', async () => {
    await openCircuit();

    // Calls until one is let through, seen when it reaches the upstream, which holds it 1 s.
    fault.enqueue(delay(1_000, status(500)));
    let probe: Promise<GraphQLResult> | undefined;
    while (!probe) {
      let answered = false;
      const call = listInvites().finally(() => {
        answered = true;
      });
      while (!answered && fault.count() === THRESHOLD) await sleep(5);
      if (fault.count() > THRESHOLD) probe = call;
      else expect(codeOf(await call)).toBe('UPSTREAM_UNAVAILABLE');
    }
    const others = await Promise.all([listInvites(), listInvites(), inviteMember()]);
    const probeResult = await probe;

    expect(codeOf(probeResult)).toBe('UPSTREAM_ERROR');
    for (const other of others) expect(codeOf(other)).toBe('UPSTREAM_UNAVAILABLE');
    expect(fault.count()).toBe(THRESHOLD + 1);
    expect(fault.count('POST')).toBe(0);
  });

  test('a 4xx answer to the probe closes the circuit (the upstream answered)', async () => {
    await openCircuit();

    fault.enqueue(status(404, { type: 'NotFound', message: 'gone' }));
    expect(codeOf(await firstLetThrough())).toBe('NOT_FOUND');

    expect(succeeded(await listInvites())).toBe(true);
    expect(fault.count()).toBe(THRESHOLD + 2);
  });
});
