import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { CallsUpstream } from '../../limits/upstreamMarkers';
import { UpstreamAction } from '../../rest/upstreamActions';
import type { GatewayContext } from '../../context/gatewayContext';
import { OrgInvitesConnectionArgs } from '../args/listArgs';
import { readInviteConnection } from '../inviteReads';
import { ConnectionListSize } from '../paging/listSize';
import { OrgInviteConnection } from '../types/OrgInviteConnection';

@Resolver()
export class OrgInvitesConnectionResolver {
  // Nullable for the reason `orgInvites` is: one list's failure must not null its neighbours.
  @Query(() => OrgInviteConnection, {
    nullable: true,
    description:
      'A page of an organization’s invites as a Relay cursor connection (`first`/`after` forwards, `last`/`before` backwards), ' +
      'sorted and filtered as `orgInvites`; the upstream list is read whole and sliced here (one upstream call, shared with ' +
      '`orgInvites` of the same list in one operation). Cursors mark positions (sort key and id), so paging neither repeats ' +
      'nor skips an invite when others are added or revoked between pages. ' +
      'Null, with an error at its path, when the read fails or an argument or cursor is refused (BAD_USER_INPUT).',
  })
  @CallsUpstream(UpstreamAction.listInvites)
  @ConnectionListSize()
  async orgInvitesConnection(@Ctx() context: GatewayContext, @Args() args: OrgInvitesConnectionArgs): Promise<OrgInviteConnection> {
    return readInviteConnection(context, args);
  }
}
