import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { OperationLimitError } from '../errors/gatewayErrors';

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** graphql-js's message when its `maxTokens` parse option stops the parser ("more that" is its spelling). */
const TOO_MANY_TOKENS = /^Syntax Error: Document contains more that? \d+ tokens\. Parsing aborted\.$/;

/**
 * Apollo's `formatError`, first step: every refusal of a limit reaches the client as
 * `OPERATION_LIMIT_EXCEEDED` with `limit`, `max` (and `actual` where known), whichever phase
 * refused it. Apollo wraps what validation rules report as `GRAPHQL_VALIDATION_FAILED` and the
 * parser's token limit as `GRAPHQL_PARSE_FAILED`; the wrapped error is found through
 * `originalError`. The HTTP status stays the wrapper's (400). Everything else goes to `next`.
 */
export function formatLimitErrors(maxTokens: number, next: FormatError): FormatError {
  return (formatted, error) => {
    const refusal = limitRefusalOf(error, maxTokens);
    if (!refusal) return next(formatted, error);
    const { http: _status, ...extensions } = refusal.extensions;
    return { message: refusal.message, extensions };
  };
}

function limitRefusalOf(error: unknown, maxTokens: number): OperationLimitError | undefined {
  for (let current: unknown = error; current instanceof GraphQLError; current = current.originalError) {
    if (current instanceof OperationLimitError) return current;
    if (TOO_MANY_TOKENS.test(current.message)) {
      return new OperationLimitError(`The document has more than ${maxTokens} tokens; parsing stopped there`, 'tokens', maxTokens);
    }
  }
  return undefined;
}
