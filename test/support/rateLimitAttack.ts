import type { SimulatorServer } from '../../src/simulator/SimulatorServer';
import { DEMO_ORG, LIST_INVITES } from './operations';

/** One answer of the gateway with the headers the rate limit sets. */
export interface LimitedAnswer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly rateLimit: string | null;
  readonly rateLimitPolicy: string | null;
  readonly body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

/** Sends one operation with `token` (none when null) over real HTTP. */
export async function sendAs(
  graphqlUrl: string,
  token: string | null,
  body: unknown = { query: LIST_INVITES, variables: DEMO_ORG },
): Promise<LimitedAnswer> {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
    // Far beyond anything a request that does not wait on a hung dependency takes: one that does never answers.
    signal: AbortSignal.timeout(20_000),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    rateLimit: response.headers.get('ratelimit'),
    rateLimitPolicy: response.headers.get('ratelimit-policy'),
    body: (await response.json()) as LimitedAnswer['body'],
  };
}

/** REST calls the simulator received with `token`. */
export function upstreamCallsWith(simulator: SimulatorServer, token: string): number {
  return simulator.requests.filter((request) => request.headers.authorization === `Bearer ${token}`).length;
}

/** The `extensions.code` of each error of an answer. */
export function answerCodes(answer: LimitedAnswer): unknown[] {
  return (answer.body.errors ?? []).map((error) => error.extensions?.code);
}

/**
 * The attack: one token lists invites (one REST call each) through the gateways in turn until an
 * answer is RATE_LIMITED, or `max` operations were sent. Answers every answer, in order.
 */
export async function fireUntilRefused(graphqlUrls: readonly string[], token: string, max: number): Promise<LimitedAnswer[]> {
  const answers: LimitedAnswer[] = [];
  for (let sent = 0; sent < max; sent++) {
    const answer = await sendAs(graphqlUrls[sent % graphqlUrls.length], token);
    answers.push(answer);
    if (answerCodes(answer).includes('RATE_LIMITED')) break;
  }
  return answers;
}
