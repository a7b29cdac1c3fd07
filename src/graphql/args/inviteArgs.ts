import { ArgsType, Field, ID } from 'type-graphql';
import { OrgRoleInfoInput } from '../types/OrgRoleInfoInput';

@ArgsType()
export class InviteIdArgs {
  @Field(() => ID, { description: 'ID associated with the organization invite (24 hex characters).' })
  inviteId!: string;
}

@ArgsType()
export class ResendInviteArgs {
  @Field(() => OrgRoleInfoInput, { description: 'Object containing updated role info.' })
  roles!: OrgRoleInfoInput;
}
