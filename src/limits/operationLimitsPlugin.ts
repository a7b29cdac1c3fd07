import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestLimits } from '../config/config';
import { OperationLimitError } from '../errors/gatewayErrors';
import { measureOperation } from './measureOperation';

/**
 * Refuses operations over the configured depth, alias and upstream-call limits once they are
 * parsed and validated, before any resolver (and so any upstream call) runs.
 */
export function operationLimitsPlugin(limits: Pick<RequestLimits, 'maxDepth' | 'maxAliases' | 'maxUpstreamCalls'>): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const measure = measureOperation(schema, document, operation, request.variables ?? {});
          if (measure.depth > limits.maxDepth) {
            throw new OperationLimitError(`The operation is nested ${measure.depth} levels deep; at most ${limits.maxDepth} are allowed`, 'depth', limits.maxDepth, measure.depth);
          }
          if (measure.aliases > limits.maxAliases) {
            throw new OperationLimitError(`The operation uses ${measure.aliases} aliases; at most ${limits.maxAliases} are allowed`, 'aliases', limits.maxAliases, measure.aliases);
          }
          if (measure.upstreamCalls > limits.maxUpstreamCalls) {
            throw new OperationLimitError(
              `The operation could make ${measure.upstreamCalls} upstream calls; at most ${limits.maxUpstreamCalls} are allowed`,
              'upstreamCalls',
              limits.maxUpstreamCalls,
              measure.upstreamCalls,
            );
          }
        },
      };
    },
  };
}
