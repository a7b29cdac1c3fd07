import { randomUUID } from 'node:crypto';
import { GraphQLError, GraphQLFormattedError, isValueNode, Kind } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';
import { ErrorCode, REQUEST_ERROR_CODES } from './errorCode';
import { GatewayError, InternalServerError } from './gatewayErrors';
import { redactSecrets } from './redact';

/**
 * Apollo's `formatError`: errors the gateway raised on purpose and the GraphQL server's own
 * request errors reach the client as they are; anything else (a bug, a value the schema cannot
 * serialise) is logged once with a correlation id and replaced by an `INTERNAL_SERVER_ERROR`
 * that carries only that id.
 */
export function maskUnexpectedErrors(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof GatewayError) return withoutStacktrace(formatted);
    // Request errors (parse, validation, variable coercion) come from the server itself, before
    // any resolver ran, so they carry no path.
    const code = formatted.extensions?.code;
    if (formatted.path === undefined && typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
      return withoutStacktrace(formatted);
    }
    // Bad input that graphql-js itself refuses, without a code: an explicit null for an argument
    // that has a default but is non-null, or its cap on variable errors.
    if (isInputCoercionError(original, formatted.path === undefined)) {
      return {
        message: formatted.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      };
    }
    const masked = new InternalServerError(randomUUID());
    const cause = original instanceof Error ? original : new Error(String(original));
    logger.error(
      {
        correlationId: masked.correlationId,
        path: formatted.path,
        err: { message: redactSecrets(cause.message), stack: redactSecrets(cause.stack ?? '') },
      },
      'unexpected error masked for the client',
    );
    return {
      message: masked.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: masked.extensions,
    };
  };
}

/**
 * Whether `error` is graphql-js refusing the operation's input, told by its shape rather than its
 * message (which a graphql upgrade may reword): an error of its own (no code, no path of its own)
 * that points at what it refused. Apollo already gives the usual variable errors BAD_USER_INPUT
 * (by their message); these are the rest:
 * - a variable definition, at request level (the cause, when there is one, is a scalar's parser);
 * - an argument's value (an explicit null for a non-null argument with a default, read while a
 *   field or `@skip`/`@include` runs): a value node, and no cause, since graphql-js raises it
 *   itself; output faults point at field nodes, or at nothing;
 * - nothing at all, at request level and with no cause: its cap on variable errors ("Too many
 *   errors processing variables"), raised before any field ran.
 *
 * @param atRequestLevel whether the formatted error has no path (no field had run).
 */
function isInputCoercionError(error: unknown, atRequestLevel: boolean): boolean {
  if (!(error instanceof GraphQLError) || error.path !== undefined || error.extensions.code !== undefined) return false;
  const nodes = error.nodes ?? [];
  if (atRequestLevel && nodes.length > 0 && nodes.every((node) => node.kind === Kind.VARIABLE_DEFINITION)) return true;
  if (error.originalError !== undefined) return false;
  if (nodes.length > 0) return nodes.every(isValueNode);
  return atRequestLevel;
}

function withoutStacktrace(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions || !('stacktrace' in formatted.extensions)) return formatted;
  const { stacktrace: _dropped, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}
