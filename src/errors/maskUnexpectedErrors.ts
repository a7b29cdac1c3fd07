import { randomUUID } from 'node:crypto';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
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
    if (isInputCoercionError(original)) {
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.BAD_USER_INPUT } };
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
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, correlationId: masked.correlationId },
    };
  };
}

const INPUT_COERCION_MESSAGE = /^(Argument "[^"]+" (of non-null type|has invalid value|of required type)|Variable "\$[^"]+" |Too many errors processing variables)/;

function isInputCoercionError(error: unknown): boolean {
  return error instanceof GraphQLError && error.originalError === undefined && INPUT_COERCION_MESSAGE.test(error.message);
}

function withoutStacktrace(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions || !('stacktrace' in formatted.extensions)) return formatted;
  const { stacktrace: _dropped, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}
