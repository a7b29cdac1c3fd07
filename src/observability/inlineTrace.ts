import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors/errorCode';

/**
 * Federated tracing: a router (Apollo Router, `@apollo/gateway`) that sends
 * `apollo-federation-include-trace: ftv1` gets the operation's trace (timing of every resolved
 * field, and its errors) in the response's `extensions.ftv1`, for its own reporting; requests
 * without the header get nothing added.
 *
 * Errors go into the trace the way clients see them, or less: an error the gateway raised on
 * purpose while executing keeps its message (already scrubbed of tokens) and extensions; any
 * other error (a bug's message, which `formatError` masks for clients, or a validation message
 * that could describe a schema whose introspection is off) becomes `<masked>` with only its code,
 * at its path.
 */
export function inlineTracePlugin(): ApolloServerPlugin {
  return ApolloServerPluginInlineTrace({ includeErrors: { transform: asClientsSeeIt } });
}

const KNOWN_CODES: ReadonlySet<unknown> = new Set(Object.values(ErrorCode));

/**
 * The plugin hands over a shallow copy without `originalError` (not an enumerable property of a
 * GraphQLError), so the gateway's own errors are told by what only they have: a path (raised
 * while executing) and one of the gateway's execution codes. A bug's error has no code.
 */
function asClientsSeeIt(error: GraphQLError): GraphQLError {
  const code: string = KNOWN_CODES.has(error.extensions?.code) ? (error.extensions.code as string) : ErrorCode.INTERNAL_SERVER_ERROR;
  const internal: string = ErrorCode.INTERNAL_SERVER_ERROR;
  const raisedOnPurpose = error.path !== undefined && code !== internal;
  if (raisedOnPurpose) return error;
  return new GraphQLError('<masked>', { extensions: { code, maskedBy: 'invites-gateway' } });
}
