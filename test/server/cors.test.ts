import { loadConfig } from '../../src/config/config';
import { CORS_ALLOWED_HEADERS, isAllowedOrigin } from '../../src/server/cors';
import { DEMO_ORG } from '../support/operations';
import { DEMO_TOKENS, startStack, TestStack } from '../support/stack';

/*
 * CORS over real HTTP, the way a browser asks: a preflight (`OPTIONS` with `Origin` and
 * `Access-Control-Request-*`), then the request itself with `Origin`. What the browser then allows
 * is in cors.browser.test.ts.
 */

const APP = 'https://app.example.com';
const OTHER = 'https://evil.example.net';
const QUERY = JSON.stringify({ query: `{ orgInvites(instanceId: "${DEMO_ORG.instanceId}", orgId: "${DEMO_ORG.orgId}") { count } }` });

function preflight(graphqlUrl: string, origin: string | undefined, requestHeaders = 'content-type,authorization'): Promise<Response> {
  return fetch(graphqlUrl, {
    method: 'OPTIONS',
    headers: {
      ...(origin !== undefined ? { origin } : {}),
      'access-control-request-method': 'POST',
      'access-control-request-headers': requestHeaders,
    },
  });
}

function post(graphqlUrl: string, origin: string, body = QUERY): Promise<Response> {
  return fetch(graphqlUrl, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKENS.admin}` },
    body,
  });
}

/** Every `access-control-*` header of a response. */
function corsHeaders(response: Response): Record<string, string> {
  return Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-')));
}

describe('with CORS_ORIGINS listing the app', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ env: { CORS_ORIGINS: `${APP}, http://localhost:5173` } });
  });
  afterAll(() => stack.close());

  test('a preflight from a listed origin gets 204 with the allowed methods, headers and max-age, and no upstream call', async () => {
    stack.simulator.requests.length = 0;
    const response = await preflight(stack.graphqlUrl, APP);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(corsHeaders(response)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET,POST,OPTIONS',
      'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(','),
      'access-control-expose-headers': 'x-request-id',
      'access-control-max-age': '600',
    });
    expect(response.headers.get('vary')).toBe('Origin');
    for (const header of ['content-type', 'authorization', 'apollo-require-preflight', 'x-request-id', 'traceparent', 'losantdomain']) {
      expect(CORS_ALLOWED_HEADERS).toContain(header);
    }
    expect(stack.simulator.requests).toHaveLength(0);
  });

  test('the POST itself carries the exact origin and exposes x-request-id', async () => {
    const response = await post(stack.graphqlUrl, APP);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { orgInvites: { count: 7 } } });
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-expose-headers')).toBe('x-request-id');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('vary')).toBe('Origin');
  });

  test('a preflight from another origin gets 204 without a single CORS header, not a CSRF error', async () => {
    const response = await preflight(stack.graphqlUrl, OTHER);
    expect(response.status).toBe(204);
    expect(corsHeaders(response)).toEqual({});
    expect(response.headers.get('vary')).toBe('Origin');
  });

  test('a request from another origin is answered without an allow header', async () => {
    const response = await post(stack.graphqlUrl, OTHER);
    expect(response.status).toBe(200);
    expect(corsHeaders(response)).toEqual({});
    expect(response.headers.get('vary')).toBe('Origin');
  });

  test('loopback origins are no longer allowed once origins are listed, unless listed themselves', async () => {
    expect(corsHeaders(await preflight(stack.graphqlUrl, 'http://127.0.0.1:5173'))).toEqual({});
    expect((await preflight(stack.graphqlUrl, 'http://localhost:5173')).headers.get('access-control-allow-origin')).toBe(
      'http://localhost:5173',
    );
  });

  test('an OPTIONS without Origin (not a browser) gets a bare 204', async () => {
    const response = await preflight(stack.graphqlUrl, undefined);
    expect(response.status).toBe(204);
    expect(corsHeaders(response)).toEqual({});
  });

  test('CSRF prevention stays on for allowed origins: a GET without a preflight header is refused before any upstream call', async () => {
    stack.simulator.requests.length = 0;
    const query = encodeURIComponent(`{ orgInvites(instanceId: "${DEMO_ORG.instanceId}", orgId: "${DEMO_ORG.orgId}") { count } }`);
    const response = await fetch(`${stack.graphqlUrl}?query=${query}`, {
      headers: { origin: APP, authorization: `Bearer ${DEMO_TOKENS.admin}` },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    // The page may read why it was refused.
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(stack.simulator.requests).toHaveLength(0);
  });

  test('CSRF prevention stays on: a text/plain POST (no preflight in a browser) is refused', async () => {
    stack.simulator.requests.length = 0;
    const response = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { origin: OTHER, 'content-type': 'text/plain' },
      body: QUERY,
    });
    expect(response.status).toBe(400);
    expect(stack.simulator.requests).toHaveLength(0);
  });

  test('the other paths are left alone', async () => {
    const response = await fetch(`${stack.gateway.url}/healthz`, { headers: { origin: APP } });
    expect(response.status).toBe(200);
    expect(corsHeaders(response)).toEqual({});
  });
});

describe('defaults', () => {
  test('in production no origin is allowed', async () => {
    // No drain delay: production's default would hold the close for 5 s.
    const stack = await startStack({ env: { NODE_ENV: 'production', LOSANT_API_URL: 'http://127.0.0.1:1', SHUTDOWN_DRAIN_DELAY_MS: '0' } });
    try {
      for (const origin of ['http://localhost:5173', 'http://127.0.0.1:5173', APP]) {
        const response = await preflight(stack.graphqlUrl, origin);
        expect(response.status).toBe(204);
        expect(corsHeaders(response)).toEqual({});
        expect(corsHeaders(await post(stack.graphqlUrl, origin))).toEqual({});
      }
    } finally {
      await stack.close();
    }
  });

  test('in development every loopback origin is allowed, and nothing else', async () => {
    const stack = await startStack();
    try {
      for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3000', 'http://[::1]:8080', 'https://localhost']) {
        expect((await preflight(stack.graphqlUrl, origin)).headers.get('access-control-allow-origin')).toBe(origin);
        expect((await post(stack.graphqlUrl, origin)).headers.get('access-control-allow-origin')).toBe(origin);
      }
      for (const origin of [APP, 'http://localhost.example.com:5173', 'null']) {
        expect(corsHeaders(await preflight(stack.graphqlUrl, origin))).toEqual({});
      }
    } finally {
      await stack.close();
    }
  });
});

describe('isAllowedOrigin', () => {
  const development = loadConfig({}).cors;
  const listed = loadConfig({ CORS_ORIGINS: APP }).cors;

  test.each([
    ['http://localhost:5173', true],
    ['http://127.0.0.1:5173', true],
    ['http://[::1]:5173', true],
    ['http://localhost', true],
    ['http://localhost:5173/', false],
    ['http://user@localhost:5173', false],
    ['file://localhost', false],
    ['http://127.0.0.2:5173', false],
    ['http://localhost.example.com', false],
    ['null', false],
  ])('development default: %s → %s', (origin, expected) => {
    expect(isAllowedOrigin(origin, development)).toBe(expected);
  });

  test('a listed origin matches exactly, as browsers write it', () => {
    expect(isAllowedOrigin(APP, listed)).toBe(true);
    expect(isAllowedOrigin(`${APP}:8443`, listed)).toBe(false);
    expect(isAllowedOrigin('http://app.example.com', listed)).toBe(false);
    expect(isAllowedOrigin('https://app.example.com.evil.net', listed)).toBe(false);
    expect(isAllowedOrigin(undefined, listed)).toBe(false);
  });
});
