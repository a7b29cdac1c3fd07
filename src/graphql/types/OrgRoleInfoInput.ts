import { Field, InputType } from 'type-graphql';
import { OrgRole } from '../enums';
import { ResourceRoleGrantInput } from './ResourceRoleGrant';

@InputType({ description: 'Updated role info for a resent invite; fields left out keep their current value.' })
export class OrgRoleInfoInput {
  @Field(() => OrgRole, { nullable: true, description: 'New organization role.' })
  role?: OrgRole | null;

  @Field(() => [ResourceRoleGrantInput], {
    nullable: true,
    description: 'New roles on individual applications (at most 100); replaces the old list.',
  })
  applicationRoles?: ResourceRoleGrantInput[] | null;

  @Field(() => [ResourceRoleGrantInput], {
    nullable: true,
    description: 'New roles on individual dashboards (at most 100); replaces the old list.',
  })
  dashboardRoles?: ResourceRoleGrantInput[] | null;
}
