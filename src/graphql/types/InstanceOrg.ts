import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { CacheHint } from '../caching/cacheHints';

/**
 * An organization of an instance, as a federation entity: a subgraph that knows organizations
 * (their names, members, ...) reaches their invites through it. The key is the pair of ids because
 * every REST path needs both; an org id alone could not be turned into a call.
 */
@Directive('@key(fields: "instanceId orgId")')
@Directive(CacheHint.organization)
@ObjectType({ simpleResolvers: true, description: 'An organization of a Losant instance, through which its invites are reached.' })
export class InstanceOrg {
  @Field(() => ID, { description: 'ID associated with the instance (24 hex characters).' })
  instanceId!: string;

  @Field(() => ID, { description: 'ID associated with the organization (24 hex characters).' })
  orgId!: string;
}
