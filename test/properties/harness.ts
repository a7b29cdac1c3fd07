import { ErrorCode } from '../../src/errors/errorCode';
import type { RecordedRequest } from '../../src/simulator/SimulatorServer';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS } from '../../src/simulator/demoData';
import type { TestStack } from '../support/stack';
import type { TokenChoice } from './arbitraries';

export interface GraphQLErrorBody {
  readonly message: string;
  readonly path?: ReadonlyArray<string | number>;
  readonly extensions?: Record<string, unknown>;
}

export interface Envelope {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly GraphQLErrorBody[];
}

export interface Exchange {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: Envelope;
  /** What the simulator received while the request ran. */
  readonly upstream: readonly RecordedRequest[];
}

export const ERROR_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

const GARBAGE_TOKEN = 'not-a-known-token-0000';

export function authorizationFor(token: TokenChoice): string | undefined {
  switch (token) {
    case 'admin':
      return `Bearer ${DEMO_TOKENS.admin}`;
    case 'readOnly':
      return `Bearer ${DEMO_TOKENS.readOnly}`;
    case 'noInvites':
      return `Bearer ${DEMO_TOKENS.noInvites}`;
    case 'garbage':
      return `Bearer ${GARBAGE_TOKEN}`;
    case 'none':
      return undefined;
  }
}

/**
 * Sends one GraphQL POST and answers what came back and what reached the upstream. Fails (throws)
 * unless the answer is a non-5xx JSON envelope with `data` or `errors`, every error carrying an
 * `extensions.code` of the ErrorCode enum: the invariants every input must keep.
 */
export async function exchange(stack: TestStack, query: string, variables: unknown, token: TokenChoice): Promise<Exchange> {
  stack.simulator.requests.length = 0;
  const authorization = authorizationFor(token);
  const response = await fetch(stack.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(authorization !== undefined ? { authorization } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type');
  const upstream = [...stack.simulator.requests];

  if (response.status >= 500) throw new Error(`HTTP ${response.status}: ${text.slice(0, 500)}`);
  if (!contentType || !/json/i.test(contentType)) throw new Error(`content-type ${contentType}: ${text.slice(0, 500)}`);
  let body: Envelope;
  try {
    body = JSON.parse(text) as Envelope;
  } catch {
    throw new Error(`body is not JSON: ${text.slice(0, 500)}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error(`body is not an object: ${text.slice(0, 500)}`);
  if (!('data' in body) && !('errors' in body)) throw new Error(`body has neither data nor errors: ${text.slice(0, 500)}`);
  if (body.errors !== undefined) {
    if (!Array.isArray(body.errors) || body.errors.length === 0) throw new Error(`errors is not a non-empty list: ${text.slice(0, 500)}`);
    for (const error of body.errors as readonly GraphQLErrorBody[]) {
      const code = error.extensions?.code;
      if (typeof code !== 'string' || !ERROR_CODES.has(code))
        throw new Error(`error code ${String(code)} is not an ErrorCode: ${JSON.stringify(error)}`);
    }
  }
  return { status: response.status, contentType, body, upstream };
}

const PROBE = `{ instanceOrg(instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}") { orgId } }`;

/** The gateway still answers an ordinary request correctly (it did not crash or wedge). */
export async function assertStillServing(stack: TestStack): Promise<void> {
  const response = await fetch(stack.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKENS.admin}` },
    body: JSON.stringify({ query: PROBE }),
  });
  const body = (await response.json()) as Envelope;
  if (response.status !== 200 || (body.data?.instanceOrg as { orgId?: string } | undefined)?.orgId !== DEMO_ORG_ID) {
    throw new Error(`follow-up request failed: HTTP ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  }
}

/** The codes of an answer's errors. */
export function codesOf(result: Exchange): string[] {
  return (result.body.errors ?? []).map((error) => String(error.extensions?.code));
}

/** Throws with the whole exchange in the message, so a counterexample explains itself. */
export function fail(message: string, result: Exchange): never {
  const upstream = result.upstream.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.query)}`);
  throw new Error(
    `${message}\n  HTTP ${result.status}\n  body ${JSON.stringify(result.body).slice(0, 1500)}\n  upstream ${JSON.stringify(upstream).slice(0, 800)}`,
  );
}
