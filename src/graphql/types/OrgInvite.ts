import { DateTimeResolver } from 'graphql-scalars';
import { Field, Float, ID, ObjectType } from 'type-graphql';
import { OrgRole } from '../enums';
import { ResourceRoleGrant } from './ResourceRoleGrant';

@ObjectType({ description: 'A pending invitation to an organization.' })
export class OrgInvite {
  @Field(() => ID, { description: 'ID associated with the organization invite (24 hex characters).' })
  id!: string;

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
    description: 'Time to live of the invite as the upstream reports it (the upstream does not document the unit).',
  })
  ttl!: number;

  @Field({ description: 'Whether the invite has expired and can no longer be accepted.' })
  hasExpired!: boolean;

  @Field({ description: 'Whether the invited member is barred from transferring the organization.' })
  disallowTransfer!: boolean;
}
