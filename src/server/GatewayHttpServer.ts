import http, { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap, HTTPGraphQLRequest, HTTPGraphQLResponse } from '@apollo/server';
import type { Logger } from 'pino';
import type { SocketLimits } from '../config/settings';
import { ErrorCode, WELL_FORMED_REQUEST_ERROR_CODES } from '../errors/errorCode';
import type { GatewayContext } from '../context/gatewayContext';
import type { RefusalReason } from '../observability/metrics';
import type { CorsHandler } from './cors';
import type { ReadinessReport } from './readiness';
import type { RouterRole } from './routerAccess';
import { baseUrl, listen } from '../http/listen';
import { OpenSockets, stopListening } from '../http/openSockets';
import { BodyTooLargeError, readBodyText } from '../http/requestBody';
import { RequestTarget, requestTarget } from '../http/requestTarget';
import { sendJson } from '../http/sendJson';
import { sendMetrics } from '../http/sendMetrics';
import { boundedResponse } from '../limits/responseBytes';
import { createSocketLimitedServer } from './socketLimits';
import type { Admission, TrustedDocuments } from './TrustedDocuments';

export interface HttpServerOptions {
  /** Serves clients: the API schema. */
  readonly apollo: ApolloServer<GatewayContext>;
  /** Serves the federation router the subgraph schema; absent when no caller can be the router. */
  readonly router?: RouterEndpoint;
  readonly logger: Logger;
  /** Builds the per-request context from the incoming headers; tracing also watches the request's response. */
  readonly createContext: (headers: HeaderMap, req: IncomingMessage, res: ServerResponse) => GatewayContext;
  /** Largest request body accepted, in bytes. */
  readonly maxBodyBytes: number;
  /** Most operations in one batched request; 0 refuses batches. */
  readonly maxBatchSize: number;
  /** Largest answer sent, in bytes as serialised; a larger one is replaced by RESPONSE_TOO_LARGE. */
  readonly maxResponseBytes: number;
  /** Timeouts and the connection cap that keep slow clients from holding sockets. */
  readonly socketLimits: SocketLimits;
  /** Told of each connection closed at once because `MAX_CONNECTIONS` were open (for a metric). */
  readonly onConnectionRefused?: () => void;
  /** Told of each request to `/graphql` answered before GraphQL ran (for a metric; the log line is written here). */
  readonly onRequestRefused?: (reason: RefusalReason) => void;
  /** The CORS policy of `/graphql`; answers whether it answered the request itself (a preflight). */
  readonly cors?: CorsHandler;
  /** Serves the browser playground when it is on; answers whether it took the request. */
  readonly playground?: (req: IncomingMessage, url: RequestTarget, res: ServerResponse) => boolean;
  /** The Prometheus exposition text, when metrics are on. */
  readonly metrics?: () => Promise<string>;
  /** The readiness report behind `/readyz`. */
  readonly readiness: () => Promise<ReadinessReport>;
  /** Resolves trusted-document ids and, under `only`, refuses other documents; absent when `TRUSTED_DOCUMENTS=off`. */
  readonly trustedDocuments?: TrustedDocuments;
}

/** How long the SHUTTING_DOWN answers may take to be written before their connections are cut anyway. */
const SHUTTING_DOWN_WRITE_MS = 200;

export interface RouterEndpoint {
  readonly apollo: ApolloServer<GatewayContext>;
  readonly roleOf: (request: HTTPGraphQLRequest) => RouterRole;
}

/**
 * A plain Node HTTP server in front of Apollo: `/graphql` for GraphQL over HTTP, `/healthz` and
 * `/readyz` for probes, `/metrics` for Prometheus, and the playground when it is on. Kept free of
 * a web framework so the hot path is only what this service needs.
 */
export class GatewayHttpServer {
  readonly server: http.Server;
  private readonly sockets: OpenSockets;
  /** Responses not yet complete (their number is the requests in flight), to answer at the shutdown deadline rather than cut. */
  private readonly open = new Set<ServerResponse>();
  private drainingSince: number | undefined;
  private idle: (() => void) | undefined;

