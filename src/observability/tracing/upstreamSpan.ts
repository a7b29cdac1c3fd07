import { type Context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GATEWAY_UPSTREAM_ACTION,
  ATTR_GATEWAY_UPSTREAM_ATTEMPT,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_TEMPLATE,
} from './attributes';

/** The upstream's host and port, as `server.address` and `server.port` name them. */
export interface UpstreamServer {
  readonly address: string;
  readonly port: number;
}

/** The upstream's host and port from its base URL (the scheme's default port when none is written). */
export function upstreamServer(baseUrl: string): UpstreamServer {
  const url = new URL(baseUrl);
  return { address: url.hostname, port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80 };
}

export interface UpstreamCall {
  readonly action: string;
  readonly method: string;
  /** The path with its parameters unfilled, e.g. `/instances/{instanceId}/orgs/{orgId}/invites`. */
  readonly template: string;
  /** Which try of the call this is, from 1. */
  readonly attempt: number;
}

export interface UpstreamSpan {
  /** The context to send upstream as `traceparent`: the upstream's span becomes this one's child. */
  readonly context: Context;
  /** Ends the span with the upstream's status (`undefined` when no answer came) and the gateway's error code, if the call failed. */
  end(status: number | undefined, errorCode: string | undefined): void;
}

/**
 * The client span of one HTTP request to the upstream, `GET /instances/{instanceId}/orgs/{orgId}/invites`;
 * every retry is a span of its own, a sibling under the operation's span. Ids, the query string
 * (sort and filter values) and headers are not recorded: `url.template` names the action, and
 * `url.full` is left out, because the ids and the filter in it are the caller's input.
 */
export function startUpstreamSpan(tracer: Tracer, parent: Context | undefined, server: UpstreamServer, call: UpstreamCall): UpstreamSpan {
  const span = tracer.startSpan(
    `${call.method} ${call.template}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: call.method,
        [ATTR_SERVER_ADDRESS]: server.address,
        [ATTR_SERVER_PORT]: server.port,
        [ATTR_URL_TEMPLATE]: call.template,
        [ATTR_GATEWAY_UPSTREAM_ACTION]: call.action,
        [ATTR_GATEWAY_UPSTREAM_ATTEMPT]: call.attempt,
        // Set only on a resend, as HTTP semantic conventions ask.
        ...(call.attempt > 1 ? { [ATTR_HTTP_REQUEST_RESEND_COUNT]: call.attempt - 1 } : {}),
      },
    },
    parent ?? ROOT_CONTEXT,
  );
  return {
    context: trace.setSpan(parent ?? ROOT_CONTEXT, span),
    end(status, errorCode) {
      if (status !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      // For a client, a 4xx is a failed call too; a 2xx whose body is off the contract fails with a code.
      const errorType = status !== undefined && status >= 400 ? String(status) : errorCode;
      if (errorType !== undefined) {
        span.setAttribute(ATTR_ERROR_TYPE, errorType);
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorCode });
      }
      span.end();
    },
  };
}
