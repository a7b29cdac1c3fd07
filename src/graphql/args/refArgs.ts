import { ArgsType, Field, ID } from 'type-graphql';

/** The organization an operation acts on: the first arguments of every field that takes ids. */
@ArgsType()
export class OrgRefArgs {
  @Field(() => ID, { description: 'ID associated with the instance (24 hex characters).' })
  instanceId!: string;

  @Field(() => ID, { description: 'ID associated with the organization (24 hex characters).' })
  orgId!: string;
}

/** One invite of that organization. */
@ArgsType()
export class InviteRefArgs extends OrgRefArgs {
  @Field(() => ID, { description: 'ID associated with the organization invite (24 hex characters).' })
  inviteId!: string;
}
