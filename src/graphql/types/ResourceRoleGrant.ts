import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import { ResourceRole } from '../enums';
import { CacheHint } from '../caching/cacheHints';

@Directive(CacheHint.partOfParent)
@ObjectType({ simpleResolvers: true, description: 'A role on one application or dashboard, granted with an invite.' })
export class ResourceRoleGrant {
  @Field(() => ID, { description: 'ID of the application or dashboard (24 hex characters).' })
  resourceId!: string;

  @Field(() => ResourceRole, { description: 'Role granted on that resource.' })
  role!: ResourceRole;
}

@InputType({ description: 'A role on one application or dashboard to grant with an invite.' })
export class ResourceRoleGrantInput {
  @Field(() => ID, { description: 'ID of the application or dashboard (24 hex characters).' })
  resourceId!: string;

  @Field(() => ResourceRole, { description: 'Role to grant on that resource.' })
  role!: ResourceRole;
}
