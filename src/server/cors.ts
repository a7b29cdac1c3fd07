import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import type { CorsOrigins } from '../config/settings';

/**
 * Request headers a page on an allowed origin may send: the content type, the ones the gateway
 * reads (`authorization`, `losantdomain`, `x-request-id`, `traceparent`), the ones Apollo's CSRF
 * prevention accepts in place of a JSON body (`apollo-require-preflight`, `x-apollo-operation-name`),
 * and the ones Apollo Client adds when given a client name and version.
 */
export const CORS_ALLOWED_HEADERS: readonly string[] = [
  'content-type',
  'authorization',
  'losantdomain',
  'x-request-id',
  'traceparent',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
];

/** Response headers scripts may read besides the safelisted ones: the id that finds a request's log lines. */
export const CORS_EXPOSED_HEADERS: readonly string[] = ['x-request-id'];

export const CORS_ALLOWED_METHODS: readonly string[] = ['GET', 'POST', 'OPTIONS'];

/** How long a browser may reuse a preflight's answer; short, so a changed `CORS_ORIGINS` takes effect soon. */
export const CORS_MAX_AGE_SECONDS = 600;

/** Applies the CORS policy to a `/graphql` request; answers `true` when it has answered the request itself (a preflight). */
export type CorsHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether a page from `origin` (the request's `Origin` header) may call the gateway. */
export function isAllowedOrigin(origin: string | undefined, policy: CorsOrigins): boolean {
  if (origin === undefined) return false;
  if (policy.origins.includes(origin)) return true;
  if (!policy.loopback) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  // The header must be an origin as browsers write it: no path, no credentials.
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin && LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * The CORS policy of `/graphql`, by the `cors` package. An allowed origin's preflight is answered
 * 204 with the allowed methods and headers, and its other requests carry
 * `access-control-allow-origin` with that exact origin. Any other preflight is answered 204
 * without a single CORS header, so the browser blocks the call before sending it; any other
 * request goes on unchanged (CSRF prevention still refuses what a page could send without a
 * preflight). Credentials are never allowed: tokens travel in the Authorization header, and no
 * cookie of the gateway's site should ride along on a call from another page.
 */
export function createCorsHandler(policy: CorsOrigins): CorsHandler {
  const anyAllowed = policy.loopback || policy.origins.length > 0;
  const middleware = cors({
    origin: (origin, callback) => callback(null, isAllowedOrigin(origin, policy)),
    methods: [...CORS_ALLOWED_METHODS],
    allowedHeaders: [...CORS_ALLOWED_HEADERS],
    exposedHeaders: [...CORS_EXPOSED_HEADERS],
    maxAge: CORS_MAX_AGE_SECONDS,
    credentials: false,
    optionsSuccessStatus: 204,
  });
  return (req, res) => {
    // With a synchronous origin check `cors` works synchronously: by the time it returns it has
    // either answered an allowed preflight or set the headers of an allowed request, or, for
    // any other origin, left the response alone.
    middleware(req, res, () => undefined);
    if (res.writableEnded) return true;
    // The answer depends on the Origin header whenever some origin is allowed: caches must know.
    if (anyAllowed) varyOnOrigin(res);
    if ((req.method ?? '').toUpperCase() !== 'OPTIONS') return false;
    res.writeHead(204, { 'content-length': '0' });
    res.end();
    return true;
  };
}

function varyOnOrigin(res: ServerResponse): void {
  const current = res.getHeader('vary');
  const listed = String(current ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase());
  if (listed.includes('origin') || listed.includes('*')) return;
  res.setHeader('vary', current === undefined || current === '' ? 'Origin' : `${String(current)}, Origin`);
}
