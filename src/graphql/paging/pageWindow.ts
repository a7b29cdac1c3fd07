import type { SortDirectionValue } from '../../contract/types';
import { comparePositions, type ListPosition } from './inviteOrder';

/** What a connection asks for, its cursors already decoded; `first` and `last` already checked. */
export interface PageRequest {
  readonly first?: number;
  readonly after?: ListPosition;
  readonly last?: number;
  readonly before?: ListPosition;
}

/** The page as indexes into the ordered list: `[start, end)`, and whether invites lie outside it. */
export interface PageWindow {
  readonly start: number;
  readonly end: number;
  readonly hasPreviousPage: boolean;
  readonly hasNextPage: boolean;
}

/** Index of the first position that comes after `position` (binary search: the list is ordered). */
function indexAfter(positions: readonly ListPosition[], position: ListPosition, direction: SortDirectionValue): number {
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (comparePositions(positions[middle], position, direction) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Index of the first position that is `position` or comes after it. */
function indexFrom(positions: readonly ListPosition[], position: ListPosition, direction: SortDirectionValue): number {
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (comparePositions(positions[middle], position, direction) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The Relay connection algorithm over an ordered list: the edges after `after` and before
 * `before` (positions compared, so a cursor whose invite was revoked still marks where it stood),
 * then the first `first` of them, then the last `last` of those. `hasPreviousPage` and
 * `hasNextPage` are exact in every case: whether the list holds invites before the page's start
 * and after its end (the whole list is at hand, so the spec's "may" becomes "does").
 */
export function pageWindow(positions: readonly ListPosition[], direction: SortDirectionValue, request: PageRequest): PageWindow {
  let start = request.after ? indexAfter(positions, request.after, direction) : 0;
  let end = request.before ? indexFrom(positions, request.before, direction) : positions.length;
  // `after` at or past `before`: nothing lies between them.
  end = Math.max(start, end);
  if (request.first !== undefined) end = Math.min(end, start + request.first);
  if (request.last !== undefined) start = Math.max(start, end - request.last);
  return { start, end, hasPreviousPage: start > 0, hasNextPage: end < positions.length };
}
