import { FILTER_FIELDS, ORG_ROLES, RESOURCE_ROLES, SORT_DIRECTIONS, SORT_FIELDS } from './arbitraries';

/*
 * What the gateway should do with an input, written from the documented rules (docs/frontend.md "Input
 * checks before any call", schema descriptions, the contract's JSON schemas), independently of
 * src/validation:
 *
 * - ids: /^[A-Fa-f0-9]{24}$/
 * - email: ajv-formats' "email" format (full mode, the default of addFormats) and at most 1024
 *   characters; JSON Schema counts characters as code points
 * - at most 100 application grants and at most 100 dashboard grants (a longer list is refused on
 *   its length alone, before the rest of the body is checked), each resourceId an id
 * - a non-blank filter needs filterField; filter at most 1024 characters (code points, like the
 *   email limit in the same sentence of docs/frontend.md); "blank" is empty or only whitespace, as the
 *   upstream contract says ("Blank or not provided means no filtering")
 * - losantdomain: printable (0x21-0x7e) and at most 253 characters
 * - GraphQL variable coercion: enum values by name, ID from strings or integers, String from
 *   strings, Boolean from booleans, input objects closed and with their required fields
 *
 * Checks run in the order the schema's arguments are resolved: ids, then the body or the
 * filter, then losantdomain. The first failing stage decides the error's argumentPath.
 */

const OBJECT_ID = /^[A-Fa-f0-9]{24}$/;

/** ajv-formats 3.0.1, `fullFormats.email` (copied so that the oracle does not share the gateway's wiring). */
const AJV_FORMATS_EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

export const MAX_EMAIL_CHARACTERS = 1024;
export const MAX_GRANTS = 100;
export const MAX_FILTER_CHARACTERS = 1024;
export const MAX_DOMAIN_CHARACTERS = 253;
/** A `BAD_USER_INPUT` lists at most this many problems (docs/security.md, "Errors in proportion to the request"). */
export const MAX_LISTED_PROBLEMS = 20;

