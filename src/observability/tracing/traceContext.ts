import { type Context, ROOT_CONTEXT, type TextMapGetter, type TextMapSetter, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/**
 * W3C trace context (`traceparent`, `tracestate`) in and out, through the OpenTelemetry
 * propagator whether or not tracing is on. With tracing off no span of the gateway's own exists,
 * so the caller's context goes upstream unchanged, exactly as the OpenTelemetry API does without
 * an SDK: the upstream's spans become children of the caller's, and the trace has no hole.
 * `OTEL_PROPAGATORS` is not read: the gateway speaks W3C trace context only.
 */
const propagator = new W3CTraceContextPropagator();

/** What the propagator reads: Apollo's `HeaderMap` and any other map of lower-case header names. */
export interface HeaderSource {
  get(name: string): string | undefined;
}

const headerGetter: TextMapGetter<HeaderSource> = {
  get: (headers, key) => headers.get(key),
  keys: () => propagator.fields(),
};

const headerSetter: TextMapSetter<Record<string, string>> = {
  set: (headers, key, value) => {
    headers[key] = value;
  },
};

/** The caller's trace context, or the root context when it sent none or a malformed one (which is ignored, not trusted). */
export function extractTraceContext(headers: HeaderSource): Context {
  return propagator.extract(ROOT_CONTEXT, headers, headerGetter);
}

/** Adds `traceparent` (and `tracestate`) for `context`'s span to outgoing headers; nothing when it has none. */
export function injectTraceContext(context: Context, headers: Record<string, string>): void {
  propagator.inject(context, headers, headerSetter);
}

/** Ids of `context`'s span for log lines, named as OpenTelemetry's log data model names them. */
export function traceLogFields(context: Context): { trace_id: string; span_id: string } | undefined {
  const span = trace.getSpanContext(context);
  return span && trace.isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : undefined;
}
