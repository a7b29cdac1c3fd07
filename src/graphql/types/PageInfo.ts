import { Directive, Field, ObjectType } from 'type-graphql';
import { CacheHint } from '../caching/cacheHints';

/**
 * The Relay cursor connections specification's `PageInfo`. Shareable: other subgraphs of a
 * supergraph commonly declare the same type, and composition then needs every copy marked.
 */
@Directive('@shareable')
@Directive(CacheHint.partOfParent)
@ObjectType({ simpleResolvers: true, description: 'Where a page of a connection lies in the whole list (Relay cursor connections).' })
export class PageInfo {
  @Field({ description: 'Whether the list holds invites after this page (exact, whichever direction was paged).' })
  hasNextPage!: boolean;

  @Field({ description: 'Whether the list holds invites before this page (exact, whichever direction was paged).' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first edge of the page; null when the page is empty.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of the page; null when the page is empty.' })
  endCursor!: string | null;
}
