import { OBJECT_ID_PATTERN, OrgInvitePostDto, OrgRoleInfoDto } from '../contract/types';
import { BadUserInputError } from '../errors/gatewayErrors';
import { contractSchemas, maxItemsMessage, schemaProblems } from '../contract/validators';
import orgInvitePostSchema from '../contract/schemas/orgInvitePost.json';

/** Longest glob pattern the gateway forwards; longer ones are refused as likely abuse. */
export const MAX_FILTER_LENGTH = 1024;
/** Longest `losantdomain` value forwarded (a DNS name is at most 253 characters). */
export const MAX_DOMAIN_LENGTH = 253;

/** The most grants of each kind the contract takes in one body (its `maxItems`; orgRoleInfo's is the same). */
export const MAX_GRANTS = Math.min(
  orgInvitePostSchema.properties.applicationRoles.maxItems,
  orgInvitePostSchema.properties.dashboardRoles.maxItems,
);
/** The grant lists of the bodies checked here, counted before any grant is checked. */
const GRANT_LISTS = ['applicationRoles', 'dashboardRoles'] as const;
/** Most problems one error lists in `extensions.problems`; `extensions.problemCount` says how many were found. */
export const MAX_LISTED_PROBLEMS = 20;

/** Throws when `value` is not a 24-hex object id; `argumentPath` names the argument in the error. */
export function assertObjectId(value: string, argumentPath: string): void {
  if (!OBJECT_ID_PATTERN.test(value)) {
    throw new BadUserInputError(`${argumentPath} must be 24 hexadecimal characters, got "${truncate(value)}"`, argumentPath);
  }
}

/** Blank (empty or only whitespace) means "no filtering", as the upstream defines it. */
export function isBlankFilter(filter: string | null | undefined): boolean {
  return filter === undefined || filter === null || filter.trim() === '';
}

export function assertFilterArguments(filterField: string | null | undefined, filter: string | null | undefined): void {
  if (!isBlankFilter(filter) && (filterField === undefined || filterField === null)) {
    throw new BadUserInputError('filter needs filterField: say which field the pattern applies to', 'filter');
  }
  // Characters (code points), as the contract's maxLength counts them, not UTF-16 units.
  if (filter && [...filter].length > MAX_FILTER_LENGTH) {
    throw new BadUserInputError(`filter must be at most ${MAX_FILTER_LENGTH} characters long`, 'filter');
  }
}

/** @param source names where the value came from: the argument, or the request header. */
export function assertDomain(losantdomain: string | null | undefined, source = 'losantdomain'): void {
  if (losantdomain === undefined || losantdomain === null) return;
  // Header values cannot carry control characters; refuse them here with a clear error.
  if (losantdomain.length > MAX_DOMAIN_LENGTH || /[^\x21-\x7e]/.test(losantdomain)) {
    throw new BadUserInputError(`${source} must be a host name of at most ${MAX_DOMAIN_LENGTH} printable characters`, 'losantdomain');
  }
}

/**
 * Checks a request body against the contract's JSON schema and throws one `BadUserInputError`
 * naming the first bad argument path; the first `MAX_LISTED_PROBLEMS` problems found are listed in
 * `extensions.problems`, and `extensions.problemCount` says how many there were.
 */
export function assertMatchesContract(
  validate: (typeof contractSchemas)[keyof typeof contractSchemas],
  body: unknown,
  argumentName: string,
): void {
  assertGrantCounts(body, argumentName);
  const problems = schemaProblems(validate, body);
  if (problems.length === 0) return;
  const located = problems.map((p) => ({ path: p.path ? `${argumentName}.${p.path}` : argumentName, message: p.message }));
  throwProblems(located);
}

/**
 * A list longer than the contract takes is refused on its length alone: checked grant by grant,
 * 28,000 bad grants cost 28,000 problems (2.7 MB of answer) to say what its length says.
 */
function assertGrantCounts(body: unknown, argumentName: string): void {
  if (typeof body !== 'object' || body === null) return;
  for (const list of GRANT_LISTS) {
    const grants: unknown = (body as Record<string, unknown>)[list];
    if (Array.isArray(grants) && grants.length > MAX_GRANTS) {
      throwProblems([{ path: `${argumentName}.${list}`, message: maxItemsMessage(MAX_GRANTS) }]);
    }
  }
}

function throwProblems(problems: ReadonlyArray<{ path: string; message: string }>): never {
  const first = problems[0];
  const error = new BadUserInputError(`${first.path} ${first.message}`, first.path);
  error.extensions.problems = problems.slice(0, MAX_LISTED_PROBLEMS);
  error.extensions.problemCount = problems.length;
  throw error;
}

export function assertInviteBody(body: OrgInvitePostDto, argumentName: string): void {
  assertMatchesContract(contractSchemas.orgInvitePost, body, argumentName);
}

export function assertRoleInfoBody(body: OrgRoleInfoDto, argumentName: string): void {
  assertMatchesContract(contractSchemas.orgRoleInfo, body, argumentName);
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
