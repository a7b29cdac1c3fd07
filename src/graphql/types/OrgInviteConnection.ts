import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { OrgInviteEdge } from './OrgInviteEdge';
import { PageInfo } from './PageInfo';
import { CacheHint } from '../caching/cacheHints';

@Directive(CacheHint.read)
@ObjectType({
  simpleResolvers: true,
  description: 'A page of an organization’s invites, sorted and filtered, as a Relay cursor connection.',
})
export class OrgInviteConnection {
  @Field(() => [OrgInviteEdge], { description: 'The page’s invites, in the requested order.' })
  edges!: OrgInviteEdge[];

  @Field(() => PageInfo, { description: 'Where the page lies in the whole list, and the cursors to page on from it.' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Number of invites in the whole list after filtering, not only on this page.' })
  totalCount!: number;
}
