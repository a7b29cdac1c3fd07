import type { ValidateFunction } from 'ajv';
import type { OrgInviteCollectionDto, OrgInviteDto, UpstreamErrorDto } from '../../src/contract/types';
import { contractSchemas } from '../../src/contract/validators';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS } from '../../src/simulator/demoData';

/** Asserts a contract validator accepts `body`; on failure the diff shows ajv's errors. */
export function expectValid(validate: ValidateFunction, body: unknown): void {
  const valid = validate(body);
  expect({ valid, errors: validate.errors ?? null, body: valid ? undefined : body }).toEqual({
    valid: true,
    errors: null,
    body: undefined,
  });
}

export interface SimResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export interface CallOptions {
  /** Bearer token; `null` sends no Authorization header. Defaults to the demo admin token. */
  readonly token?: string | null;
  readonly query?: Readonly<Record<string, string>>;
  /** JSON-encoded unless `rawBody` is given. */
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

export function invitesPath(instanceId: string = DEMO_INSTANCE_ID, orgId: string = DEMO_ORG_ID): string {
  return `/instances/${instanceId}/orgs/${orgId}/invites`;
}

/** One real HTTP request to the simulator, with the headers the official clients send. */
export async function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<SimResponse> {
  const token = options.token === undefined ? DEMO_TOKENS.admin : options.token;
  const query = options.query ? `?${new URLSearchParams(options.query).toString()}` : '';
  const body = options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
  const response = await fetch(`${baseUrl}${path}${query}`, {
    method,
    headers: {
      accept: 'application/json',
      'accept-version': '^1.30.0',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
      ...options.headers,
    },
    body,
    signal: options.signal,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

export function list(
  baseUrl: string,
  query?: Record<string, string>,
  options: CallOptions & { orgId?: string; instanceId?: string } = {},
): Promise<SimResponse> {
  return call(baseUrl, 'GET', invitesPath(options.instanceId, options.orgId), { ...options, query });
}

export function post(
  baseUrl: string,
  body: unknown,
  options: CallOptions & { orgId?: string; instanceId?: string } = {},
): Promise<SimResponse> {
  return call(baseUrl, 'POST', invitesPath(options.instanceId, options.orgId), { ...options, body });
}

function parse(response: SimResponse): unknown {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return JSON.parse(response.text) as unknown;
}

/** Asserts the status and that the body is a contract-valid `orgInviteCollection`. */
export function expectCollection(response: SimResponse, status = 200): OrgInviteCollectionDto {
  expect({ status: response.status, text: response.status === status ? undefined : response.text }).toEqual({ status, text: undefined });
  const body = parse(response);
  expectValid(contractSchemas.orgInviteCollection, body);
  const collection = body as OrgInviteCollectionDto;
  expect(collection.count).toBe(collection.items.length);
  return collection;
}

/** Asserts the status, that the body is a contract-valid `error`, and its `type`. */
export function expectError(response: SimResponse, status: number, type: string): Required<UpstreamErrorDto> {
  expect({ status: response.status, text: response.status === status ? '(error body)' : response.text }).toEqual({
    status,
    text: '(error body)',
  });
  const body = parse(response);
  expectValid(contractSchemas.error, body);
  const error = body as Required<UpstreamErrorDto>;
  expect(error.type).toBe(type);
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
  return error;
}

export const ids = (items: readonly OrgInviteDto[]): string[] => items.map((invite) => invite.id);
export const emails = (items: readonly OrgInviteDto[]): string[] => items.map((invite) => invite.email);

/** Demo invite id `n`, as demoData derives it. */
export const demoId = (n: number): string => `6a00000000000000000000${n.toString(16).padStart(2, '0')}`;

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Asserts `items` are ordered by `field` in `direction` (ties allowed). */
export function expectSorted(items: readonly OrgInviteDto[], field: 'email' | 'role' | 'inviteDate', direction: 'asc' | 'desc'): void {
  const key = (invite: OrgInviteDto): number | string => (field === 'inviteDate' ? Date.parse(invite.inviteDate) : invite[field]);
  for (let i = 1; i < items.length; i++) {
    const [a, b] = direction === 'asc' ? [key(items[i - 1]), key(items[i])] : [key(items[i]), key(items[i - 1])];
    if (a > b) throw new Error(`not sorted by ${field} ${direction} at ${i}: ${JSON.stringify(items.map(key))}`);
  }
}
