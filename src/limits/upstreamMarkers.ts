import type { GraphQLField, GraphQLObjectType } from 'graphql';
import { Extensions } from 'type-graphql';
import { UpstreamAction } from '../rest/upstreamActions';

/**
 * Which parts of the schema reach the REST API, and with which action, marked where they are
 * resolved. One mark feeds everything that depends on it, so that a new resolver cannot be
 * forgotten in a list kept elsewhere: the upstream-call measure (`measureOperation`), and the
 * subgraph SDL's `@cost` and `@requiresScopes` (`federation/routerDirectives.ts`), which is how the
 * router prices and authorizes what the gateway would spend. `test/limits/upstreamMarkers.test.ts`
 * runs every field of the schema against a counting upstream and fails when one that makes a call
 * is not marked, or is not priced and scoped in the SDL.
 */
const CALLS_UPSTREAM = 'callsUpstream';
const REFERENCE_CALLS_UPSTREAM = 'referenceCallsUpstream';

const ACTIONS: ReadonlySet<unknown> = new Set(Object.values(UpstreamAction));

/** On a resolver (query, mutation or field resolver) that makes one upstream call, `action`, each time it runs. */
export function CallsUpstream(action: UpstreamAction): MethodDecorator {
  return Extensions({ [CALLS_UPSTREAM]: action });
}

/** On an entity type whose federation reference resolution (`_entities`) makes one upstream call, `action`, per representation. */
export function ReferenceCallsUpstream(action: UpstreamAction): ClassDecorator {
  return Extensions({ [REFERENCE_CALLS_UPSTREAM]: action });
}

function actionIn(extensions: Readonly<Record<string, unknown>>, key: string): UpstreamAction | undefined {
  const value = extensions[key];
  return ACTIONS.has(value) ? (value as UpstreamAction) : undefined;
}

/** The action a field's resolver performs upstream each time it runs; undefined when it makes no call. */
export function upstreamActionOf(field: GraphQLField<unknown, unknown>): UpstreamAction | undefined {
  return actionIn(field.extensions, CALLS_UPSTREAM);
}

/** The action an entity type's reference resolution performs per representation; undefined when none. */
export function referenceUpstreamActionOf(type: GraphQLObjectType): UpstreamAction | undefined {
  return actionIn(type.extensions, REFERENCE_CALLS_UPSTREAM);
}

export function callsUpstream(field: GraphQLField<unknown, unknown>): boolean {
  return upstreamActionOf(field) !== undefined;
}

export function referenceCallsUpstream(type: GraphQLObjectType): boolean {
  return referenceUpstreamActionOf(type) !== undefined;
}
