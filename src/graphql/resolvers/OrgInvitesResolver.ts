import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { ListInvitesQuery } from '../../contract/types';
import type { GatewayContext } from '../../server/context';
import { assertFilterArguments } from '../../validation/inputValidation';
import { DomainArgs, InviteListArgs, OrgRefArgs } from '../args/listArgs';
import { collectionView } from '../collectionView';
import { callerCredentials } from '../credentials';
import { OrgInviteCollection } from '../types/OrgInviteCollection';
import { validOrgRef } from './orgRef';

/** Translates the sort and filter arguments into the list action's query (enum values are the REST values). */
export function listQueryOf(args: InviteListArgs): ListInvitesQuery {
  assertFilterArguments(args.filterField, args.filter);
  const query: ListInvitesQuery = { sortField: args.sortField, sortDirection: args.sortDirection };
  if (args.filterField != null) query.filterField = args.filterField;
  if (args.filter != null) query.filter = args.filter;
  return query;
}

@Resolver()
export class OrgInvitesResolver {
  @Query(() => OrgInviteCollection, {
    description:
      'Returns a collection of instance organization invites (`GET /instances/{instanceId}/orgs/{orgId}/invites`). ' +
      'Asking for the same list twice in one operation makes one upstream call.',
  })
  async orgInvites(
    @Ctx() context: GatewayContext,
    // type-graphql lists arguments from the last @Args() to the first: this order puts the ids first.
    @Args() { losantdomain }: DomainArgs,
    @Args() listArgs: InviteListArgs,
    @Args() orgArgs: OrgRefArgs,
  ): Promise<OrgInviteCollection> {
    const org = validOrgRef(orgArgs);
    const query = listQueryOf(listArgs);
    const credentials = callerCredentials(context, losantdomain);
    return collectionView(await context.invites.list({ org, query, credentials }), org);
  }
}
