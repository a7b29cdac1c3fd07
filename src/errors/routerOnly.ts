import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from './errorCode';

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** What a caller other than the router is told when its document selects a federation field. */
const ROUTER_ONLY_MESSAGE =
  'Only the federation router may select `_service` or `_entities`; it sends the router secret (ROUTER_SECRET) in its header';

/**
 * graphql-js's refusal of a field the schema lacks, for the two federation fields: clients are
 * served the API schema, which has neither. Matched on the field name graphql-js quotes, which
 * `hideSchemaInErrors` keeps (the client sent it); the type it names may be hidden.
 */
const FEDERATION_FIELD_REFUSED = /^Cannot query field "_(?:service|entities)" on type "/;

/**
 * Apollo's `formatError`, one step, for the clients' schema: a document selecting `_service` or
 * `_entities` is refused with `ROUTER_ONLY` rather than as an unknown field, so a team wiring a
 * router learns what is missing. Location and HTTP status stay the validation error's.
 */
export function explainRouterOnlyFields(next: FormatError): FormatError {
  return (formatted, error) => {
    if (formatted.extensions?.code !== ErrorCode.GRAPHQL_VALIDATION_FAILED || !FEDERATION_FIELD_REFUSED.test(formatted.message))
      return next(formatted, error);
    return next(
      { ...formatted, message: ROUTER_ONLY_MESSAGE, extensions: { ...formatted.extensions, code: ErrorCode.ROUTER_ONLY } },
      error,
    );
  };
}
