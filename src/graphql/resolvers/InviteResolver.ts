import { DateTimeResolver } from 'graphql-scalars';
import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { CallsUpstream } from '../../limits/upstreamMarkers';
import { UpstreamAction } from '../../rest/upstreamActions';
import type { GatewayContext } from '../../context/gatewayContext';
import { OrgInviteArgs } from '../args/inviteArgs';
import { InviteStatus } from '../enums';
import { readInvite } from '../inviteReads';
import { OrgInvite } from '../types/OrgInvite';

/**
 * `inviteDate + ttl`, reading `ttl` as milliseconds; null when either is missing or unreadable, or
 * when the sum is beyond any date: the contract bounds `ttl` by nothing, and an invalid `Date`
 * would fail every invite of a list with an INTERNAL_SERVER_ERROR (and a stack trace in the log).
 */
function expiresAtOf(invite: Pick<OrgInvite, 'inviteDate' | 'ttl'>): Date | null {
  const sent = Date.parse(invite.inviteDate);
  if (Number.isNaN(sent) || typeof invite.ttl !== 'number' || !Number.isFinite(invite.ttl)) return null;
  // A time past the range of `Date` (±8.64e15 ms) makes an invalid one.
  const expires = new Date(sent + invite.ttl);
  return Number.isNaN(expires.getTime()) ? null : expires;
}

/** `OrgInvite`: the `orgInvite` query (one invite) and the fields computed for every invite, in a list or alone. */
@Resolver(() => OrgInvite)
export class InviteResolver {
  @Query(() => OrgInvite, {
    nullable: true,
    description:
      'Returns one organization invite (`GET /instances/{instanceId}/orgs/{orgId}/invites/{inviteId}`); ' +
      'null with a NOT_FOUND error when there is no such invite.',
  })
  @CallsUpstream(UpstreamAction.getInvite)
  async orgInvite(@Ctx() context: GatewayContext, @Args() args: OrgInviteArgs): Promise<OrgInvite> {
    return readInvite(context, args);
  }

  // Computed only when asked for, so lists that do not select them pay nothing.
  @FieldResolver(() => DateTimeResolver, {
    nullable: true,
    description:
      'When the invite stops being acceptable: `inviteDate` plus `ttl` read as milliseconds; ' +
      'null when that is beyond any date (a ttl of more than about 270,000 years).',
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
