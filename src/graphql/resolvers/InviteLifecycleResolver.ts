import { Args, Ctx, Mutation, Resolver } from 'type-graphql';
import { CallsUpstream } from '../../limits/upstreamMarkers';
import { UpstreamAction } from '../../rest/upstreamActions';
import type { GatewayContext } from '../../context/gatewayContext';
import { assertRoleInfoBody } from '../../validation/inputValidation';
import { ResendInviteArgs, RevokeInviteArgs } from '../args/inviteArgs';
import { inviteView } from '../collectionView';
import { callerCredentials } from '../credentials';
import { roleInfoBody } from '../restMapping/inviteBodies';
import { ResendInvitePayload, RevokeInvitePayload } from '../types/lifecyclePayloads';
import { validInviteRef } from '../validRefs';

@Resolver()
export class InviteLifecycleResolver {
  // Both nullable, as `inviteMember`: a failed write nulls itself, not the writes beside it.
  @Mutation(() => RevokeInvitePayload, {
    nullable: true,
    description:
      'Revokes an instance org invitation (`DELETE /instances/{instanceId}/orgs/{orgId}/invites/{inviteId}`). ' +
      'Sent once and never retried; reads later in the same operation no longer see the invite. ' +
      'Null, with an error at its path, when it fails; other fields of the operation are still answered.',
  })
  @CallsUpstream(UpstreamAction.revokeInvite)
  async revokeInvite(@Ctx() context: GatewayContext, @Args() args: RevokeInviteArgs): Promise<RevokeInvitePayload> {
    const ref = validInviteRef(args);
    const credentials = callerCredentials(context, args.losantdomain);
    const result = await context.inviteLoader.deleteInvite({ invite: ref, credentials });
    return { success: result.success, revokedInviteId: ref.inviteId };
  }

  @Mutation(() => ResendInvitePayload, {
    nullable: true,
    description:
      'Resends an organization invite with modified role info (`POST /instances/{instanceId}/orgs/{orgId}/invites/{inviteId}`). ' +
      'Sent once and never retried. ' +
      'Null, with an error at its path, when it fails; other fields of the operation are still answered.',
  })
  @CallsUpstream(UpstreamAction.resendInvite)
  async resendInvite(@Ctx() context: GatewayContext, @Args() args: ResendInviteArgs): Promise<ResendInvitePayload> {
    const ref = validInviteRef(args);
    const body = roleInfoBody(args.roles);
    assertRoleInfoBody(body, 'roles');
    const credentials = callerCredentials(context, args.losantdomain);
    return { invite: inviteView(await context.inviteLoader.reissueInvite({ invite: ref, roles: body, credentials }), ref) };
  }
}
