import picomatch from 'picomatch';
import type { InviteFilterFieldValue, InviteSortFieldValue, OrgInviteDto, SortDirectionValue } from '../contract/types';

/** A private-use code point: never in an email or a role, so it cannot collide with real text. */
const SLASH_STANDIN = '\ue000';
const STANDIN_IN_PATTERN = '\ue001';

/**
 * How the simulator filters: the whole value must match the glob (anchored at both ends), letters
 * match case-insensitively, `*` is any run of characters, `?` is one character, and picomatch's
 * classes (`[abc]`) and braces (`{a,b}`) work too. The real service's rules are not documented;
 * docs/development.md ("The simulator") lists these choices.
 */
export function globMatcher(pattern: string): (value: string) => boolean {
  // picomatch treats "/" as a path separator that `*` does not cross; invite values are not paths,
  // so "/" is swapped for a stand-in on both sides. A stand-in typed into the pattern becomes
  // another code point, so it can never match a real "/".
  const safePattern = pattern.split(SLASH_STANDIN).join(STANDIN_IN_PATTERN).replace(/\//g, SLASH_STANDIN);
  const isMatch = picomatch(safePattern, { nocase: true, dot: true, nonegate: true });
  return (value) => isMatch(value.replace(/\//g, SLASH_STANDIN));
}

export function filterInvites(
  invites: readonly OrgInviteDto[],
  field: InviteFilterFieldValue | undefined,
  pattern: string | undefined,
): OrgInviteDto[] {
  // Blank (empty or whitespace) means no filtering, as the contract says.
  if (!field || !pattern || pattern.trim() === '') return [...invites];
  const matches = globMatcher(pattern);
  return invites.filter((invite) => matches(String(invite[field])));
}

function compareBy(field: InviteSortFieldValue): (a: OrgInviteDto, b: OrgInviteDto) => number {
  if (field === 'inviteDate') return (a, b) => Date.parse(a.inviteDate) - Date.parse(b.inviteDate);
  return (a, b) => (a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : 0);
}

/** Sorts a copy; ties keep a stable order by id so pages do not shuffle between calls. */
export function sortInvites(invites: readonly OrgInviteDto[], field: InviteSortFieldValue, direction: SortDirectionValue): OrgInviteDto[] {
  const compare = compareBy(field);
  const sign = direction === 'asc' ? 1 : -1;
  return [...invites].sort((a, b) => sign * compare(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
