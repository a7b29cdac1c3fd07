import { Directive, Field, ObjectType } from 'type-graphql';
import { OrgInvite } from './OrgInvite';
import { OrgInviteCollection } from './OrgInviteCollection';
import { CacheHint } from '../caching/cacheHints';

@Directive(CacheHint.never)
@ObjectType({ simpleResolvers: true, description: 'Result of `inviteMember`.' })
export class InviteMemberPayload {
  @Field(() => OrgInvite, {
    nullable: true,
    description: 'The new invite, found by email in the collection the upstream returned; null only if the upstream left it out.',
  })
  invite!: OrgInvite | null;

  @Field(() => OrgInviteCollection, { description: 'The organization’s invites after the new one was added.' })
  invites!: OrgInviteCollection;
}