  constructor(private readonly options: HttpServerOptions) {
    this.server = createSocketLimitedServer(
      options.socketLimits,
      options.logger,
      (req, res) => {
        this.open.add(res);
        res.on('close', () => {
          this.open.delete(res);
          if (this.open.size === 0) this.idle?.();
        });
        // While draining, ask keep-alive clients to reconnect (to another replica).
        if (this.draining) res.setHeader('connection', 'close');
        this.handle(req, res).catch((error: unknown) => {
          options.logger.error({ err: { message: (error as Error)?.message } }, 'request handling failed');
          if (!res.headersSent)
            sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] });
          else res.destroy();
        });
      },
      options.onConnectionRefused,
    );
    this.sockets = new OpenSockets(this.server);
  }

  /** HTTP requests being answered now. */
  get requestsInFlight(): number {
    return this.open.size;
  }

  /** True once draining has begun: readiness fails and connections are not kept alive. */
  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  /**
   * The first step of a graceful stop: `/readyz` answers 503 and responses ask keep-alive clients
   * to reconnect, while new connections are still accepted and served, until load balancers have
   * noticed and `close` is called.
   */
  startDraining(): void {
    this.drainingSince ??= Date.now();
  }

  async listen(port: number, host: string): Promise<string> {
    return baseUrl(await listen(this.server, port, host), 'localhost');
  }

  /**
   * Graceful stop: no new connections, idle keep-alive sockets closed, in-flight requests given
   * up to `timeoutMs` to finish; whatever is still open then is cut.
   */
  async close(timeoutMs = 0): Promise<void> {
    this.startDraining();
    const closed = stopListening(this.server);
    this.server.closeIdleConnections();
    if (this.open.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.idle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (this.open.size > 0) {
        this.options.logger.warn({ inFlight: this.open.size }, 'shutdown deadline reached; answering open requests SHUTTING_DOWN');
        await this.answerShuttingDown();
      }
    }
    this.sockets.destroyAll();
    await closed;
  }

  /**
   * Answers every request still running that has not begun its response with a typed 503, so the
   * client (or the balancer in front) sees why and where to go, instead of a reset connection;
   * waits for those answers to be written. One already streaming can only be cut.
   */
  private async answerShuttingDown(): Promise<void> {
    const written: Array<Promise<void>> = [];
    for (const res of this.open) {
      if (res.headersSent) continue;
      written.push(new Promise<void>((resolve) => res.once('close', () => resolve())));
      res.setHeader('connection', 'close');
      sendGraphQLError(
        res,
        503,
        ErrorCode.SHUTTING_DOWN,
        'The gateway is shutting down and could not finish this request; send it again (a mutation may have been applied: read first)',
      );
    }
    // Small answers the kernel takes at once; a client that does not read gets no longer than this.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(written), new Promise((resolve) => (timer = setTimeout(resolve, SHUTTING_DOWN_WRITE_MS)))]);
    clearTimeout(timer);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestTarget(req.url);
    switch (url.pathname) {
      case '/healthz':
        return sendJson(res, 200, { status: 'ok' });
      case '/readyz': {
        const report = await this.options.readiness();
        return sendJson(res, report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'not ready', checks: report.checks });
      }
      case '/metrics':
        if (!this.options.metrics) break;
        return sendMetrics(res, this.options.metrics);
    }
    if (url.pathname === '/graphql' && this.options.cors?.(req, res)) return;
    if (this.options.playground?.(req, url, res)) return;
    if (url.pathname !== '/graphql') return sendJson(res, 404, { error: `Nothing at ${url.pathname}; GraphQL is served at /graphql` });

    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    // The context is built here rather than lazily so the response can carry the request id.
    const context = this.options.createContext(headers, req, res);
    res.setHeader('x-request-id', context.requestId);

    let body: unknown;
    const { maxBodyBytes, maxBatchSize } = this.options;
    try {
      body = await readJsonBody(req, headers, maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        this.refused(context, 'body_too_large', 413);
        // Close the connection rather than read the rest of an oversized body.
        res.setHeader('connection', 'close');
        sendGraphQLError(res, 413, ErrorCode.REQUEST_TOO_LARGE, `Request body exceeds ${maxBodyBytes} bytes`);
        res.on('finish', () => req.destroy());
        return;
      }
      this.refused(context, 'invalid_json', 400);
      return sendGraphQLError(res, 400, ErrorCode.BAD_REQUEST, 'Request body is not valid JSON');
    }
    if (Array.isArray(body) && maxBatchSize > 0 && body.length > maxBatchSize) {
      this.refused(context, 'batch_too_large', 413);
      return sendGraphQLError(
        res,
        413,
        ErrorCode.REQUEST_TOO_LARGE,
        `A batch may hold at most ${maxBatchSize} operations, got ${body.length}`,
      );
    }

    const httpGraphQLRequest: HTTPGraphQLRequest = { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body };
    const { router } = this.options;
    const role = router?.roleOf(httpGraphQLRequest) ?? 'client';
    // Before Apollo parses anything: under TRUSTED_DOCUMENTS=only, a refused document never is.
    // The router's query planner writes its own documents, which no manifest could list.
    const { trustedDocuments } = this.options;
    const admission: Admission =
      trustedDocuments && role !== 'verified'
        ? trustedDocuments.admit(httpGraphQLRequest)
        : { kind: 'admitted', request: httpGraphQLRequest };
    if (admission.kind === 'refused') {
      this.refused(context, 'document_not_trusted', admission.response.status ?? 200);
      return writeResponse(res, admission.response);
    }
    const apollo = router && role !== 'client' ? router.apollo : this.options.apollo;
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: admission.request,
      context: async () => context,
    });
    const { response: sent, unsent } = boundedResponse(response, this.options.maxResponseBytes, context.responseBudget);
    if (unsent) this.options.logger.warn({ requestId: context.requestId, limit: unsent }, 'answer not sent: over a limit once serialised');
    // Apollo's own refusals (CSRF prevention, a request without a query) run no plugin: no operation line says them.
    const errors = errorsOf(response);
    if (errors?.codes.every((code) => code === ErrorCode.BAD_REQUEST)) this.refused(context, 'bad_request', 400);
    await writeResponse(res, sent, sent === response ? errors : errorsOf(sent));
  }

  private refused(context: GatewayContext, reason: RefusalReason, status: number): void {
    this.options.logger.info({ requestId: context.requestId, reason, status }, 'request refused before GraphQL ran');
    this.options.onRequestRefused?.(reason);
  }
}

