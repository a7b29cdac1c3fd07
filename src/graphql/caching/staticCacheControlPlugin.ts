import type { ApolloServerPlugin } from '@apollo/server';
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
