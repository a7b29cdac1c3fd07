import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import type { OperationDefinitionNode } from 'graphql';
import { operationCachePolicy, type StaticCacheHint } from './operationCachePolicy';

/**
 * Gives each operation its cache policy from the schema's hints before it executes
 * (`operationCachePolicy`), once per parsed operation. Apollo's cache-control plugin, installed
 * beside it, then writes the `Cache-Control` header from that policy (`private, max-age=N`;
 * `no-store` for a mutation or an answer with errors), and does not compute it again field by
 * field: a policy already set before execution is one it leaves alone. The policy is therefore the
 * same whichever executor runs the operation (graphql-jit calls no hook per field).
 */
export function staticCacheControlPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  // Apollo's document cache hands back the same parsed document for the same text, so the policy
  // is computed once per distinct operation and dropped with its document.
  const policies = new WeakMap<OperationDefinitionNode, StaticCacheHint>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, overallCachePolicy }) {
          // Apollo refuses a request naming no operation before this hook; nothing to hint then.
          if (!operation) return;
          let policy = policies.get(operation);
          if (!policy) {
            policy = operationCachePolicy(schema, document, operation);
            policies.set(operation, policy);
          }
          overallCachePolicy.restrict(policy);
        },
      };
    },
  };
}

/**
 * Apollo's cache-control plugin as it writes the `Cache-Control` header (from the policy above),
 * without its hook on every field: with that hook, Apollo wraps every resolver of the schema and
 * calls it for every field of every answer (measured: about a fifth more CPU for a 500-invite list
 * run by graphql-js), to compute a policy `staticCacheControlPlugin` has already set. Resolvers then
 * see no `info.cacheControl`; none here sets a dynamic hint, and `@apollo/subgraph` does without.
 * Its own properties are kept, so Apollo still knows it as its cache-control plugin and adds no other.
 */
export function cacheControlHeaderPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  const apollo = ApolloServerPluginCacheControl({ defaultMaxAge: 0, calculateHttpHeaders: true }) as ApolloServerPlugin<TContext>;
  return {
    ...apollo,
    async requestDidStart(requestContext): Promise<GraphQLRequestListener<TContext> | void> {
      const listener = await apollo.requestDidStart?.(requestContext);
      // Its header hook (`willSendResponse`) stays; its per-field one (under `executionDidStart`) goes.
      return listener && { ...listener, executionDidStart: undefined };
    },
  };
}
