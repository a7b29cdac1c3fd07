import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import orgInvitePostSchema from './schemas/orgInvitePost.json';
import orgRoleInfoSchema from './schemas/orgRoleInfo.json';
import orgInviteCollectionSchema from './schemas/orgInviteCollection.json';
import orgInviteSchema from './schemas/orgInvite.json';
import errorSchema from './schemas/error.json';
import successSchema from './schemas/success.json';

/**
 * JSON-schema validators compiled from the upstream's own definitions, so the gateway, the
 * simulator and the tests judge bodies exactly as the contract does.
 */
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);

export const contractSchemas = {
  orgInvitePost: ajv.compile(orgInvitePostSchema),
  orgRoleInfo: ajv.compile(orgRoleInfoSchema),
  orgInviteCollection: ajv.compile(orgInviteCollectionSchema),
  orgInvite: ajv.compile(orgInviteSchema),
  error: ajv.compile(errorSchema),
  success: ajv.compile(successSchema),
} satisfies Record<string, ValidateFunction>;

/**
 * The same contract, compiled once more for reading the upstream's answers on the hot path (every
 * list body, up to hundreds of invites): stopping at the first problem is all a reader needs, and
 * is cheaper than collecting every one. Like the instance above, it never changes what it checks
 * (no `removeAdditional`, `useDefaults` or `coerceTypes`): bodies are judged, not repaired.
 */
const responseAjv = new Ajv({ allErrors: false, strict: false });
addFormats(responseAjv);
responseAjv.addFormat('date-time', { type: 'string', validate: isDateTime });

export const upstreamBodySchemas = {
  orgInviteCollection: responseAjv.compile(orgInviteCollectionSchema),
  orgInvite: responseAjv.compile(orgInviteSchema),
  success: responseAjv.compile(successSchema),
} satisfies Record<string, ValidateFunction>;

/** ajv-formats' own RFC 3339 check (its public `get`, full mode): a definition with a `validate` function. */
const fullDateTime = addFormats.get('date-time', 'full') as { validate: (value: string) => boolean };
/** The shape every date-time the API writes has (`2025-01-01T00:00:00.000Z`), time and zone already valid. */
const COMMON_DATE_TIME = /^\d{4}-\d\d-\d\dT(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?Z$/;
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const digits = (text: string, from: number, count: number): number => {
  let value = 0;
  for (let i = from; i < from + count; i++) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
};

/**
 * ajv-formats' `date-time` (RFC 3339, a time zone required), answering the same for every string,
 * without its cost on the common shape: there it splits the text and runs two capturing regular
 * expressions, which allocated about a third of what checking a 20-invite list did. A text of that
 * shape has a valid time and zone by construction, so only the date's month and day are left to
 * check; any other text goes to ajv-formats itself.
 */
export function isDateTime(value: string): boolean {
  if (!COMMON_DATE_TIME.test(value)) return fullDateTime.validate(value);
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month]);
}

export interface SchemaProblem {
  /** Where the problem is, in dotted path form (`applicationRoles[2].resourceId`), relative to the body. */
  readonly path: string;
  readonly message: string;
}

/**
 * Turns ajv's `/applicationRoles/2/resourceId` into `applicationRoles[2].resourceId`. With
 * `nameExtraProperty`, a property the schema does not allow is named too: only for bodies the
 * caller wrote, since in a body from the upstream that name could be anything.
 */
function toDottedPath(error: ErrorObject, nameExtraProperty = true): string {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') segments.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties' && nameExtraProperty) segments.push(String(error.params.additionalProperty));
  return segments.reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');
}

/** What a list longer than the contract's `maxItems` is told, by the contract check and by the length check before it. */
export function maxItemsMessage(limit: unknown): string {
  return `must have at most ${String(limit)} items`;
}

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case 'format':
      return `must be a valid ${String(error.params.format)}`;
    case 'pattern':
      return 'must be 24 hexadecimal characters';
    case 'maxItems':
      return maxItemsMessage(error.params.limit);
    case 'maxLength':
      return `must be at most ${String(error.params.limit)} characters long`;
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not allowed';
    case 'enum':
      return `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
    default:
      return error.message ?? 'is invalid';
  }
}

/** Runs a contract validator and answers its problems in a readable form (empty when valid). */
export function schemaProblems(validate: ValidateFunction, value: unknown): SchemaProblem[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => ({ path: toDottedPath(error), message: describe(error) }));
}

/**
 * The first problem a validator of `upstreamBodySchemas` found with an upstream body, or undefined
 * when it is valid. Says where and what, never the value: the path holds only the schema's own
 * property names and array indexes, so nothing the upstream wrote reaches the text.
 */
export function firstUpstreamProblem(validate: ValidateFunction, body: unknown): SchemaProblem | undefined {
  if (validate(body)) return undefined;
  const error = validate.errors?.[0];
  if (!error) return { path: '', message: 'is invalid' };
  return {
    path: toDottedPath(error, false),
    message: error.keyword === 'additionalProperties' ? 'has a property the contract does not allow' : describe(error),
  };
}
