import { DateTimeResolver } from 'graphql-scalars';
import { Directive, Field, Float, ID, ObjectType } from 'type-graphql';
import { ReferenceCallsUpstream } from '../../limits/upstreamMarkers';
import { UpstreamAction } from '../../rest/upstreamActions';
import { OrgRole } from '../enums';
import { ResourceRoleGrant } from './ResourceRoleGrant';
import { CacheHint } from '../caching/cacheHints';

/**
 * A federation entity too: another subgraph holding an invite's full key can reach its fields.
 * `simpleResolvers` (on every object type here) leaves plain fields without a resolver function,
 * so they are read straight off the view; type-graphql's default wraps each in a middleware
 * runner, called for every field of every invite (figures in bench/results/changes.md).
 * Its reference resolution (`orgInviteReference`) reads the invite upstream.
 */
@Directive('@key(fields: "instanceId orgId id")')
@ReferenceCallsUpstream(UpstreamAction.getInvite)
@Directive(CacheHint.read)
@ObjectType({ simpleResolvers: true, description: 'A pending invitation to an organization.' })
export class OrgInvite {
  @Field(() => ID, { description: 'ID associated with the organization invite (24 hex characters).' })
  id!: string;

  @Field(() => ID, { description: 'ID associated with the instance the invite belongs to.' })
  instanceId!: string;

  @Field(() => ID, { description: 'ID associated with the organization the invite is to.' })
  orgId!: string;

  @Field({ description: 'Email address the invite was sent to.' })
  email!: string;

  @Field(() => OrgRole, { description: 'Organization role the member gets on accepting.' })
  role!: OrgRole;

  @Field(() => [ResourceRoleGrant], { description: 'Roles on individual applications granted with the invite.' })
  applicationRoles!: ResourceRoleGrant[];

  @Field(() => [ResourceRoleGrant], { description: 'Roles on individual dashboards granted with the invite.' })
  dashboardRoles!: ResourceRoleGrant[];

  @Field(() => DateTimeResolver, { description: 'When the invite was sent.' })
  inviteDate!: string;

  @Field(() => Float, {
    description:
      'Time to live of the invite in milliseconds, counted from `inviteDate` (the upstream does not document the unit; ' +
      'this gateway reads it as milliseconds, see `expiresAt`).',
  })
  ttl!: number;

  @Field({ description: 'Whether the invite has expired and can no longer be accepted.' })
  hasExpired!: boolean;

  @Field({ description: 'Whether the invited member is barred from transferring the organization.' })
  disallowTransfer!: boolean;
}
