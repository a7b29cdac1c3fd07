import { ApolloServerValidationErrorCode } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** What a client is told when it asks for `__schema` or `__type` with introspection off. */
export const INTROSPECTION_OFF_MESSAGE = 'Introspection is off on this gateway (set INTROSPECTION=true to allow it)';

/**
 * Apollo's `formatError`, one step: Apollo refuses introspection with a message that tells the
 * reader to pass `introspection: true` to its constructor, which nobody running this gateway can
 * do; the setting to change is `INTROSPECTION`. The error is found by the code Apollo gives it
 * (`extensions.validationErrorCode`), not by its wording; code and locations stay as they are.
 */
export function explainIntrospectionOff(next: FormatError): FormatError {
  return (formatted, error) => {
    const refused = formatted.extensions?.validationErrorCode === ApolloServerValidationErrorCode.INTROSPECTION_DISABLED;
    return next(refused ? { ...formatted, message: INTROSPECTION_OFF_MESSAGE } : formatted, error);
  };
}
