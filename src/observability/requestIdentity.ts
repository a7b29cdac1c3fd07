import { randomUUID } from 'node:crypto';
import { type Context, trace } from '@opentelemetry/api';
import { extractTraceContext, type HeaderSource } from './tracing/traceContext';

const SANE_REQUEST_ID = /^[\w.:-]{1,128}$/;

export interface RequestIdentity {
  /** Id of this request in every log line, and sent upstream as `x-request-id`. */
  readonly requestId: string;
  /** The caller's W3C trace context (the root context when it sent none, or a malformed one). */
  readonly callerTrace: Context;
}

/**
 * Joins this request to the caller's: an incoming `x-request-id` is kept, else the trace id of a
 * valid incoming `traceparent`, else a new UUID. Malformed values are ignored, not trusted.
 */
export function requestIdentity(headers: HeaderSource): RequestIdentity {
  const callerTrace = extractTraceContext(headers);
  const xRequestId = headers.get('x-request-id');
  if (xRequestId !== undefined && SANE_REQUEST_ID.test(xRequestId)) return { requestId: xRequestId, callerTrace };
  return { requestId: trace.getSpanContext(callerTrace)?.traceId ?? randomUUID(), callerTrace };
}
