import { HeaderMap, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import type { TrustedDocumentsMode } from '../config/settings';
import { ErrorCode } from '../errors/errorCode';
import type { TrustedDocumentManifest } from './trustedDocumentManifest';

/** What one GraphQL request (a body, a batch element, a GET's query string) brings. */
interface RequestFields {
  /** `query` as sent: any JSON value, or every `query` parameter of a GET. */
  readonly query: unknown;
  readonly documentId: unknown;
  readonly extensions: unknown;
}

type Refused = { readonly kind: 'refused'; readonly code: ErrorCode; readonly message: string };

type Resolution =
  /** Left as sent, for Apollo to run or refuse. */
  | { readonly kind: 'unchanged' }
  /** Runs the manifest's document: `query` set, `documentId` and the persisted-query extension dropped. */
  | { readonly kind: 'resolved'; readonly query: string }
  | Refused;

export type Admission =
  | { readonly kind: 'admitted'; readonly request: HTTPGraphQLRequest }
  /** The answer to send instead; Apollo never saw the request. */
  | { readonly kind: 'refused'; readonly response: HTTPGraphQLResponse };

const UNCHANGED: Resolution = { kind: 'unchanged' };
const NOT_TRUSTED: Resolution = {
  kind: 'refused',
  code: ErrorCode.DOCUMENT_NOT_TRUSTED,
  message:
    'This server runs only the documents of its trusted-documents manifest; send one of them, or its id as `documentId` or as the persisted-query hash',
};
const UNKNOWN_ID: Resolution = {
  kind: 'refused',
  code: ErrorCode.PERSISTED_QUERY_NOT_FOUND,
  message: 'No trusted document has this documentId; send the full document',
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isPresent = (value: unknown): boolean => value !== undefined && value !== null;

/**
 * Trusted documents (persisted documents) in front of Apollo, at the HTTP layer, so that under
 * `only` nothing outside the manifest is ever parsed. A request names a manifest document by
 * `documentId` (GraphQL over HTTP's persisted documents: `sha256:<hex>` or the bare hex) or by the
 * automatic-persisted-query hash Apollo Client's persisted-query link sends first
 * (`extensions.persistedQuery.sha256Hash`); it is rewritten to carry the document's text, and Apollo
 * runs it as any document (document cache, limits, plugins). Under
 * - `allow`, everything else goes on to Apollo as before (APQ included), except a `documentId` the
 *   manifest lacks, which only the manifest could answer: `PERSISTED_QUERY_NOT_FOUND`;
 * - `only`, a request runs only when it names a manifest document or sends one's text byte for byte
 *   (hashing tells, without parsing); anything else, a batch with one such element included, is
 *   refused with `DOCUMENT_NOT_TRUSTED`, and Apollo's APQ never sees a hash, so a document
 *   registered through a replica in another mode (shared Redis) cannot run here either.
 */
export class TrustedDocuments {
  /**
   * `onRefused` is told each refusal: Apollo never sees the request, so its operation metrics and
   * log line would not count it.
   */
  constructor(
    readonly mode: Exclude<TrustedDocumentsMode, 'off'>,
    private readonly manifest: TrustedDocumentManifest,
    private readonly onRefused: (code: ErrorCode) => void = () => {},
  ) {}

  /** The request to hand to Apollo, or the refusal to send instead. */
  admit(request: HTTPGraphQLRequest): Admission {
    // Apollo reads a GET's document from the query string and a POST's from the body alone.
    if (request.method === 'GET') return this.admitQueryString(request);
    if (request.method === 'POST') return this.admitBody(request);
    return { kind: 'admitted', request };
  }

  private admitBody(request: HTTPGraphQLRequest): Admission {
    const { body } = request;
    // Anything but an object (or a batch of them) is refused by Apollo before it reads a document.
    if (Array.isArray(body)) {
      const rewritten: unknown[] = [];
      // Array.isArray types the elements `any`; they are whatever the client sent.
      for (const element of body as unknown[]) {
        const outcome = isRecord(element) ? this.rewriteBody(element) : { body: element };
        if ('kind' in outcome) return this.refuse(request, outcome);
        rewritten.push(outcome.body);
      }
      return { kind: 'admitted', request: { ...request, body: rewritten } };
    }
    if (!isRecord(body)) return { kind: 'admitted', request };
    const outcome = this.rewriteBody(body);
    return 'kind' in outcome ? this.refuse(request, outcome) : { kind: 'admitted', request: { ...request, body: outcome.body } };
  }

  private rewriteBody(body: Record<string, unknown>): { readonly body: unknown } | Refused {
    const resolution = this.resolve({ query: body.query, documentId: body.documentId, extensions: body.extensions });
    if (resolution.kind === 'unchanged') return { body };
    if (resolution.kind === 'refused') return resolution;
    const { documentId: _documentId, extensions: _extensions, ...rest } = body;
    const extensions = withoutPersistedQuery(body.extensions);
    // No `extensions` key at all rather than an undefined one: Apollo refuses a present non-object.
    return { body: { ...rest, query: resolution.query, ...(extensions ? { extensions } : {}) } };
  }

  private admitQueryString(request: HTTPGraphQLRequest): Admission {
    const params = new URLSearchParams(request.search);
    const queries = params.getAll('query');
    const extensionsParam = params.get('extensions');
    let extensions: unknown;
    try {
      extensions = extensionsParam === null ? undefined : JSON.parse(extensionsParam);
    } catch {
      extensions = extensionsParam; // Apollo refuses it; no persisted query to look up
    }
    const resolution = this.resolve({
      query: queries.length === 0 ? undefined : queries.length === 1 ? queries[0] : queries,
      documentId: params.get('documentId'),
      extensions,
    });
    if (resolution.kind === 'unchanged') return { kind: 'admitted', request };
    if (resolution.kind === 'refused') return this.refuse(request, resolution);
    params.set('query', resolution.query);
    params.delete('documentId');
    const remaining = withoutPersistedQuery(extensions);
    if (remaining === undefined) params.delete('extensions');
    else params.set('extensions', JSON.stringify(remaining));
    return { kind: 'admitted', request: { ...request, search: `?${params.toString()}` } };
  }

  private resolve({ query, documentId, extensions }: RequestFields): Resolution {
    const persistedQuery = isRecord(extensions) ? extensions.persistedQuery : undefined;
    if (isPresent(query)) {
      // A full document: `allow` leaves it (and its APQ registration) to Apollo as before.
      if (this.mode === 'allow') return UNCHANGED;
      return typeof query === 'string' && this.manifest.includes(query) ? { kind: 'resolved', query } : NOT_TRUSTED;
    }
    if (isPresent(documentId)) {
      const text = typeof documentId === 'string' ? this.manifest.documentFor(documentId) : undefined;
      if (text !== undefined) return { kind: 'resolved', query: text };
      return this.mode === 'only' ? NOT_TRUSTED : UNKNOWN_ID;
    }
    if (isPresent(persistedQuery)) {
      const hash = isRecord(persistedQuery) ? persistedQuery.sha256Hash : undefined;
      const text = typeof hash === 'string' ? this.manifest.documentFor(hash) : undefined;
      if (text !== undefined) return { kind: 'resolved', query: text };
      // `allow`: a hash the manifest lacks is an ordinary APQ, which Apollo may know.
      return this.mode === 'only' ? NOT_TRUSTED : UNCHANGED;
    }
    // No document at all: Apollo answers BAD_REQUEST without parsing anything.
    return UNCHANGED;
  }

  /**
   * Shaped as Apollo shapes a document it cannot run: HTTP 400, in the media type the client
   * prefers. The HTTP layer turns it into 200 under plain `application/json`, as it does for every
   * refused document (GraphQL over HTTP; `WELL_FORMED_REQUEST_ERROR_CODES`).
   */
  private refuse(request: HTTPGraphQLRequest, { code, message }: Refused): Admission {
    this.onRefused(code);
    const graphQLResponseJson = prefersGraphQLResponseJson(request.headers.get('accept'));
    const headers = new HeaderMap([
      ['content-type', graphQLResponseJson ? 'application/graphql-response+json; charset=utf-8' : 'application/json; charset=utf-8'],
    ]);
    return {
      kind: 'refused',
      response: {
        status: 400,
        headers,
        body: { kind: 'complete', string: JSON.stringify({ errors: [{ message, extensions: { code } }] }) },
      },
    };
  }
}

/** The extensions without `persistedQuery`, or undefined when nothing else is left. */
function withoutPersistedQuery(extensions: unknown): Record<string, unknown> | undefined {
  if (!isRecord(extensions)) return undefined;
  const { persistedQuery: _dropped, ...rest } = extensions;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/**
 * Whether the Accept header names `application/graphql-response+json` before `application/json` (quality values aside, as clients send
 * them).
 */
function prefersGraphQLResponseJson(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const graphQLResponse = accept.indexOf('application/graphql-response+json');
  const json = accept.search(/application\/json(?![\w+-])/);
  return graphQLResponse !== -1 && (json === -1 || graphQLResponse < json);
}