async function readJsonBody(req: IncomingMessage, headers: HeaderMap, maxBodyBytes: number): Promise<unknown> {
  // A declared length over the limit is refused before a byte of the body is read.
  if (Number(headers.get('content-length') ?? 0) > maxBodyBytes) throw new BodyTooLargeError(maxBodyBytes);
  const text = await readBodyText(req, maxBodyBytes);
  if (text.length === 0) return undefined;
  const type = headers.get('content-type') ?? '';
  // Apollo decides what to do with non-JSON bodies (and its CSRF check looks at the content type).
  if (!type.includes('json')) return text;
  return JSON.parse(text);
}

/** The errors of a complete 400 answer, read once for both the refusal metric and the status sent. */
interface ErrorAnswer {
  /** Whether the body has a `data` key (then execution began: not a well-formed request's refusal). */
  readonly hasData: boolean;
  /** `extensions.code` of each error, as found; at least one. */
  readonly codes: readonly unknown[];
}

/** The errors of a complete 400 answer whose JSON body lists some; undefined for any other answer. */
function errorsOf(response: HTTPGraphQLResponse): ErrorAnswer | undefined {
  if (response.status !== 400 || response.body.kind !== 'complete') return undefined;
  try {
    const parsed = JSON.parse(response.body.string) as { errors?: Array<{ extensions?: { code?: unknown } }> } | null;
    if (!Array.isArray(parsed?.errors) || parsed.errors.length === 0) return undefined;
    return { hasData: 'data' in parsed, codes: parsed.errors.map((error) => error.extensions?.code) };
  } catch {
    return undefined;
  }
}

async function writeResponse(res: ServerResponse, response: HTTPGraphQLResponse, errors = errorsOf(response)): Promise<void> {
  // Answered already: SHUTTING_DOWN at the shutdown deadline, while this operation still ran.
  if (res.headersSent) return;
  let status = response.status ?? 200;
  if (response.body.kind === 'complete') {
    const contentType = response.headers.get('content-type') ?? '';
    if (
      contentType.startsWith('application/json') &&
      errors &&
      !errors.hasData &&
      errors.codes.every((code) => WELL_FORMED_REQUEST_ERROR_CODES.has(String(code)))
    ) {
      // GraphQL-over-HTTP: with the legacy `application/json` type, a well-formed request whose
      // document fails to parse or validate is answered 200, errors in the body.
      status = 200;
    }
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = status;
    res.end(response.body.string);
    return;
  }
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = status;
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

function sendGraphQLError(res: ServerResponse, status: number, code: ErrorCode, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}
