import { ArgsType, Field } from 'type-graphql';
import { OrgInviteInput } from '../types/OrgInviteInput';
import { OrgRoleInfoInput } from '../types/OrgRoleInfoInput';
import { DomainArg } from './domainArg';
import { InviteRefArgs, OrgRefArgs } from './refArgs';

/** `Query.orgInvite`. */
@ArgsType()
export class OrgInviteArgs extends InviteRefArgs {
  @DomainArg()
  losantdomain?: string | null;
}

/** `Mutation.inviteMember`. */
@ArgsType()
export class InviteMemberArgs extends OrgRefArgs {
  @Field(() => OrgInviteInput, { description: 'Object containing new invite info.' })
  invite!: OrgInviteInput;

  @DomainArg()
  losantdomain?: string | null;
}

/** `Mutation.revokeInvite`. */
@ArgsType()
export class RevokeInviteArgs extends InviteRefArgs {
  @DomainArg()
  losantdomain?: string | null;
}

/** `Mutation.resendInvite`. */
@ArgsType()
export class ResendInviteArgs extends InviteRefArgs {
  @Field(() => OrgRoleInfoInput, { description: 'Object containing updated role info.' })
  roles!: OrgRoleInfoInput;

  @DomainArg()
  losantdomain?: string | null;
}
