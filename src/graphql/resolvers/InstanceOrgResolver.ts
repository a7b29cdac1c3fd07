import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { CallsUpstream } from '../../limits/upstreamMarkers';
import type { GatewayContext } from '../../server/context';
import { DomainArgs, InviteListArgs, OrgRefArgs } from '../args/listArgs';
import { InstanceOrg } from '../types/InstanceOrg';
import { OrgInviteCollection } from '../types/OrgInviteCollection';
import { readInviteList } from './OrgInvitesResolver';
import { validOrgRef } from './orgRef';

@Resolver(() => InstanceOrg)
export class InstanceOrgResolver {
  @Query(() => InstanceOrg, {
    description: 'An organization by its ids, to read its invites; makes no upstream call by itself.',
  })
  instanceOrg(@Args() orgArgs: OrgRefArgs): InstanceOrg {
    return validOrgRef(orgArgs);
  }

  @FieldResolver(() => OrgInviteCollection, {
    description:
      'The organization’s invites, sorted and filtered (`GET /instances/{instanceId}/orgs/{orgId}/invites`). ' +
      'Shares the per-request loader with `orgInvites`, so repeated reads make one upstream call.',
  })
  @CallsUpstream()
  async invites(
    @Root() org: InstanceOrg,
    @Ctx() context: GatewayContext,
    // type-graphql lists arguments from the last @Args() to the first.
    @Args() { losantdomain }: DomainArgs,
    @Args() listArgs: InviteListArgs,
  ): Promise<OrgInviteCollection> {
    return readInviteList(context, org, listArgs, losantdomain);
  }
}

/** Federation's entry point: `_entities` hands over `{ instanceId, orgId }` and gets the entity back. */
export const instanceOrgReference = {
  __resolveReference(reference: { instanceId: string; orgId: string }): InstanceOrg {
    return validOrgRef(reference);
  },
};
