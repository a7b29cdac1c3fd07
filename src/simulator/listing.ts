import picomatch from 'picomatch';
import type { InviteFilterFieldValue, InviteSortFieldValue, OrgInviteDto, SortDirectionValue } from '../contract/types';

const SLASH_STANDIN = '\u2215';

/**
 * How the simulator filters: the whole value must match the glob (anchored at both ends), letters
 * match case-insensitively, `*` is any run of characters, `?` is one character, and picomatch's
 * classes (`[abc]`) and braces (`{a,b}`) work too. The real service's rules are not documented;
 * README.md lists these choices.
 */
export function globMatcher(pattern: string): (value: string) => boolean {
  // picomatch treats "/" as a path separator that `*` does not cross; invite values are not paths,
  // so "/" is swapped for a look-alike on both sides.
  const isMatch = picomatch(pattern.replace(/\//g, SLASH_STANDIN), { nocase: true, dot: true, nonegate: true });
  return (value) => isMatch(value.replace(/\//g, SLASH_STANDIN));
}

export function filterInvites(
  invites: readonly OrgInviteDto[],
  field: InviteFilterFieldValue | undefined,
  pattern: string | undefined,
): OrgInviteDto[] {
  if (!field || !pattern) return [...invites];
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
