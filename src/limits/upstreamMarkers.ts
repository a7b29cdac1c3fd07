import type { GraphQLField, GraphQLObjectType } from 'graphql';
import { Extensions } from 'type-graphql';

/**
 * Which parts of the schema reach the REST API, marked where they are resolved and read from the
 * schema by the upstream-call measure, so that a new resolver cannot be forgotten in a list kept
 * elsewhere. `test/limits/upstreamMarkers.test.ts` runs every field of the schema against a
 * counting upstream and fails when one that makes a call is not marked.
 */
const CALLS_UPSTREAM = 'callsUpstream';
const REFERENCE_CALLS_UPSTREAM = 'referenceCallsUpstream';

/** On a resolver (query, mutation or field resolver) that makes one upstream call each time it runs. */
export function CallsUpstream(): MethodDecorator {
  return Extensions({ [CALLS_UPSTREAM]: true });
}

/** On an entity type whose federation reference resolution (`_entities`) makes one upstream call per representation. */
export function ReferenceCallsUpstream(): ClassDecorator {
  return Extensions({ [REFERENCE_CALLS_UPSTREAM]: true });
}

export function callsUpstream(field: GraphQLField<unknown, unknown>): boolean {
  return field.extensions[CALLS_UPSTREAM] === true;
}

export function referenceCallsUpstream(type: GraphQLObjectType): boolean {
  return type.extensions[REFERENCE_CALLS_UPSTREAM] === true;
}
