import { Field, InputType } from 'type-graphql';
import { OrgRole } from '../enums';
import { ResourceRoleGrantInput } from './ResourceRoleGrant';

@InputType({ description: 'Object containing new invite info.' })
export class OrgInviteInput {
  @Field({ description: 'Email address to invite (email format, at most 1024 characters).' })
  email!: string;

  @Field(() => OrgRole, { description: 'Organization role the member gets on accepting.' })
  role!: OrgRole;

  @Field(() => [ResourceRoleGrantInput], {
    nullable: true,
    description: 'Roles on individual applications to grant (at most 100).',
  })
  applicationRoles?: ResourceRoleGrantInput[] | null;

  @Field(() => [ResourceRoleGrantInput], {
    nullable: true,
    description: 'Roles on individual dashboards to grant (at most 100).',
  })
  dashboardRoles?: ResourceRoleGrantInput[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Bar the invited member from transferring the organization.',
  })
  disallowTransfer?: boolean | null;
}
