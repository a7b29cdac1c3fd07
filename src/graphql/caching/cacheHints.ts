import { DirectiveLocation, GraphQLBoolean, GraphQLDirective, GraphQLEnumType, GraphQLInt } from 'graphql';

/**
 * How long a browser or a router may keep an answer read with the caller's token, in seconds:
 * short, because invites change under other callers' mutations, which no private cache hears of.
 * The gateway's own list cache (LIST_CACHE_TTL_MS) is cleared on every mutation instead.
 */
export const READ_MAX_AGE_SECONDS = 10;

/**
 * An organization by its ids holds nothing read upstream (its invites carry their own hint), so
 * it may be kept longer; still PRIVATE: whether the caller may see it is the upstream's to say.
 */
export const ORG_MAX_AGE_SECONDS = 60;

/**
 * The hints the schema's types and fields carry, as `@Directive` arguments. Every object type gets
 * one (test/graphql/caching/cacheHints.test.ts fails for a type without): an answer is only as
 * cacheable as its least cacheable field, and Apollo's rules give an unhinted object field
 * `maxAge: 0`, which would silently make every answer that selects it `no-store`.
 * - `read`: anything read upstream with the caller's token: PRIVATE, never shared between callers.
 * - `organization`: see ORG_MAX_AGE_SECONDS.
 * - `partOfParent`: a value nested in a read (an invite's role grants): as cacheable as its parent.
 * - `never`: a mutation's payload: a write's answer is never replayed.
 */
export const CacheHint = {
  read: `@cacheControl(maxAge: ${READ_MAX_AGE_SECONDS}, scope: PRIVATE)`,
  organization: `@cacheControl(maxAge: ${ORG_MAX_AGE_SECONDS}, scope: PRIVATE)`,
  partOfParent: '@cacheControl(inheritMaxAge: true)',
  never: '@cacheControl(maxAge: 0, scope: PRIVATE)',
} as const;

/** `enum CacheControlScope { PUBLIC PRIVATE }`, as Apollo Server and Apollo Router read it. */
export const CacheControlScopeEnum = new GraphQLEnumType({
  name: 'CacheControlScope',
  description: 'Who may share a cached answer: `PUBLIC` any caller, `PRIVATE` only the caller it was read for.',
  values: {
    PUBLIC: { description: 'The same answer for every caller.' },
    PRIVATE: { description: 'An answer for one caller only (read with their token).' },
  },
});

/**
 * `directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on
 * FIELD_DEFINITION | OBJECT | INTERFACE | UNION`: Apollo's declaration, printed in both SDL files
 * so that a router or a schema registry reading `schema/subgraph.graphql` sees the hints.
 */
export const CacheControlDirective = new GraphQLDirective({
  name: 'cacheControl',
  description: 'How long, and for whom, an answer that selects this type or field may be cached (Apollo cache hints).',
  locations: [DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.OBJECT, DirectiveLocation.INTERFACE, DirectiveLocation.UNION],
  args: {
    maxAge: { type: GraphQLInt, description: 'Seconds the answer may be kept; 0 is never.' },
    scope: { type: CacheControlScopeEnum, description: 'Who may share it; PUBLIC unless some field says PRIVATE.' },
    inheritMaxAge: { type: GraphQLBoolean, description: 'Take the maxAge of the parent field rather than 0.' },
  },
});
