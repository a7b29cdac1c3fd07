import {
  InviteFilterFieldValue,
  InviteSortFieldValue,
  OBJECT_ID_PATTERN,
  OrgInvitePostDto,
  OrgRoleInfoDto,
  SortDirectionValue,
} from '../contract/types';
import { contractSchemas, schemaProblems } from '../contract/validators';
import { HttpProblem } from './HttpProblem';

/** A request body as read: parsed JSON, or a note that it was not JSON (absent when empty). */
export interface RequestBody {
  readonly parsed?: unknown;
  readonly invalidJson: boolean;
}

export interface ListQuery {
  readonly sortField: InviteSortFieldValue;
  readonly sortDirection: SortDirectionValue;
  readonly filterField?: InviteFilterFieldValue;
  readonly filter?: string;
}

const SORT_FIELDS: readonly string[] = ['email', 'role', 'inviteDate'];
const SORT_DIRECTIONS: readonly string[] = ['asc', 'desc'];
const FILTER_FIELDS: readonly string[] = ['email', 'role'];

export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpProblem(400, 'Validation', 'The path holds an invalid percent-escape');
  }
}

/** Each named id must be a 24 character hex id; the first that is not is refused by name. */
export function requireObjectIds(ids: Readonly<Record<string, string>>): void {
  for (const [name, id] of Object.entries(ids)) {
    if (!OBJECT_ID_PATTERN.test(id)) throw new HttpProblem(400, 'Validation', `${name} must be a 24 character hex id`);
  }
}

/** The list action's query string, with the real API's defaults and refusals. */
export function listQuery(query: Readonly<Record<string, string>>): ListQuery {
  const sortField = query.sortField ?? 'inviteDate';
  if (!SORT_FIELDS.includes(sortField)) throw new HttpProblem(400, 'Validation', `sortField must be one of ${SORT_FIELDS.join(', ')}`);
  const sortDirection = (query.sortDirection ?? 'desc').toLowerCase();
  if (!SORT_DIRECTIONS.includes(sortDirection)) throw new HttpProblem(400, 'Validation', 'sortDirection must be asc or desc');
  const filterField = query.filterField || undefined;
  if (filterField !== undefined && !FILTER_FIELDS.includes(filterField)) {
    throw new HttpProblem(400, 'Validation', `filterField must be one of ${FILTER_FIELDS.join(', ')}`);
  }
  return {
    sortField: sortField as InviteSortFieldValue,
    sortDirection: sortDirection as SortDirectionValue,
    filterField: filterField as InviteFilterFieldValue | undefined,
    filter: query.filter,
  };
}

/** The invite a POST on the collection sends, checked against the contract's `orgInvitePost` schema. */
export function invitePost(body: RequestBody): OrgInvitePostDto {
  if (body.invalidJson) throw new HttpProblem(400, 'Validation', 'Request body is not valid JSON');
  const problems = schemaProblems(contractSchemas.orgInvitePost, body.parsed);
  if (problems.length > 0) throw new HttpProblem(400, 'Validation', `${problems[0].path || 'invite'} ${problems[0].message}`);
  return body.parsed as OrgInvitePostDto;
}

/** The roles a resend sends, checked against the contract's `orgRoleInfo` schema. */
export function roleInfo(body: RequestBody): OrgRoleInfoDto {
  if (body.invalidJson) throw new HttpProblem(400, 'Validation', 'Request body is not valid JSON');
  const problems = schemaProblems(contractSchemas.orgRoleInfo, body.parsed ?? null);
  if (problems.length > 0) throw new HttpProblem(400, 'Validation', `${problems[0].path || 'roleInfo'} ${problems[0].message}`);
  return body.parsed as OrgRoleInfoDto;
}
