import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestLimits } from '../config/config';
import { OperationLimitError } from '../errors/gatewayErrors';
import { measureOperation } from './measureOperation';

export type OperationLimits = Pick<RequestLimits, 'maxUpstreamCalls' | 'maxIntrospectionFields'>;

/**
 * Refuses, once an operation is parsed, validated and resolved and before any resolver (and so any
 * upstream call) runs, what needs the schema's markers or the variables to judge: more
 * introspection fields than allowed, or more upstream calls than allowed. Depth, aliases,
 * directives and tokens are refused earlier, by the parser and the document rules.
 */
export function operationLimitsPlugin(limits: OperationLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
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
