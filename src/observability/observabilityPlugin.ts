import type { ApolloServerPlugin } from '@apollo/server';
import type { Tracer } from '@opentelemetry/api';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { InviteLoader } from '../loaders/InviteLoader';
import type { GatewayContext } from '../context/gatewayContext';
import type { GatewayMetrics } from './metrics';
import { startOperationSpan } from './tracing/operationSpan';

/** Each error's code; graphql-js types it `unknown`, and the gateway sets only strings. */
function codesOf(errors: readonly GraphQLFormattedError[] | undefined): string[] {
  return (errors ?? []).map((error) => {
    const code = error.extensions?.code;
    return typeof code === 'string' ? code : 'UNKNOWN';
  });
}

/**
 * One log line, one set of metrics and, when tracing is on, one span per GraphQL operation: name,
 * type, outcome, duration, error codes and how many upstream calls it made (that operation's own,
 * also in a batch), each line with the request's `logFields`. Never records variables or headers
 * (they may hold personal data or tokens).
 */
export function observabilityPlugin(
  logger: Logger,
  metrics: GatewayMetrics | undefined,
  tracer?: Tracer,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      const span = tracer ? startOperationSpan(tracer, contextValue.trace) : undefined;
      // Apollo runs each operation of a batch on a shallow copy of the request's context: the
      // copy gets its own view of the request's loader, so `callCount` below is this operation's
      // calls and not the batch's, and its calls are its span's children. The field is readonly
      // for resolvers; this is its one writer.
      (contextValue as { inviteLoader: InviteLoader }).inviteLoader = contextValue.inviteLoader.forOperation(span?.context);
      return {
        async willSendResponse({ response, operation, operationName, document, contextValue: context }) {
          const seconds = (performance.now() - started) / 1000;
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const codes = codesOf(errors);
          const type = operation?.operation ?? 'unknown';
          const name = operationName ?? operation?.name?.value ?? null;
          // Only a name the document really has (a valid GraphQL name), not whatever the request said.
          span?.end({
            type: operation?.operation,
            name: operation?.name?.value ?? null,
            document,
            codes,
            upstreamCalls: context.inviteLoader.callCount,
          });
          if (metrics) {
            const label = metrics.operationLabel(name);
            metrics.operations.inc({ operation: label, type, outcome: codes[0] ?? 'ok' });
            metrics.operationDuration.observe({ operation: label, type }, seconds);
          }
          // The root logger with the request's fields, to the bytes the request's child logger
          // would write, without making that child (see RequestContext). Named one by one: a
          // spread of them made an object that V8 promoted under load (measured in
          // bench/results/changes.md, "What a 20-invite request promotes").
          // Undefined fields are left out of the line.
          const { requestId, trace_id, span_id } = context.logFields;
          logger.info(
            {
              requestId,
              trace_id,
              span_id,
              operation: name,
              type,
              durationMs: Math.round(seconds * 1000 * 10) / 10,
              outcome: codes[0] ?? 'ok',
              errorCodes: codes.length > 0 ? codes : undefined,
              upstreamCalls: context.inviteLoader.callCount,
            },
            'graphql operation',
          );
        },
      };
    },
  };
}
