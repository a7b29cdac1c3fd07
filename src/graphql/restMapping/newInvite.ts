import type { OrgInvite } from '../types/OrgInvite';

/**
 * The upstream answers an invite with the whole collection; the new invite is the one for that
 * email (compared case-insensitively), the most recent if there are several.
 */
export function findInvite(items: readonly OrgInvite[], email: string): OrgInvite | null {
  const wanted = email.toLowerCase();
  let found: OrgInvite | null = null;
  for (const item of items) {
    if (typeof item.email !== 'string' || item.email.toLowerCase() !== wanted) continue;
    if (found === null || Date.parse(item.inviteDate) > Date.parse(found.inviteDate)) found = item;
  }
  return found;
}
