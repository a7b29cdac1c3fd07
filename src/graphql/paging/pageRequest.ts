import type { ListInvitesQuery } from '../../contract/types';
import { BadUserInputError } from '../../errors/gatewayErrors';
import type { ConnectionPageArgs } from '../args/listArgs';
import { decodeCursor } from './cursor';
import type { PageRequest } from './pageWindow';

function checkedCount(value: number | null | undefined, argument: string, maxPageSize: number): number | undefined {
  if (value == null) return undefined;
  if (value < 0 || value > maxPageSize) {
    throw new BadUserInputError(`${argument} must be between 0 and ${maxPageSize} (MAX_PAGE_SIZE), got ${value}`, argument);
  }
  return value;
}

/**
 * Checks a connection's paging arguments and decodes its cursors against the list they are used
 * on (`listDigest`), before any upstream call. One of `first` and `last` is required, so every
 * page is bounded and a router's `@listSize` estimate is exact; both together are allowed, as the
 * Relay specification allows (and discourages): `first` is applied, then `last`.
 */
export function pageRequestOf(args: ConnectionPageArgs, query: ListInvitesQuery, list: string, maxPageSize: number): PageRequest {
  const first = checkedCount(args.first, 'first', maxPageSize);
  const last = checkedCount(args.last, 'last', maxPageSize);
  if (first === undefined && last === undefined) {
    throw new BadUserInputError(`give first (to page forwards) or last (to page backwards), at most ${maxPageSize} each`, 'first');
  }
  const keyIsDate = query.sortField === 'inviteDate';
  return {
    first,
    last,
    after: args.after != null ? decodeCursor(args.after, 'after', list, keyIsDate) : undefined,
    before: args.before != null ? decodeCursor(args.before, 'before', list, keyIsDate) : undefined,
  };
}
