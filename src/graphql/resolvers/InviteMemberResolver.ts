import { Args, Ctx, Mutation, Resolver } from 'type-graphql';
import { CallsUpstream } from '../../limits/upstreamMarkers';
import { UpstreamAction } from '../../rest/upstreamActions';
import type { GatewayContext } from '../../context/gatewayContext';
import { assertInviteBody } from '../../validation/inputValidation';
import { InviteMemberArgs } from '../args/inviteArgs';
import { collectionView } from '../collectionView';
import { callerCredentials } from '../credentials';
import { invitePostBody } from '../restMapping/inviteBodies';
import { findInvite } from '../restMapping/newInvite';
import { InviteMemberPayload } from '../types/InviteMemberPayload';
import { validOrgRef } from '../validRefs';

@Resolver()
export class InviteMemberResolver {
  // Nullable, like every field that can fail on its own: a failed invite is null with its error,
  // and the other fields of the operation (an earlier invite that succeeded) are still answered.
  @Mutation(() => InviteMemberPayload, {
    nullable: true,
    description:
      'Invites a member to an instance organization (`POST /instances/{instanceId}/orgs/{orgId}/invites`). ' +
      'Sent once and never retried; lists read later in the same operation include the new invite. ' +
      'Null, with an error at its path, when it fails; other fields of the operation are still answered.',
  })
  @CallsUpstream(UpstreamAction.inviteMember)
  async inviteMember(@Ctx() context: GatewayContext, @Args() args: InviteMemberArgs): Promise<InviteMemberPayload> {
    const org = validOrgRef(args);
    const body = invitePostBody(args.invite);
    assertInviteBody(body, 'invite');
    const credentials = callerCredentials(context, args.losantdomain);
    const invites = collectionView(await context.inviteLoader.createInvite({ org, body, credentials }), org);
    return { invite: findInvite(invites.items, body.email), invites };
  }
}
