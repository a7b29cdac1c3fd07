import { stripSensitiveLiterals } from '@apollo/utils.stripsensitiveliterals';
import { type Context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { type DocumentNode, print, stripIgnoredCharacters } from 'graphql';
import {
  ATTR_ERROR_TYPE,
  ATTR_GATEWAY_ERROR_CODES,
  ATTR_GATEWAY_OUTCOME,
  ATTR_GATEWAY_UPSTREAM_CALLS,
  ATTR_GRAPHQL_DOCUMENT,
  ATTR_GRAPHQL_OPERATION_NAME,
  ATTR_GRAPHQL_OPERATION_TYPE,
} from './attributes';

/** What the operation turned out to be and how it ended, as its log line says it. */
export interface OperationOutcome {
  /** `query`, `mutation` or `subscription`; undefined when the document did not parse or name an operation. */
  readonly type: string | undefined;
  readonly name: string | null;
  readonly document: DocumentNode | undefined;
  /** `extensions.code` of every error, in order; empty when it succeeded. */
  readonly codes: readonly string[];
  readonly upstreamCalls: number;
}

export interface OperationSpan {
  /** The context the operation's upstream calls are made in: their spans are this one's children. */
  readonly context: Context;
  end(outcome: OperationOutcome): void;
}

/** The span name GraphQL semantic conventions give an operation whose type is not known yet (or never). */
const UNKNOWN_OPERATION = 'GraphQL Operation';

/**
 * One span per GraphQL operation, a child of the request's server span (a batch has one per
 * operation), following the GraphQL semantic conventions: named `query ListInvites`, with the
 * operation's name, type and document. The document's literal values are blanked, so an email
 * or id written inline in it is not recorded; variables never are.
 */
export function startOperationSpan(tracer: Tracer, requestTrace: Context): OperationSpan {
  const span = tracer.startSpan(UNKNOWN_OPERATION, { kind: SpanKind.INTERNAL }, requestTrace);
  return {
    context: trace.setSpan(requestTrace, span),
    end({ type, name, document, codes, upstreamCalls }) {
      // Dropped by the sampler: every call below would be a no-op.
      if (!span.isRecording()) return;
      if (type !== undefined) {
        span.updateName(name ? `${type} ${name}` : type);
        span.setAttribute(ATTR_GRAPHQL_OPERATION_TYPE, type);
      }
      if (name) span.setAttribute(ATTR_GRAPHQL_OPERATION_NAME, name);
      if (document !== undefined) span.setAttribute(ATTR_GRAPHQL_DOCUMENT, sanitizedDocument(document));
      span.setAttribute(ATTR_GATEWAY_OUTCOME, codes[0] ?? 'ok');
      span.setAttribute(ATTR_GATEWAY_UPSTREAM_CALLS, upstreamCalls);
      if (codes.length > 0) {
        span.setAttribute(ATTR_GATEWAY_ERROR_CODES, [...codes]);
        span.setAttribute(ATTR_ERROR_TYPE, codes[0]);
        span.setStatus({ code: SpanStatusCode.ERROR, message: codes[0] });
      }
      span.end();
    },
  };
}

/**
 * Apollo's document cache hands out the same `DocumentNode` for the same text, so each distinct
 * document is sanitized once; entries go with the documents.
 */
const sanitized = new WeakMap<DocumentNode, string>();

function sanitizedDocument(document: DocumentNode): string {
  let text = sanitized.get(document);
  if (text === undefined) {
    // Strings become "", numbers 0, lists [] and input objects {}: enum values and names stay.
    text = stripIgnoredCharacters(print(stripSensitiveLiterals(document, { hideListAndObjectLiterals: true })));
    sanitized.set(document, text);
  }
  return text;
}
