/**
 * Every `extensions.code` the gateway can answer with. The enum is part of the GraphQL schema (see
 * `src/graphql/errorCodeEnum.ts`) so that generated client types know every code, and it is the
 * table in docs/frontend.md. Codes are stable: renaming one is a breaking change for clients.
 */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  RATE_LIMITED = 'RATE_LIMITED',
  UPSTREAM_ERROR = 'UPSTREAM_ERROR',
  UPSTREAM_UNAVAILABLE = 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_TIMEOUT = 'UPSTREAM_TIMEOUT',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
  OPERATION_LIMIT_EXCEEDED = 'OPERATION_LIMIT_EXCEEDED',
  REQUEST_TOO_LARGE = 'REQUEST_TOO_LARGE',
  RESPONSE_TOO_LARGE = 'RESPONSE_TOO_LARGE',
  GRAPHQL_PARSE_FAILED = 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED',
  BAD_REQUEST = 'BAD_REQUEST',
  OPERATION_RESOLUTION_FAILURE = 'OPERATION_RESOLUTION_FAILURE',
  PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_SUPPORTED = 'PERSISTED_QUERY_NOT_SUPPORTED',
  DOCUMENT_NOT_TRUSTED = 'DOCUMENT_NOT_TRUSTED',
  SHUTTING_DOWN = 'SHUTTING_DOWN',
  ROUTER_ONLY = 'ROUTER_ONLY',
}

/** What each code means, shown in the schema docs and the table in docs/frontend.md. */
export const ERROR_CODE_DESCRIPTIONS: Readonly<Record<ErrorCode, string>> = {
  [ErrorCode.BAD_USER_INPUT]: "An argument failed the gateway's checks, or the upstream answered 400.",
  [ErrorCode.NOT_FOUND]: 'The instance, organization or invite does not exist (upstream 404).',
  [ErrorCode.UNAUTHENTICATED]: 'No `Authorization` header was sent, or the upstream rejected the token (401).',
  [ErrorCode.FORBIDDEN]: 'The token lacks a scope the action needs (upstream 403).',
  [ErrorCode.RATE_LIMITED]:
    "The upstream is rate limiting the caller (429), or the caller's token has used its share of the upstream quota (`RATE_LIMIT_POINTS`; then `extensions.gatewayLimit` is `RATE_LIMIT_POINTS`, HTTP 429, and nothing was sent upstream); `extensions.retryAfter` gives seconds when known.",
  [ErrorCode.UPSTREAM_ERROR]: 'The upstream failed (5xx) or answered with a body the gateway cannot read.',
  [ErrorCode.UPSTREAM_UNAVAILABLE]: 'The upstream could not be reached (connection refused, reset, DNS failure).',
  [ErrorCode.UPSTREAM_TIMEOUT]: 'The upstream did not answer within the configured timeout.',
  [ErrorCode.INTERNAL_SERVER_ERROR]: 'A fault inside the gateway; the message is masked and `extensions.correlationId` finds the log line.',
  [ErrorCode.OPERATION_LIMIT_EXCEEDED]:
    "The request is over one of the gateway's limits (tokens, depth, aliases, directives, introspection fields, or upstream calls, counted over a whole batch); `extensions.limit` says which. Nothing was sent upstream.",
  [ErrorCode.REQUEST_TOO_LARGE]: 'The request body, or the batch of operations, is larger than the gateway accepts.',
  [ErrorCode.RESPONSE_TOO_LARGE]:
    'The answer would be larger than the gateway sends: more invites over all its lists than `MAX_RESPONSE_ITEMS`, or more bytes than `MAX_RESPONSE_BYTES`; `extensions.limit` says which (`items` or `bytes`). Ask for fewer lists or a narrower filter.',
  [ErrorCode.GRAPHQL_PARSE_FAILED]: 'The document is not valid GraphQL syntax (raised by the GraphQL server before execution).',
  [ErrorCode.GRAPHQL_VALIDATION_FAILED]: 'The document does not match the schema (raised before execution).',
  [ErrorCode.BAD_REQUEST]: 'The HTTP request is not a well-formed GraphQL request.',
  [ErrorCode.OPERATION_RESOLUTION_FAILURE]: 'The request names an operation the document does not contain.',
  [ErrorCode.PERSISTED_QUERY_NOT_FOUND]: 'An automatic persisted query hash is not known yet; resend it with the full document.',
  [ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED]: 'Persisted queries are turned off on this server.',
  [ErrorCode.DOCUMENT_NOT_TRUSTED]:
    "The server runs only the documents of its trusted-documents manifest (`TRUSTED_DOCUMENTS=only`), and the request's document, `documentId` or persisted-query hash is not one of them. Nothing was parsed or sent upstream.",
  [ErrorCode.SHUTTING_DOWN]:
    'The replica reached its shutdown deadline (`SHUTDOWN_TIMEOUT_MS`) before the operation finished (HTTP 503). A read can be sent again, to another replica; a mutation may or may not have reached the upstream, so read before repeating it.',
  [ErrorCode.ROUTER_ONLY]:
    'The document selects `_service` or `_entities`, which only the federation router may run: it sends the router secret (`ROUTER_SECRET`). Nothing was sent upstream.',
};

/** Codes the GraphQL server raises for a well-formed request whose document or variables it refuses. */
const REFUSED_DOCUMENT_CODES = [
  ErrorCode.GRAPHQL_PARSE_FAILED,
  ErrorCode.GRAPHQL_VALIDATION_FAILED,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.OPERATION_RESOLUTION_FAILURE,
] as const;

/**
 * Codes the GraphQL server itself raises before any resolver runs; they reach clients unmasked:
 * a refused document, a request that is not well-formed GraphQL over HTTP, a persisted query.
 */
export const REQUEST_ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  ...REFUSED_DOCUMENT_CODES,
  ErrorCode.BAD_REQUEST,
  ErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  // A validation error the gateway renames (`explainRouterOnlyFields`).
  ErrorCode.ROUTER_ONLY,
]);

/**
 * Codes of a well-formed request whose document is refused, by the GraphQL server or by one of
 * the gateway's limits on documents, the trusted-documents manifest among them. GraphQL over HTTP
 * answers these 200 under the legacy `application/json` type (4xx under
 * `application/graphql-response+json`).
 */
export const WELL_FORMED_REQUEST_ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  ...REFUSED_DOCUMENT_CODES,
  ErrorCode.OPERATION_LIMIT_EXCEEDED,
  ErrorCode.RESPONSE_TOO_LARGE,
  ErrorCode.DOCUMENT_NOT_TRUSTED,
  ErrorCode.ROUTER_ONLY,
]);
