import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { OrgInvite } from './OrgInvite';
import { CacheHint } from '../caching/cacheHints';

@Directive(CacheHint.never)
@ObjectType({ simpleResolvers: true, description: 'Result of `revokeInvite`.' })
export class RevokeInvitePayload {
  @Field({ description: 'Whether the upstream confirmed the revocation (always true when there is no error).' })
  success!: boolean;

  @Field(() => ID, { description: 'ID of the invite that was revoked; it can no longer be accepted.' })
  revokedInviteId!: string;
}

@Directive(CacheHint.never)
@ObjectType({ simpleResolvers: true, description: 'Result of `resendInvite`.' })
export class ResendInvitePayload {
  @Field(() => OrgInvite, { description: 'The invite as resent, with its new roles and date.' })
  invite!: OrgInvite;
}
