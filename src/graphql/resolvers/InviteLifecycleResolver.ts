import { Args, Ctx, Mutation, Resolver } from 'type-graphql';
import type { OrgRoleInfoDto } from '../../contract/types';
import { CallsUpstream } from '../../limits/upstreamMarkers';
import type { GatewayContext } from '../../context/GatewayContext';
import { assertRoleInfoBody } from '../../validation/inputValidation';
import { InviteIdArgs, ResendInviteArgs } from '../args/inviteArgs';
import { DomainArgs, OrgRefArgs } from '../args/listArgs';
import { inviteView } from '../collectionView';
import { callerCredentials } from '../credentials';
import { ORG_ROLE_TO_REST } from '../restEnums';
import { ResendInvitePayload, RevokeInvitePayload } from '../types/lifecyclePayloads';
import type { OrgRoleInfoInput } from '../types/OrgRoleInfoInput';
import { grantsToRest } from './InviteMemberResolver';
import { validInviteRef } from './inviteRef';

/** The `orgRoleInfo` body for an input: fields left out (or null) are not sent, so they keep their value. */
export function roleInfoBody(input: OrgRoleInfoInput): OrgRoleInfoDto {
  const body: OrgRoleInfoDto = {};
  if (input.role != null) body.role = ORG_ROLE_TO_REST[input.role];
  const applicationRoles = grantsToRest(input.applicationRoles);
  const dashboardRoles = grantsToRest(input.dashboardRoles);
  if (applicationRoles) body.applicationRoles = applicationRoles;
  if (dashboardRoles) body.dashboardRoles = dashboardRoles;
  return body;
}

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
  @CallsUpstream()
  async revokeInvite(
    @Ctx() context: GatewayContext,
    // type-graphql lists arguments from the last @Args() to the first: this order puts the ids first.
    @Args() { losantdomain }: DomainArgs,
    @Args() { inviteId }: InviteIdArgs,
    @Args() orgArgs: OrgRefArgs,
  ): Promise<RevokeInvitePayload> {
    const ref = validInviteRef({ ...orgArgs, inviteId });
    const credentials = callerCredentials(context, losantdomain);
    const result = await context.invites.revokeInvite(ref, credentials);
    return { success: result.success, revokedInviteId: ref.inviteId };
  }

  @Mutation(() => ResendInvitePayload, {
    nullable: true,
    description:
      'Resends an organization invite with modified role info (`POST /instances/{instanceId}/orgs/{orgId}/invites/{inviteId}`). ' +
      'Sent once and never retried. ' +
      'Null, with an error at its path, when it fails; other fields of the operation are still answered.',
  })
  @CallsUpstream()
  async resendInvite(
    @Ctx() context: GatewayContext,
    @Args() { losantdomain }: DomainArgs,
    @Args() { roles }: ResendInviteArgs,
    @Args() { inviteId }: InviteIdArgs,
    @Args() orgArgs: OrgRefArgs,
  ): Promise<ResendInvitePayload> {
    const ref = validInviteRef({ ...orgArgs, inviteId });
    const body = roleInfoBody(roles);
    assertRoleInfoBody(body, 'roles');
    const credentials = callerCredentials(context, losantdomain);
    return { invite: inviteView(await context.invites.resendInvite(ref, body, credentials), ref) };
  }
}
