import { randomBytes, randomUUID } from 'node:crypto';

/** W3C trace context: version-traceid-parentid-flags. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const SANE_REQUEST_ID = /^[\w.:-]{1,128}$/;

export interface RequestIdentity {
  /** Id of this request in every log line, and sent upstream as `x-request-id`. */
  readonly requestId: string;
  /** The `traceparent` to send upstream: the caller's trace, with this hop as the parent span. */
  readonly traceparent?: string;
}

/**
 * Joins this request to the caller's trace: an incoming `x-request-id` is kept, else the trace id
 * of a valid incoming `traceparent`, else a new UUID. Malformed values are ignored, not trusted.
 */
export function requestIdentity(xRequestId: string | undefined, traceparent: string | undefined): RequestIdentity {
  const trace = traceparent ? TRACEPARENT.exec(traceparent.trim().toLowerCase()) : null;
  const validTrace = trace !== null && trace[2] !== '0'.repeat(32) && trace[3] !== '0'.repeat(16);
  const requestId = xRequestId && SANE_REQUEST_ID.test(xRequestId) ? xRequestId : validTrace ? trace[2] : randomUUID();
  if (!validTrace) return { requestId };
  return { requestId, traceparent: `00-${trace[2]}-${randomBytes(8).toString('hex')}-${trace[4]}` };
}
