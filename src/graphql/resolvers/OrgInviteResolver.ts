import { DateTimeResolver } from 'graphql-scalars';
import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { CallsUpstream } from '../../limits/upstreamMarkers';
import type { GatewayContext } from '../../context/GatewayContext';
import { InviteIdArgs } from '../args/inviteArgs';
import { DomainArgs, OrgRefArgs } from '../args/listArgs';
import { inviteView } from '../collectionView';
import { callerCredentials } from '../credentials';
import { InviteStatus } from '../enums';
import { OrgInvite } from '../types/OrgInvite';
import { validInviteRef } from './inviteRef';

/** `inviteDate + ttl`, reading `ttl` as milliseconds; null when either is missing or unreadable. */
export function expiresAtOf(invite: Pick<OrgInvite, 'inviteDate' | 'ttl'>): Date | null {
  const sent = Date.parse(invite.inviteDate);
  if (Number.isNaN(sent) || typeof invite.ttl !== 'number' || !Number.isFinite(invite.ttl)) return null;
  return new Date(sent + invite.ttl);
}

/** One invite through the request's loader, ids checked first; `inviteIdPath` names the id in errors. */
async function readInvite(
  context: GatewayContext,
  ids: { instanceId: string; orgId: string; inviteId: string },
  losantdomain: string | null | undefined,
  inviteIdPath?: string,
): Promise<OrgInvite> {
  const invite = validInviteRef(ids, inviteIdPath);
  const credentials = callerCredentials(context, losantdomain);
  return inviteView(await context.invites.invite({ invite, credentials }), invite);
}

@Resolver(() => OrgInvite)
export class OrgInviteResolver {
  @Query(() => OrgInvite, {
    nullable: true,
    description:
      'Returns one organization invite (`GET /instances/{instanceId}/orgs/{orgId}/invites/{inviteId}`); ' +
      'null with a NOT_FOUND error when there is no such invite.',
  })
  @CallsUpstream()
  async orgInvite(
    @Ctx() context: GatewayContext,
    // type-graphql lists arguments from the last @Args() to the first: this order puts the ids first.
    @Args() { losantdomain }: DomainArgs,
    @Args() { inviteId }: InviteIdArgs,
    @Args() orgArgs: OrgRefArgs,
  ): Promise<OrgInvite> {
    return readInvite(context, { ...orgArgs, inviteId }, losantdomain);
  }

  // Computed only when asked for, so lists that do not select them pay nothing.
  @FieldResolver(() => DateTimeResolver, {
    nullable: true,
    description: 'When the invite stops being acceptable: `inviteDate` plus `ttl` read as milliseconds.',
  })
  expiresAt(@Root() invite: OrgInvite): Date | null {
    return expiresAtOf(invite);
  }

  @FieldResolver(() => InviteStatus, {
    description: 'PENDING or EXPIRED, from the upstream’s `hasExpired` (so it agrees with the upstream’s clock).',
  })
  status(@Root() invite: OrgInvite): InviteStatus {
    return invite.hasExpired ? InviteStatus.EXPIRED : InviteStatus.PENDING;
  }
}

/** Federation's entry point for `OrgInvite`: the full key is read through the single-invite action. */
export const orgInviteReference = {
  async __resolveReference(
    reference: { instanceId: string; orgId: string; id: string },
    context: GatewayContext,
  ): Promise<OrgInvite> {
    return readInvite(context, { instanceId: reference.instanceId, orgId: reference.orgId, inviteId: reference.id }, undefined, 'id');
  },
};
