import { capturingLogger } from '../support/capturedLogs';
import { metric, ROUTER_ENV, ROUTER_HEADERS } from '../support/attack';
import { answerCodes, fireUntilRefused, sendAs, upstreamCallsWith } from '../support/rateLimitAttack';
import { DEMO_ORG, LIST_INVITES } from '../support/operations';
import { DEMO_TOKENS, startStack, TestStack } from '../support/stack';

/**
 * One token firing operations at the gateway: without a limit, every one of them reaches the
 * upstream and spends the organization's quota for every other token. With RATE_LIMIT_POINTS, the
 * token's REST calls stop at its share, counted before anything is sent.
 */

const POINTS = 5;
const WINDOW_SECONDS = 600;
const ATTACK = 40;

describe('off by default', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  test('every operation of the attack reaches the upstream, and no answer carries RateLimit fields', async () => {
    const answers = await fireUntilRefused([stack.graphqlUrl], DEMO_TOKENS.admin, ATTACK);
    expect(answers).toHaveLength(ATTACK);
    expect(answers.every((answer) => answer.status === 200 && answer.rateLimit === null && answer.rateLimitPolicy === null)).toBe(true);
    expect(upstreamCallsWith(stack.simulator, DEMO_TOKENS.admin)).toBe(ATTACK);
  });
});

