import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { InviteFilterField, InviteSortField, SortDirection } from '../enums';
import { OrgInvite } from './OrgInvite';
import { CacheHint } from '../caching/cacheHints';

@Directive(CacheHint.read)
@ObjectType({ simpleResolvers: true, description: 'A collection of instance organization invitations, as sorted and filtered.' })
export class OrgInviteCollection {
  @Field(() => [OrgInvite], { description: 'The invites, in the requested order.' })
  items!: OrgInvite[];

  @Field(() => Int, { description: 'Number of invites in the collection.' })
  count!: number;

  @Field(() => ID, { description: 'ID associated with the instance.' })
  instanceId!: string;

  @Field(() => ID, { description: 'ID associated with the organization.' })
  orgId!: string;

  @Field(() => InviteSortField, { nullable: true, description: 'Field the results are sorted by, as the upstream applied it.' })
  sortField!: InviteSortField | null;

  @Field(() => SortDirection, { nullable: true, description: 'Direction the results are sorted in, as the upstream applied it.' })
  sortDirection!: SortDirection | null;

  @Field(() => InviteFilterField, { nullable: true, description: 'Field the results are filtered on; null when not filtered.' })
  filterField!: InviteFilterField | null;

  @Field(() => String, { nullable: true, description: 'Glob pattern applied to `filterField`; null when not filtered.' })
  filter!: string | null;
}
