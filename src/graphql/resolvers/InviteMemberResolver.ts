import { Args, Ctx, Mutation, Resolver } from 'type-graphql';
import type { OrgInvitePostDto, ResourceRoleGrantDto } from '../../contract/types';
import { CallsUpstream } from '../../limits/upstreamMarkers';
import type { GatewayContext } from '../../context/GatewayContext';
import { assertInviteBody } from '../../validation/inputValidation';
import { InviteMemberArgs } from '../args/InviteMemberArgs';
import { DomainArgs, OrgRefArgs } from '../args/listArgs';
import { collectionView } from '../collectionView';
import { ORG_ROLE_TO_REST, RESOURCE_ROLE_TO_REST } from '../restEnums';
import { callerCredentials } from '../credentials';
import { InviteMemberPayload } from '../types/InviteMemberPayload';
import type { OrgInvite } from '../types/OrgInvite';
import type { OrgInviteInput } from '../types/OrgInviteInput';
import type { ResourceRoleGrantInput } from '../types/ResourceRoleGrant';
import { validOrgRef } from './orgRef';

/** Role grants in REST form; `undefined` when the list was not given. */
export function grantsToRest(grants: readonly ResourceRoleGrantInput[] | null | undefined): ResourceRoleGrantDto[] | undefined {
  if (grants === undefined || grants === null) return undefined;
  return grants.map((grant) => ({ resourceId: grant.resourceId, role: RESOURCE_ROLE_TO_REST[grant.role] }));
}

/** The `orgInvitePost` body for an input: absent optionals are left out rather than sent as null. */
export function invitePostBody(input: OrgInviteInput): OrgInvitePostDto {
  const body: OrgInvitePostDto = { email: input.email, role: ORG_ROLE_TO_REST[input.role] };
  const applicationRoles = grantsToRest(input.applicationRoles);
  const dashboardRoles = grantsToRest(input.dashboardRoles);
  if (applicationRoles) body.applicationRoles = applicationRoles;
  if (dashboardRoles) body.dashboardRoles = dashboardRoles;
  if (input.disallowTransfer != null) body.disallowTransfer = input.disallowTransfer;
  return body;
}

/**
 * The upstream answers an invite with the whole collection; the new invite is the one for that
 * email (compared case-insensitively), the most recent if there are several.
 */
export function findInvite(items: readonly OrgInvite[], email: string): OrgInvite | null {
  const wanted = email.toLowerCase();
  let found: OrgInvite | null = null;
  for (const item of items) {
    if (typeof item.email !== 'string' || item.email.toLowerCase() !== wanted) continue;
    if (found === null || Date.parse(item.inviteDate) > Date.parse(found.inviteDate)) found = item;
  }
  return found;
}

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
  @CallsUpstream()
  async inviteMember(
    @Ctx() context: GatewayContext,
    // type-graphql lists arguments from the last @Args() to the first: this order puts the ids first.
    @Args() { losantdomain }: DomainArgs,
    @Args() { invite }: InviteMemberArgs,
    @Args() orgArgs: OrgRefArgs,
  ): Promise<InviteMemberPayload> {
    const org = validOrgRef(orgArgs);
    const body = invitePostBody(invite);
    assertInviteBody(body, 'invite');
    const credentials = callerCredentials(context, losantdomain);
    const invites = collectionView(await context.invites.inviteMember(org, body, credentials), org);
    return { invite: findInvite(invites.items, body.email), invites };
  }
}
