import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { baseUrl, listen } from '../../src/http/listen';

/**
 * A small OTLP/HTTP trace receiver, standing in for an OpenTelemetry Collector: it accepts
 * `POST /v1/traces` as `http/protobuf` or `http/json`, decodes every span and keeps them, with
 * which encoding brought them.
 */

/** A span as the receiver decoded it, ids in lower-case hex, attribute values as plain values. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Absent for a trace's root span. */
  readonly parentSpanId?: string;
  readonly name: string;
  /** OTLP's `SpanKind`: 1 internal, 2 server, 3 client. */
  readonly kind: number;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** OTLP's `StatusCode`: 0 unset, 1 ok, 2 error. */
  readonly status: { readonly code: number; readonly message?: string };
  readonly resource: Readonly<Record<string, AttributeValue>>;
  readonly scope: string;
  /** The content type of the export request that brought it. */
  readonly contentType: string;
}

export type AttributeValue = string | number | boolean | AttributeValue[];

export const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3 } as const;
export const STATUS_CODE = { UNSET: 0, OK: 1, ERROR: 2 } as const;

/**
 * The part of opentelemetry-proto (collector/trace/v1, trace/v1, common/v1, resource/v1) a trace
 * export uses, with the field numbers of the published definitions. Enums are read as integers,
 * which is how they travel.
 */
const OTLP_TRACE_PROTO = `
syntax = "proto3";
package otlp;
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Span {
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4; fixed32 flags = 16;
  string name = 5; int32 kind = 6; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9; uint32 dropped_attributes_count = 10; uint32 dropped_events_count = 12;
  uint32 dropped_links_count = 14; Status status = 15;
}
message Status { string message = 2; int32 code = 3; }
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue {
  oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7; }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
`;

const ExportTraceServiceRequest = protobuf.parse(OTLP_TRACE_PROTO, { keepCase: false }).root.lookupType('otlp.ExportTraceServiceRequest');

/** One export request, in the shape both encodings share once decoded (protobuf ids as base64, JSON ids as hex). */
interface ExportRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: Array<{
      scope?: { name?: string };
      spans?: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind?: number;
        attributes?: KeyValue[];
        status?: { code?: number; message?: string };
      }>;
    }>;
  }>;
}

interface KeyValue {
  key: string;
  value?: AnyValue;
}

interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
}

function plainValue(value: AnyValue | undefined): AttributeValue {
  if (value === undefined) return '';
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(plainValue);
  throw new Error(`an attribute value the receiver does not read: ${JSON.stringify(value)}`);
}

function plainAttributes(attributes: KeyValue[] | undefined): Record<string, AttributeValue> {
  return Object.fromEntries((attributes ?? []).map(({ key, value }) => [key, plainValue(value)]));
}

function decode(body: Buffer, contentType: string): ReceivedSpan[] {
  let request: ExportRequest;
  let id: (raw: string) => string;
  if (contentType.startsWith('application/x-protobuf')) {
    const message = ExportTraceServiceRequest.decode(body);
    request = ExportTraceServiceRequest.toObject(message, { longs: Number, bytes: String, arrays: true });
    id = (raw) => Buffer.from(raw, 'base64').toString('hex');
  } else if (contentType.startsWith('application/json')) {
    request = JSON.parse(body.toString('utf8')) as ExportRequest;
    id = (raw) => raw.toLowerCase();
  } else {
    throw new Error(`unexpected content type ${contentType}`);
  }
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = plainAttributes(resourceSpans.resource?.attributes);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        const parent = span.parentSpanId ? id(span.parentSpanId) : '';
        spans.push({
          traceId: id(span.traceId),
          spanId: id(span.spanId),
          ...(parent !== '' ? { parentSpanId: parent } : {}),
          name: span.name,
          kind: span.kind ?? 0,
          attributes: plainAttributes(span.attributes),
          status: { code: span.status?.code ?? 0, ...(span.status?.message ? { message: span.status.message } : {}) },
          resource,
          scope: scopeSpans.scope?.name ?? '',
          contentType,
        });
      }
    }
  }
  return spans;
}

export interface OtlpReceiver {
  /** Base URL, for `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly url: string;
  /** Every span received so far, in arrival order. */
  readonly spans: ReceivedSpan[];
  /** Requests that did not decode, with why. */
  readonly problems: string[];
  /** Waits until `predicate` holds for the spans received (polling), or fails after `timeoutMs`. */
  waitFor(predicate: (spans: readonly ReceivedSpan[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const problems: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const contentType = req.headers['content-type'] ?? '';
      try {
        if (req.method !== 'POST' || req.url !== '/v1/traces') throw new Error(`unexpected ${req.method} ${req.url}`);
        let body = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        spans.push(...decode(body, contentType));
        // An empty ExportTraceServiceResponse: full success, in either encoding.
        res.writeHead(200, { 'content-type': contentType.startsWith('application/json') ? 'application/json' : 'application/x-protobuf' });
        res.end(contentType.startsWith('application/json') ? '{}' : undefined);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
        res.writeHead(400);
        res.end();
      }
    });
  });
  const address = await listen(server, 0, '127.0.0.1');
  return {
    url: baseUrl(address),
    spans,
    problems,
    async waitFor(predicate, what, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(spans)) {
        if (Date.now() > deadline) {
          throw new Error(
            `the receiver did not get ${what} within ${timeoutMs} ms; it has ${spans.length} spans: ${spans.map((s) => s.name).join(', ')}${problems.length ? `; problems: ${problems.join('; ')}` : ''}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
