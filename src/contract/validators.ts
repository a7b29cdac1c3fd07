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

export interface SchemaProblem {
  /** Where the problem is, in dotted path form (`applicationRoles[2].resourceId`), relative to the body. */
  readonly path: string;
  readonly message: string;
}

/** Turns ajv's `/applicationRoles/2/resourceId` into `applicationRoles[2].resourceId`. */
function toDottedPath(error: ErrorObject): string {
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') segments.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') segments.push(String(error.params.additionalProperty));
  return segments.reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');
}

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case 'format':
      return `must be a valid ${String(error.params.format)}`;
    case 'pattern':
      return 'must be 24 hexadecimal characters';
    case 'maxItems':
      return `must have at most ${String(error.params.limit)} items`;
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
