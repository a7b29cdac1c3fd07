import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { CallsUpstream } from '../../limits/upstreamMarkers';
import { UpstreamAction } from '../../rest/upstreamActions';
import type { GatewayContext } from '../../context/gatewayContext';
import { InstanceOrgInvitesArgs, InstanceOrgInvitesConnectionArgs } from '../args/listArgs';
import { OrgRefArgs } from '../args/refArgs';
import { readInviteConnection, readInviteList } from '../inviteReads';
import { ConnectionListSize } from '../paging/listSize';
import { InstanceOrg } from '../types/InstanceOrg';
import { OrgInviteCollection } from '../types/OrgInviteCollection';
import { OrgInviteConnection } from '../types/OrgInviteConnection';
import { validOrgRef } from '../validRefs';

@Resolver(() => InstanceOrg)
export class InstanceOrgResolver {
  // Nullable like the other root fields: malformed ids fail this field alone.
  @Query(() => InstanceOrg, {
    nullable: true,
    description:
      'An organization by its ids, to read its invites; makes no upstream call by itself. ' +
      'Null, with a BAD_USER_INPUT error at its path, when an id is malformed.',
  })
  instanceOrg(@Args() args: OrgRefArgs): InstanceOrg {
    return validOrgRef(args);
  }

  // Nullable: in a list of organizations (`_entities`, or a supergraph's list of orgs), one org
  // whose read fails must not null the entity, and with it the whole list.
  @FieldResolver(() => OrgInviteCollection, {
    nullable: true,
    description:
      'The organization’s invites, sorted and filtered (`GET /instances/{instanceId}/orgs/{orgId}/invites`). ' +
      'Shares the per-request loader with `orgInvites`, so repeated reads make one upstream call. ' +
      'Null, with an error at its path, when the read fails; the organization and its ids are still answered.',
  })
  @CallsUpstream(UpstreamAction.listInvites)
  async invites(
    @Root() org: InstanceOrg,
    @Ctx() context: GatewayContext,
    @Args() args: InstanceOrgInvitesArgs,
  ): Promise<OrgInviteCollection> {
    return readInviteList(context, { ...args, instanceId: org.instanceId, orgId: org.orgId });
  }

  @FieldResolver(() => OrgInviteConnection, {
    nullable: true,
    description:
      'A page of the organization’s invites as a Relay cursor connection, as `Query.orgInvitesConnection`; shares the ' +
      'per-request loader with `invites` and `orgInvites`. Null, with an error at its path, when the read fails or an ' +
      'argument or cursor is refused; the organization and its ids are still answered.',
  })
  @CallsUpstream(UpstreamAction.listInvites)
  @ConnectionListSize()
  async invitesConnection(
    @Root() org: InstanceOrg,
    @Ctx() context: GatewayContext,
    @Args() args: InstanceOrgInvitesConnectionArgs,
  ): Promise<OrgInviteConnection> {
    return readInviteConnection(context, { ...args, instanceId: org.instanceId, orgId: org.orgId });
  }
}
