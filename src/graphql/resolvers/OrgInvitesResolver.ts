import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { ListInvitesQuery } from '../../contract/types';
import { CallsUpstream } from '../../limits/upstreamMarkers';
import type { GatewayContext } from '../../context/GatewayContext';
import { assertFilterArguments } from '../../validation/inputValidation';
import { DomainArgs, InviteListArgs, OrgRefArgs } from '../args/listArgs';
import { collectionView } from '../collectionView';
import { FILTER_FIELD_TO_REST, SORT_DIRECTION_TO_REST, SORT_FIELD_TO_REST } from '../restEnums';
import { callerCredentials } from '../credentials';
import { OrgInviteCollection } from '../types/OrgInviteCollection';
import { validOrgRef } from './orgRef';

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

/**
 * One organization's invites through the request's loader: checks the ids and the list arguments,
 * takes the caller's credentials, and answers the GraphQL view. Shared by `orgInvites` and
 * `InstanceOrg.invites`, so both dedupe against each other.
 */
export async function readInviteList(
  context: GatewayContext,
  ids: { instanceId: string; orgId: string },
  listArgs: InviteListArgs,
  losantdomain: string | null | undefined,
): Promise<OrgInviteCollection> {
  const org = validOrgRef(ids);
  const query = listQueryOf(listArgs);
  const credentials = callerCredentials(context, losantdomain);
  return collectionView(await context.invites.list({ org, query, credentials }), org);
}

@Resolver()
export class OrgInvitesResolver {
  // Nullable: each list is its own upstream call, so one org's failure must not null the lists
  // beside it, nor, read through a payload's `query`, the mutation that ran before it.
  @Query(() => OrgInviteCollection, {
    nullable: true,
    description:
      'Returns a collection of instance organization invites (`GET /instances/{instanceId}/orgs/{orgId}/invites`). ' +
      'Asking for the same list twice in one operation makes one upstream call. ' +
      'Null, with an error at its path, when the read fails; other fields of the operation are still answered.',
  })
  @CallsUpstream()
  async orgInvites(
    @Ctx() context: GatewayContext,
    // type-graphql lists arguments from the last @Args() to the first: this order puts the ids first.
    @Args() { losantdomain }: DomainArgs,
    @Args() listArgs: InviteListArgs,
    @Args() orgArgs: OrgRefArgs,
  ): Promise<OrgInviteCollection> {
    return readInviteList(context, orgArgs, listArgs, losantdomain);
  }
}
