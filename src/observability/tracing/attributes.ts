/**
 * Span attribute names. Stable ones come from `@opentelemetry/semantic-conventions`; the
 * GraphQL and `url.template` attributes are still "development" in semantic conventions 1.45 and
 * are copied here, as OpenTelemetry advises, rather than imported from its unstable entry point.
 * The gateway's own attributes are prefixed `invites_gateway.` so they cannot clash with future
 * conventions.
 */
export {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  HTTP_REQUEST_METHOD_VALUE_OTHER,
} from '@opentelemetry/semantic-conventions';

export const ATTR_GRAPHQL_OPERATION_NAME = 'graphql.operation.name';
export const ATTR_GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';
/** The document with every literal value blanked (see `operationSpan.ts`). */
export const ATTR_GRAPHQL_DOCUMENT = 'graphql.document';
export const ATTR_URL_TEMPLATE = 'url.template';

/** `ok`, or the `extensions.code` of the operation's first error (as in the operation's log line and metric). */
export const ATTR_GATEWAY_OUTCOME = 'invites_gateway.graphql.outcome';
/** Every error's `extensions.code`, in order. */
export const ATTR_GATEWAY_ERROR_CODES = 'invites_gateway.graphql.error_codes';
/** Upstream actions the operation asked for (retries not counted). */
export const ATTR_GATEWAY_UPSTREAM_CALLS = 'invites_gateway.graphql.upstream_calls';
/** The Losant API action of an upstream call, e.g. `instanceOrgInvites.get`. */
export const ATTR_GATEWAY_UPSTREAM_ACTION = 'invites_gateway.upstream.action';
/** Which try of the call this span is, from 1 (`http.request.resend_count` is this minus one, set from the second try on). */
export const ATTR_GATEWAY_UPSTREAM_ATTEMPT = 'invites_gateway.upstream.attempt';
