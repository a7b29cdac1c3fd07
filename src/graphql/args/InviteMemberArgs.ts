import { ArgsType, Field } from 'type-graphql';
import { OrgInviteInput } from '../types/OrgInviteInput';

@ArgsType()
export class InviteMemberArgs {
  @Field(() => OrgInviteInput, { description: 'Object containing new invite info.' })
  invite!: OrgInviteInput;
}
