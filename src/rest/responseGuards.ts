import { DateTimeResolver } from 'graphql-scalars';
import { firstUpstreamProblem, SchemaProblem, upstreamBodySchemas } from '../contract/validators';

/*
 * Checks a 2xx body before anything reads it, in two steps: the contract's own JSON schema (so a
 * number where a string belongs, an unknown role or a malformed id is caught here, not deep in
 * the GraphQL layer), then what this gateway needs beyond the contract, which makes no property
 * required: the fields the schema serves as non-null and has no default for, and values its
 * scalars can represent. Each check answers why the body cannot be read, or undefined when it
 * can; nothing the upstream wrote is quoted, only where the problem is.
 */

/** Why a body cannot be read, or undefined when it can. */
export type BodyCheck = (body: unknown) => string | undefined;

/** Invite properties the GraphQL schema serves as non-null with no default (unlike the role lists and disallowTransfer). */
const REQUIRED_INVITE_PROPERTIES = ['id', 'email', 'role', 'inviteDate', 'ttl', 'hasExpired'] as const;

/** GraphQL's `Int` is 32 bits; the contract's `integer` is not bounded. */
const GRAPHQL_INT_MAX = 2 ** 31 - 1;

export const orgInviteCollectionProblem: BodyCheck = (body) => {
  const problem = firstUpstreamProblem(upstreamBodySchemas.orgInviteCollection, body);
  if (problem) return describe(problem);
  const { items, count } = body as { items?: unknown; count?: unknown };
  if (!Array.isArray(items)) return 'items is required';
  if (typeof count === 'number' && Math.abs(count) > GRAPHQL_INT_MAX) return 'count is larger than a 32-bit integer';
  for (let i = 0; i < items.length; i++) {
    const itemProblem = readableInviteProblem(items[i] as object, `items[${i}].`);
    if (itemProblem) return itemProblem;
  }
  return undefined;
};

export const orgInviteProblem: BodyCheck = (body) => {
  const problem = firstUpstreamProblem(upstreamBodySchemas.orgInvite, body);
  return problem ? describe(problem) : readableInviteProblem(body as object, '');
};

export const successProblem: BodyCheck = (body) => {
  const problem = firstUpstreamProblem(upstreamBodySchemas.success, body);
  if (problem) return describe(problem);
  return (body as { success?: unknown }).success === true ? undefined : 'success is required';
};

/** What the GraphQL layer needs of an invite the contract has already accepted. */
function readableInviteProblem(invite: object, at: string): string | undefined {
  for (const name of REQUIRED_INVITE_PROPERTIES) {
    if (!Object.hasOwn(invite, name)) return `${at}${name} is required`;
  }
  // The contract's date-time format also takes a space for the T and offsets without a colon,
  // which the DateTime scalar cannot serve.
  if (!isServableDateTime((invite as { inviteDate: string }).inviteDate))
    return `${at}inviteDate must be an RFC 3339 date-time the DateTime scalar accepts`;
  return undefined;
}

/**
 * Date-times the DateTime scalar takes, recognised without calling it: asking the scalar costs as
 * much as the whole contract check of a list. The contract's format has already checked the date;
 * the time is checked here, since that format takes odd leap seconds (`24:59:00+01:00`). Anything
 * else (a real leap second, a lower-case `t`) is left to the scalar itself.
 */
const PLAIN_DATE_TIME = /^\d{4}-\d\d-\d\dT(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

function isServableDateTime(value: string): boolean {
  if (PLAIN_DATE_TIME.test(value)) return true;
  try {
    DateTimeResolver.serialize(value);
    return true;
  } catch {
    return false;
  }
}

function describe(problem: SchemaProblem): string {
  return problem.path ? `${problem.path} ${problem.message}` : `the body ${problem.message}`;
}
