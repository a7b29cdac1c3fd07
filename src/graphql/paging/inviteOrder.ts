import type { InviteSortFieldValue, OrgInviteDto, SortDirectionValue } from '../../contract/types';

/**
 * Where an invite stands in a sorted list: its sort key and its id. Ordered by the key in the
 * asked direction, then by id ascending whatever the direction: the simulator's order
 * (`src/simulator/listing.ts`), and a total one, since ids are unique. A cursor holds a position,
 * so it keeps its meaning when invites are added or revoked around it.
 */
export interface ListPosition {
  /** The email or the REST role string, or the invite date in epoch milliseconds. */
  readonly key: string | number;
  readonly id: string;
}

/** Earliest instant a JavaScript date can hold: where an unreadable date sorts (the contract checks dates, so only a defence). */
const UNREADABLE_DATE = -8.64e15;

/** The position of one upstream invite under a sort field. */
export function positionOf(invite: OrgInviteDto, sortField: InviteSortFieldValue): ListPosition {
  if (sortField === 'inviteDate') {
    const time = Date.parse(invite.inviteDate);
    return { key: Number.isFinite(time) ? time : UNREADABLE_DATE, id: invite.id };
  }
  return { key: invite[sortField], id: invite.id };
}

function compareValues(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative when `a` comes before `b` in the list sorted in `direction`, 0 only for the same position. */
export function comparePositions(a: ListPosition, b: ListPosition, direction: SortDirectionValue): number {
  const byKey = compareValues(a.key, b.key);
  if (byKey !== 0) return direction === 'asc' ? byKey : -byKey;
  return compareValues(a.id, b.id);
}

/**
 * The positions of a list in the gateway's order. The upstream's list is used as it came when it
 * is already in that order (the simulator's always is); otherwise (an upstream ordering ties
 * another way) it is sorted here, so that pages never depend on how the upstream breaks ties.
 */
export function orderedPositions(
  invites: readonly OrgInviteDto[],
  sortField: InviteSortFieldValue,
  direction: SortDirectionValue,
): { readonly invites: readonly OrgInviteDto[]; readonly positions: readonly ListPosition[] } {
  const positions = invites.map((invite) => positionOf(invite, sortField));
  let sorted = true;
  for (let i = 1; i < positions.length && sorted; i++) sorted = comparePositions(positions[i - 1], positions[i], direction) < 0;
  if (sorted) return { invites, positions };
  const order = positions.map((_, index) => index).sort((a, b) => comparePositions(positions[a], positions[b], direction));
  return { invites: order.map((index) => invites[index]), positions: order.map((index) => positions[index]) };
}