describe(`RATE_LIMIT_POINTS=${POINTS}`, () => {
  let stack: TestStack;
  const logs = capturingLogger('info');
  beforeAll(async () => {
    stack = await startStack({
      env: { RATE_LIMIT_POINTS: String(POINTS), RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS), MAX_BATCH_SIZE: '10', ...ROUTER_ENV },
      logger: logs.logger,
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  test('the attack: exactly the share reaches the upstream, then RATE_LIMITED with 429, Retry-After, retryAfter and the RateLimit fields', async () => {
    const answers = await fireUntilRefused([stack.graphqlUrl], DEMO_TOKENS.admin, ATTACK);
    expect(upstreamCallsWith(stack.simulator, DEMO_TOKENS.admin)).toBe(POINTS);
    expect(answers).toHaveLength(POINTS + 1);
    // Every answer says where the share stands, not only the refusal.
    answers.slice(0, POINTS).forEach((answer, index) => {
      expect(answer.status).toBe(200);
      expect(answer.rateLimitPolicy).toBe(`"upstream-calls";q=${POINTS};w=${WINDOW_SECONDS}`);
      expect(answer.rateLimit).toMatch(new RegExp(`^"upstream-calls";r=${POINTS - 1 - index};t=\\d+$`));
    });
    const refused = answers[POINTS];
    expect(refused.status).toBe(429);
    expect(answerCodes(refused)).toEqual(['RATE_LIMITED']);
    const { retryAfter, gatewayLimit } = refused.body.errors![0].extensions!;
    expect(gatewayLimit).toBe('RATE_LIMIT_POINTS');
    expect(retryAfter).toEqual(expect.any(Number));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(refused.retryAfter).toBe(String(retryAfter));
    expect(refused.rateLimit).toBe(`"upstream-calls";r=0;t=${String(retryAfter)}`);
    expect(refused.rateLimitPolicy).toBe(`"upstream-calls";q=${POINTS};w=${WINDOW_SECONDS}`);
    expect(refused.body.data).toBeUndefined();

    // Refusals are counted and logged, without the token.
    expect(await metric(stack.gateway.url, 'graphql_operations_rate_limited_total')).toBe(1);
    const line = logs.lines.find((entry) => entry.msg === "operation refused: its token's share of the upstream quota is spent");
    expect(line).toMatchObject({ rateLimit: { calls: 1, remaining: 0, resetSeconds: retryAfter } });
    expect(JSON.stringify(logs.lines)).not.toContain(DEMO_TOKENS.admin);

    // Refused again and again: still nothing more upstream.
    const more = await fireUntilRefused([stack.graphqlUrl], DEMO_TOKENS.admin, 3);
    expect(answerCodes(more[0])).toEqual(['RATE_LIMITED']);
    expect(upstreamCallsWith(stack.simulator, DEMO_TOKENS.admin)).toBe(POINTS);
  });

  test('another token is not affected by the spent one', async () => {
    expect(answerCodes(await sendAs(stack.graphqlUrl, DEMO_TOKENS.admin))).toEqual(['RATE_LIMITED']);
    const before = upstreamCallsWith(stack.simulator, DEMO_TOKENS.readOnly);
    const answer = await sendAs(stack.graphqlUrl, DEMO_TOKENS.readOnly);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.rateLimit).toMatch(new RegExp(`^"upstream-calls";r=${POINTS - 1};t=\\d+$`));
    expect(upstreamCallsWith(stack.simulator, DEMO_TOKENS.readOnly)).toBe(before + 1);
  });

  test('an operation that makes no REST call costs nothing and is served to a spent token, with the fields', async () => {
    const answer = await sendAs(stack.graphqlUrl, DEMO_TOKENS.admin, { query: '{ __typename }' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { __typename: 'Query' } });
    expect(answer.rateLimit).toMatch(/^"upstream-calls";r=0;t=\d+$/);
  });

  test('the operations of a batch are charged one by one, by their REST calls', async () => {
    const token = DEMO_TOKENS.noInvites;
    // Distinct filters: the request's loader would otherwise read one list once for all of them.
    const list = (alias: string) =>
      `${alias}: orgInvites(instanceId: $instanceId, orgId: $orgId, filterField: EMAIL, filter: $${alias}) { count }`;
    const twoCalls = (n: number) => ({
      query: `query($instanceId: ID!, $orgId: ID!, $a: String, $b: String) { ${list('a')} ${list('b')} }`,
      variables: { ...DEMO_ORG, a: `a${n}*`, b: `b${n}*` },
    });
    const one = { query: LIST_INVITES, variables: DEMO_ORG };
    // Apollo runs a batch's operations at once, in no set order: whatever the order, 5 calls fit
    // (2 + 2 + 1) and one two-call operation does not. A refused operation spends nothing, so the
    // one-call operation fits even when it comes after the refusal.
    const response = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify([twoCalls(1), twoCalls(2), twoCalls(3), one]),
    });
    const results = (await response.json()) as Array<{ errors?: Array<{ extensions?: { code?: string } }> }>;
    const refused = results.flatMap((result, index) =>
      (result.errors ?? []).some((error) => error.extensions?.code === 'RATE_LIMITED') ? [index] : [],
    );
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeLessThan(3);
    expect(upstreamCallsWith(stack.simulator, token)).toBe(POINTS);
    expect(response.status).toBe(429);
    expect(response.headers.get('ratelimit-policy')).toBe(`"upstream-calls";q=${POINTS};w=${WINDOW_SECONDS}`);
  });

  test("through the federation router, an operation is charged to the caller's token the router forwards", async () => {
    const remaining = (answer: { rateLimit: string | null }): number => Number(/;r=(\d+);/.exec(answer.rateLimit ?? '')?.[1]);
    const viaRouter = (token: string) =>
      fetch(stack.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...ROUTER_HEADERS },
        body: JSON.stringify({ query: LIST_INVITES, variables: DEMO_ORG }),
      }).then(async (response) => ({
        status: response.status,
        rateLimit: response.headers.get('ratelimit'),
        body: (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> },
      }));
    // The spent token gets no fresh share by going through the router.
    const spent = await viaRouter(DEMO_TOKENS.admin);
    expect(spent.status).toBe(429);
    expect(spent.body.errors?.map((error) => error.extensions?.code)).toEqual(['RATE_LIMITED']);
    // Direct and through the router, one share: the router's call takes from the caller's.
    const direct = remaining(await sendAs(stack.graphqlUrl, DEMO_TOKENS.readOnly));
    expect(remaining(await viaRouter(DEMO_TOKENS.readOnly))).toBe(direct - 1);
  });

  test('a request without a token is refused UNAUTHENTICATED before any upstream call, and charged to nobody', async () => {
    const answer = await sendAs(stack.graphqlUrl, null);
    expect(answerCodes(answer)).toEqual(['UNAUTHENTICATED']);
    expect(answer.rateLimit).toBeNull();
  });
});