/** Length in characters (code points), as JSON Schema's maxLength counts. */
export function characters(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

export function isObjectId(value: string): boolean {
  return OBJECT_ID.test(value);
}

export function isValidEmail(value: string): boolean {
  return AJV_FORMATS_EMAIL.test(value) && characters(value) <= MAX_EMAIL_CHARACTERS;
}

export function isValidDomain(value: string): boolean {
  return value.length <= MAX_DOMAIN_CHARACTERS && /^[\x21-\x7e]*$/.test(value);
}

/** A string as it can travel in UTF-8 (and in a URL): lone surrogates become U+FFFD. */
export function wellFormed(value: string): string {
  return value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

// ---------------------------------------------------------------------------------------------
// GraphQL variable coercion (spec section "Input Coercion"; graphql-js coerceInputValue), for the
// types the operations use. Each function answers the coerced value or FAIL, and counts in
// `problems` the errors graphql-js reports: one per bad leaf, missing required field, unknown
// field, null where non-null is required, or non-object where an input object is expected.
// ---------------------------------------------------------------------------------------------

export const FAIL: unique symbol = Symbol('coercion failed');
type Coerced<T> = T | typeof FAIL;

/** Coercion errors found so far in one request's variables. */
export class Problems {
  count = 0;
  add(): typeof FAIL {
    this.count++;
    return FAIL;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Coercer<T> = (value: unknown, problems: Problems) => Coerced<T>;

const id: Coercer<string> = (value, problems) => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  return problems.add();
};

const string: Coercer<string> = (value, problems) => (typeof value === 'string' ? value : problems.add());
const boolean: Coercer<boolean> = (value, problems) => (typeof value === 'boolean' ? value : problems.add());

function enumOf<T extends string>(names: readonly T[]): Coercer<T> {
  return (value, problems) => (typeof value === 'string' && (names as readonly string[]).includes(value) ? (value as T) : problems.add());
}

/** A nullable position: absent and null stay as they are. */
function nullable<T>(coercer: Coercer<T>): Coercer<T | null | undefined> {
  return (value, problems) => (value === undefined || value === null ? value : coercer(value, problems));
}

/** A non-null position: absent or null is one error. */
function required<T>(coercer: Coercer<T>): Coercer<T> {
  return (value, problems) => (value === undefined || value === null ? problems.add() : coercer(value, problems));
}

/** A list; a single value where a list is expected is read as a list of one. */
function listOf<T>(coercer: Coercer<T>): Coercer<T[]> {
  return (value, problems) => {
    const items = Array.isArray(value) ? value : [value];
    const coerced = items.map((item) => coercer(item, problems));
    return coerced.includes(FAIL) ? FAIL : (coerced as T[]);
  };
}

/** A closed input object: every field coerced, one error per unknown field. */
function inputObject<T>(fields: { readonly [K in keyof T]-?: Coercer<T[K] | undefined> }): Coercer<T> {
  return (value, problems) => {
    if (!isPlainObject(value)) return problems.add();
    const names = Object.keys(fields) as Array<keyof T & string>;
    const result: Partial<Record<keyof T, unknown>> = {};
    let failed = false;
    for (const name of names) {
      const coerced = fields[name](value[name], problems);
      if (coerced === FAIL) failed = true;
      else if (value[name] !== undefined) result[name] = coerced;
    }
    for (const key of Object.keys(value)) {
      if ((names as string[]).includes(key)) continue;
      problems.add();
      failed = true;
    }
    return failed ? FAIL : (result as T);
  };
}

export interface Grant {
  readonly resourceId: string;
  readonly role: (typeof RESOURCE_ROLES)[number];
}

const grant = inputObject<Grant>({ resourceId: required(id), role: required(enumOf(RESOURCE_ROLES)) });
const grantList = nullable(listOf(required(grant)));

export interface InviteInput {
  readonly email: string;
  readonly role: (typeof ORG_ROLES)[number];
  readonly applicationRoles?: Grant[] | null;
  readonly dashboardRoles?: Grant[] | null;
  readonly disallowTransfer?: boolean | null;
}

export interface RolesInput {
  readonly role?: (typeof ORG_ROLES)[number] | null;
  readonly applicationRoles?: Grant[] | null;
  readonly dashboardRoles?: Grant[] | null;
}

export const coerce = {
  requiredId: required(id),
  optionalString: nullable(string),
  sortField: nullable(enumOf(SORT_FIELDS)),
  sortDirection: nullable(enumOf(SORT_DIRECTIONS)),
  filterField: nullable(enumOf(FILTER_FIELDS)),
  invite: required(
    inputObject<InviteInput>({
      email: required(string),
      role: required(enumOf(ORG_ROLES)),
      applicationRoles: grantList,
      dashboardRoles: grantList,
      disallowTransfer: nullable(boolean),
    }),
  ),
  roles: required(inputObject<RolesInput>({ role: nullable(enumOf(ORG_ROLES)), applicationRoles: grantList, dashboardRoles: grantList })),
};

/** graphql-js stops coercing variables after this many errors (`execute`'s maxErrors). */
export const MAX_VARIABLE_ERRORS = 50;

// ---------------------------------------------------------------------------------------------
// The gateway's own checks
// ---------------------------------------------------------------------------------------------

/** The problems of one check stage, as argument paths; empty when the stage passes. */
export type Stage = () => string[];

export const idStage =
  (name: string, value: string): Stage =>
  () =>
    isObjectId(value) ? [] : [name];

/** One id stage per argument, in the order given (the order the resolver checks them). */
export const idStages = (ids: Readonly<Record<string, string>>): Array<{ stage: Stage }> =>
  Object.entries(ids).map(([name, value]) => ({ stage: idStage(name, value) }));

export const domainStage =
  (value: string | null | undefined): Stage =>
  () =>
    value === undefined || value === null || isValidDomain(value) ? [] : ['losantdomain'];

export const filterStage =
  (filterField: string | null | undefined, filter: string | null | undefined): Stage =>
  () => {
    const given = filter !== undefined && filter !== null;
    const needsField = given && filter.trim() !== '' && (filterField === undefined || filterField === null);
    const tooLong = given && characters(filter) > MAX_FILTER_CHARACTERS;
    return needsField || tooLong ? ['filter'] : [];
  };

function grantProblems(grants: readonly Grant[] | null | undefined, path: string): string[] {
  if (grants === undefined || grants === null) return [];
  return grants.flatMap((grant, index) => (isObjectId(grant.resourceId) ? [] : [`${path}[${index}].resourceId`]));
}

/**
 * A grant list longer than the contract takes is refused on its length alone, before anything
 * else in the body is checked: the first such list (application grants, then dashboard grants).
 */
function overlongGrants(
  body: { readonly applicationRoles?: Grant[] | null; readonly dashboardRoles?: Grant[] | null },
  argument: string,
): string[] {
  const list = (['applicationRoles', 'dashboardRoles'] as const).find((name) => (body[name]?.length ?? 0) > MAX_GRANTS);
  return list ? [`${argument}.${list}`] : [];
}

export const inviteBodyStage =
  (invite: InviteInput): Stage =>
  () => {
    const overlong = overlongGrants(invite, 'invite');
    if (overlong.length > 0) return overlong;
    return [
      ...(isValidEmail(invite.email) ? [] : ['invite.email']),
      ...grantProblems(invite.applicationRoles, 'invite.applicationRoles'),
      ...grantProblems(invite.dashboardRoles, 'invite.dashboardRoles'),
    ];
  };

export const rolesBodyStage =
  (roles: RolesInput): Stage =>
  () => {
    const overlong = overlongGrants(roles, 'roles');
    if (overlong.length > 0) return overlong;
    return [
      ...grantProblems(roles.applicationRoles, 'roles.applicationRoles'),
      ...grantProblems(roles.dashboardRoles, 'roles.dashboardRoles'),
    ];
  };

/** What the gateway must answer before (or instead of) calling the upstream. */
export type Verdict =
  /** Variables that do not coerce: BAD_USER_INPUT before execution, no argumentPath needed, no upstream call. */
  | { readonly kind: 'coercion' }
  /** An explicit null for a non-null (defaulted) argument: a client error, BAD_USER_INPUT, no upstream call. */
  | { readonly kind: 'nullArgument'; readonly argument: string }
  /**
   * A gateway check fails: BAD_USER_INPUT naming one of `paths` in argumentPath; for body stages,
   * `extensions.problems` lists exactly `paths`. No upstream call.
   */
  | { readonly kind: 'invalid'; readonly paths: readonly string[]; readonly body: boolean }
  /** Locally valid: the upstream is called (unless no token was sent). */
  | { readonly kind: 'valid' };

/** Runs the stages in order; the first one with problems decides. */
export function firstFailing(stages: ReadonlyArray<{ stage: Stage; body?: boolean }>): Verdict {
  for (const { stage, body } of stages) {
    const paths = stage();
    if (paths.length > 0) return { kind: 'invalid', paths, body: body ?? false };
  }
  return { kind: 'valid' };
}
