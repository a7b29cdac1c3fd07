import type { ListInvitesQuery } from '../../contract/types';
import { assertFilterArguments } from '../../validation/inputValidation';
import type { InviteListArgs } from '../args/listArgs';
import { FILTER_FIELD_TO_REST, SORT_DIRECTION_TO_REST, SORT_FIELD_TO_REST } from '../restEnums';

/** Checks the sort and filter arguments and translates them into the list action's query. */
export function listQueryOf(args: InviteListArgs): ListInvitesQuery {
  assertFilterArguments(args.filterField, args.filter);
  const query: ListInvitesQuery = {
    sortField: SORT_FIELD_TO_REST[args.sortField],
    sortDirection: SORT_DIRECTION_TO_REST[args.sortDirection],
  };
  if (args.filterField != null) query.filterField = FILTER_FIELD_TO_REST[args.filterField];
  if (args.filter != null) query.filter = args.filter;
  return query;
}
