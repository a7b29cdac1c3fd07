import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  HTTP_REQUEST_METHOD_VALUE_OTHER,
} from './attributes';

/** The one route traced: probes, metrics and the playground would only add noise. */
const GRAPHQL_ROUTE = '/graphql';

/** The methods HTTP semantic conventions name; any other reads `_OTHER`, so a client cannot make up span names. */
const KNOWN_METHODS: ReadonlySet<string> = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE']);

/**
 * Starts the server span of one GraphQL request, `POST /graphql`, as a child of the caller's span
 * when it sent a `traceparent`; it ends when the response does, with its status code. Answers
 * the context the request's operations run in.
 *
 * Only what names the route is recorded: never the query string (a GET carries its variables
 * there), a header (user agent, forwarded addresses) or the client's address.
 */
export function startRequestSpan(tracer: Tracer, callerTrace: Context, req: IncomingMessage, res: ServerResponse): Context {
  const method = req.method !== undefined && KNOWN_METHODS.has(req.method) ? req.method : HTTP_REQUEST_METHOD_VALUE_OTHER;
  const span = tracer.startSpan(
    `${method} ${GRAPHQL_ROUTE}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: method,
        [ATTR_URL_PATH]: GRAPHQL_ROUTE,
        // TLS, where there is any, ends in front of the gateway.
        [ATTR_URL_SCHEME]: 'http',
        [ATTR_HTTP_ROUTE]: GRAPHQL_ROUTE,
        [ATTR_NETWORK_PROTOCOL_VERSION]: req.httpVersion,
      },
    },
    callerTrace,
  );
  // A span the sampler dropped records nothing: it only carries the ids the upstream and the log
  // lines get. It needs no listener on the response, which would live as long as the request.
  if (!span.isRecording()) return trace.setSpan(callerTrace, span);
  res.once('close', () => {
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
    if (!res.writableFinished) {
      // The connection went before the whole response did (the client left, or the shutdown cut it).
      span.setAttribute(ATTR_ERROR_TYPE, 'response_incomplete');
      span.setStatus({ code: SpanStatusCode.ERROR });
    } else if (res.statusCode >= 500) {
      // A 4xx is the client's doing, not a failure of the server (HTTP semantic conventions).
      span.setAttribute(ATTR_ERROR_TYPE, String(res.statusCode));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  });
  return trace.setSpan(callerTrace, span);
}
