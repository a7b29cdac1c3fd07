import { Directive, Field, ObjectType } from 'type-graphql';
import { OrgInvite } from './OrgInvite';
import { CacheHint } from '../caching/cacheHints';

@Directive(CacheHint.partOfParent)
@ObjectType({ simpleResolvers: true, description: 'One invite of a connection page, with the cursor that marks its position.' })
export class OrgInviteEdge {
  @Field({
    description: 'Opaque cursor of this invite’s position, for `after` or `before`; valid for the same organization, sort and filter only.',
  })
  cursor!: string;

  @Field(() => OrgInvite, { description: 'The invite.' })
  node!: OrgInvite;
}
