import http, { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { ApolloServer, HeaderMap, HTTPGraphQLResponse } from '@apollo/server';
import type { Logger } from 'pino';
import type { GatewayContext } from './context';


/** Request errors that GraphQL-over-HTTP answers with 200 under `application/json` (but 4xx under `application/graphql-response+json`). */
const WELL_FORMED_REQUEST_ERRORS = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'OPERATION_RESOLUTION_FAILURE', 'OPERATION_LIMIT_EXCEEDED']);

export interface HttpServerOptions {
  readonly apollo: ApolloServer<GatewayContext>;
  readonly logger: Logger;
  /** Builds the per-request context from the incoming headers. */
  readonly createContext: (headers: HeaderMap, requestId: string) => GatewayContext;
  /** Largest request body accepted, in bytes. */
  readonly maxBodyBytes: number;
  /** Most operations in one batched request; 0 refuses batches. */
  readonly maxBatchSize: number;
  /** Serves the browser playground when it is on; answers whether it took the request. */
  readonly playground?: (req: IncomingMessage, url: URL, res: ServerResponse) => boolean;
}

class BodyTooLargeError extends Error {}

/**
 * A plain Node HTTP server in front of Apollo: `/graphql` for GraphQL over HTTP, `/healthz` for
 * liveness, and the playground's page and files when it is on. Kept free of a web framework so
 * the hot path is only what this service needs.
 */
export class GatewayHttpServer {
  readonly server: http.Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly options: HttpServerOptions) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        options.logger.error({ err: { message: (error as Error)?.message } }, 'request handling failed');
        if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
        else res.destroy();
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(port: number, host: string): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const { address, port: bound } = this.server.address() as AddressInfo;
    const shown = address === '0.0.0.0' || address === '::' ? 'localhost' : address.includes(':') ? `[${address}]` : address;
    return `http://${shown}:${bound}`;
  }

  /** Stops accepting connections, lets idle keep-alive sockets go, and waits for the server to close. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (this.options.playground?.(req, url, res)) return;
    if (url.pathname !== '/graphql') return sendJson(res, 404, { error: `Nothing at ${url.pathname}; GraphQL is served at /graphql` });

    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const requestId = requestIdOf(headers.get('x-request-id'));
    res.setHeader('x-request-id', requestId);

    let body: unknown;
    const { maxBodyBytes, maxBatchSize } = this.options;
    try {
      body = await readJsonBody(req, headers, maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        // Close the connection rather than read the rest of an oversized body.
        res.setHeader('connection', 'close');
        sendGraphQLError(res, 413, 'REQUEST_TOO_LARGE', `Request body exceeds ${maxBodyBytes} bytes`);
        res.on('finish', () => req.destroy());
        return;
      }
      return sendGraphQLError(res, 400, 'BAD_REQUEST', 'Request body is not valid JSON');
    }
    if (Array.isArray(body) && maxBatchSize > 0 && body.length > maxBatchSize) {
      return sendGraphQLError(res, 413, 'REQUEST_TOO_LARGE', `A batch may hold at most ${maxBatchSize} operations, got ${body.length}`);
    }

    const response = await this.options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
      context: async () => this.options.createContext(headers, requestId),
    });
    await writeResponse(res, response);
  }
}

/** Honours a caller's `x-request-id` when it is a sane token, so logs can be joined across services. */
function requestIdOf(incoming: string | undefined): string {
  return incoming && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : randomUUID();
}

async function readJsonBody(req: IncomingMessage, headers: HeaderMap, maxBodyBytes: number): Promise<unknown> {
  // A declared length over the limit is refused before a byte of the body is read.
  if (Number(headers.get('content-length') ?? 0) > maxBodyBytes) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  const type = headers.get('content-type') ?? '';
  // Apollo decides what to do with non-JSON bodies (and its CSRF check looks at the content type).
  if (!type.includes('json')) return text;
  return JSON.parse(text);
}

async function writeResponse(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  let status = response.status ?? 200;
  if (response.body.kind === 'complete') {
    const contentType = response.headers.get('content-type') ?? '';
    if (status === 400 && contentType.startsWith('application/json') && isWellFormedRequestError(response.body.string)) {
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

function isWellFormedRequestError(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { data?: unknown; errors?: Array<{ extensions?: { code?: unknown } }> };
    return (
      !('data' in parsed) &&
      Array.isArray(parsed.errors) &&
      parsed.errors.length > 0 &&
      parsed.errors.every((error) => WELL_FORMED_REQUEST_ERRORS.has(String(error.extensions?.code)))
    );
  } catch {
    return false;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

function sendGraphQLError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}
