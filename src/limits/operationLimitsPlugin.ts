import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestLimits } from '../config/settings';
import { OperationLimitError } from '../errors/gatewayErrors';
import type { GatewayContext } from '../context/gatewayContext';
import { measureOperation } from './measureOperation';
import { chargeUpstreamCalls, type UpstreamRateLimit } from './upstreamRateLimit';

export type OperationLimits = Pick<RequestLimits, 'maxUpstreamCalls' | 'maxIntrospectionFields'>;

/**
 * Refuses, once an operation is parsed, validated and resolved and before any resolver (and so any
 * upstream call) runs, what needs the schema's markers, the variables or the whole request to
 * judge: more introspection fields than allowed, or more upstream calls than the request may still
 * make (the operations of a batch add up). Depth, aliases, directives and tokens are refused
 * earlier, by the parser and the document rules. With `rateLimit`, an operation within those limits
 * is then charged its upstream calls against its caller's share of the upstream quota (an
 * operation that makes none costs nothing), and refused `RATE_LIMITED` once the share is spent.
 */
export function operationLimitsPlugin(limits: OperationLimits, rateLimit?: UpstreamRateLimit): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, response, contextValue }) {
          if (!operation) return;
          const measure = measureOperation(schema, document, operation, request.variables ?? {});
          if (measure.introspectionFields > limits.maxIntrospectionFields) {
            throw new OperationLimitError(
              `The operation has ${measure.introspectionFields} __schema or __type fields; at most ${limits.maxIntrospectionFields} are allowed`,
              'introspectionFields',
              limits.maxIntrospectionFields,
              measure.introspectionFields,
            );
          }
          const earlier = contextValue.upstreamBudget.plannedCalls;
          const { allowed, total } = contextValue.upstreamBudget.plan(measure.upstreamCalls, limits.maxUpstreamCalls);
          if (!allowed) {
            const message =
              earlier === 0
                ? `The operation could make ${total} upstream calls; at most ${limits.maxUpstreamCalls} are allowed`
                : `The request could make ${total} upstream calls (${earlier} by earlier operations of its batch); at most ${limits.maxUpstreamCalls} are allowed`;
            throw new OperationLimitError(message, 'upstreamCalls', limits.maxUpstreamCalls, total);
          }
          if (rateLimit) await chargeUpstreamCalls(rateLimit, contextValue, measure.upstreamCalls, response.http.headers);
        },
      };
    },
  };
}
