import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { InviteLoader } from '../loaders/InviteLoader';
import type { GatewayContext } from '../context/GatewayContext';
import type { GatewayMetrics } from './metrics';

function codesOf(errors: readonly GraphQLFormattedError[] | undefined): string[] {
  return (errors ?? []).map((error) => String(error.extensions?.code ?? 'UNKNOWN'));
}

/**
 * One log line and one set of metrics per GraphQL operation: name, type, outcome, duration, error
 * codes and how many upstream calls it made (that operation's own, also in a batch). Never logs
 * variables or headers (they may hold personal data or tokens).
 */
export function observabilityPlugin(metrics: GatewayMetrics | undefined): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      // Apollo runs each operation of a batch on a shallow copy of the request's context: the
      // copy gets its own view of the request's loader, so `callCount` below is this operation's
      // calls and not the batch's. The field is readonly for resolvers; this is its one writer.
      (contextValue as { invites: InviteLoader }).invites = contextValue.invites.forOperation();
      return {
        async willSendResponse({ response, operation, operationName, contextValue: context }) {
          const seconds = (performance.now() - started) / 1000;
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const codes = codesOf(errors);
          const type = operation?.operation ?? 'unknown';
          const name = operationName ?? operation?.name?.value ?? null;
          if (metrics) {
            const label = metrics.operationLabel(name);
            metrics.operations.inc({ operation: label, type, outcome: codes[0] ?? 'ok' });
            metrics.operationDuration.observe({ operation: label, type }, seconds);
          }
          context.logger.info(
            {
              operation: name,
              type,
              durationMs: Math.round(seconds * 1000 * 10) / 10,
              outcome: codes[0] ?? 'ok',
              errorCodes: codes.length > 0 ? codes : undefined,
              upstreamCalls: context.invites.callCount,
            },
            'graphql operation',
          );
        },
      };
    },
  };
}
