import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { CallsUpstream } from '../../limits/upstreamMarkers';
import { UpstreamAction } from '../../rest/upstreamActions';
import type { GatewayContext } from '../../context/gatewayContext';
import { OrgInvitesArgs } from '../args/listArgs';
import { readInviteList } from '../inviteReads';
import { OrgInviteCollection } from '../types/OrgInviteCollection';

/** The `orgInvites` query: one organization's invites, as a whole list (the connection is `OrgInvitesConnectionResolver`). */
@Resolver()
export class InviteListResolver {
  // Nullable: each list is its own upstream call, so one org's failure must not null the lists
  // beside it, nor, read through a payload's `query`, the mutation that ran before it.
  @Query(() => OrgInviteCollection, {
    nullable: true,
    description:
      'Returns a collection of instance organization invites (`GET /instances/{instanceId}/orgs/{orgId}/invites`). ' +
      'Asking for the same list twice in one operation makes one upstream call. ' +
      'Null, with an error at its path, when the read fails; other fields of the operation are still answered.',
  })
  @CallsUpstream(UpstreamAction.listInvites)
  async orgInvites(@Ctx() context: GatewayContext, @Args() args: OrgInvitesArgs): Promise<OrgInviteCollection> {
    return readInviteList(context, args);
  }
}
