import { gunzipSync } from 'node:zlib';
import { parse, validate } from 'graphql';
import { buildGatewaySchema } from '../../src/graphql/buildGatewaySchema';
import { exampleTabs } from '../../src/playground/exampleOperations';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS, startStack, TestStack } from '../support/stack';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

async function getPage(base: string, path: string, accept = BROWSER_ACCEPT): Promise<Response> {
  return fetch(`${base}${path}`, { headers: { accept } });
}

/** Every URL the page refers to, in `src` and `href` attributes. */
function referencedUrls(html: string): string[] {
  return [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
}

interface PlaygroundSettings {
  readonly headers: string | null;
  readonly tabs: Array<{ query: string; headers?: string }>;
  readonly defaultQuery: string;
}

/** The settings block the bootstrap script reads. */
function settingsOf(html: string): PlaygroundSettings {
  const json = /<script type="application\/json" id="playground-settings">([^<]*)<\/script>/.exec(html)?.[1];
  if (json === undefined) throw new Error('no settings block in the page');
  return JSON.parse(json) as PlaygroundSettings;
}

describe('playground in embedded mode', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ demoToken: DEMO_TOKENS.admin });
  });
  afterAll(() => stack.close());

  test.each(['/', '/graphql'])('GET %s from a browser is the GraphiQL page, with a same-origin-only CSP', async (path) => {
    const response = await getPage(stack.gateway.url, path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https?:|\*/);
    const html = await response.text();
    expect(html).toContain('<title>invites-gateway playground</title>');
    expect(html).toContain('playground/assets/graphiql.min.js?v=');
  });

  test('the page refers only to relative URLs (and an inline data: icon)', async () => {
    const html = await (await getPage(stack.gateway.url, '/')).text();
    const urls = referencedUrls(html);
    expect(urls.length).toBeGreaterThanOrEqual(6);
    for (const url of urls) expect(url).toMatch(/^(playground\/assets\/[\w.-]+\?v=[0-9a-f]{16}|data:,)$/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\/\/[a-z]/i);
  });

  test('the demo admin token is prefilled in every example tab and for new tabs', async () => {
    const settings = settingsOf(await (await getPage(stack.gateway.url, '/')).text());
    const headers = JSON.stringify({ Authorization: `Bearer ${DEMO_TOKENS.admin}` }, null, 2);
    expect(settings.headers).toBe(headers);
    expect(settings.tabs).toHaveLength(8);
    for (const tab of settings.tabs) expect(tab.headers).toBe(headers);
    expect(settings.tabs[0].query).toMatch(new RegExp(`orgInvites\\(\\s*instanceId: "${DEMO_INSTANCE_ID}"\\s*orgId: "${DEMO_ORG_ID}"`));
    expect(settings.defaultQuery).toBe(settings.tabs[0].query);
  });

  test('GraphQL requests to /graphql still reach Apollo', async () => {
    // A GET with a query string, even from a browser, is GraphQL; so is every POST.
    const get = await fetch(`${stack.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: `application/json, ${BROWSER_ACCEPT}`, 'apollo-require-preflight': 'true' },
    });
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
    const post = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { accept: 'application/json, multipart/mixed', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await post.json()).toEqual({ data: { __typename: 'Query' } });
  });

  test('clients that do not ask for HTML get what they got before', async () => {
    expect((await getPage(stack.gateway.url, '/', 'application/json')).status).toBe(404);
    expect((await getPage(stack.gateway.url, '/', '*/*')).status).toBe(404);
    const graphqlGet = await getPage(stack.gateway.url, '/graphql', 'application/json');
    expect(graphqlGet.headers.get('content-type')).not.toContain('text/html');
  });

  test.each([
    ['react.production.min.js', 'text/javascript; charset=utf-8', 'React'],
    ['react-dom.production.min.js', 'text/javascript; charset=utf-8', 'ReactDOM'],
    ['graphiql.min.js', 'text/javascript; charset=utf-8', 'GraphiQL'],
    ['graphiql.min.css', 'text/css; charset=utf-8', '.graphiql-container'],
    ['playground.js', 'text/javascript; charset=utf-8', 'createFetcher'],
    ['playground.css', 'text/css; charset=utf-8', '#graphiql'],
  ])('serves %s as %s, cached for long', async (name, contentType, marker) => {
    const response = await fetch(`${stack.gateway.url}/playground/assets/${name}`, { headers: { 'accept-encoding': 'identity' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(contentType);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain(marker);
  });

  test('assets come gzipped when accepted, and 304 for a known ETag', async () => {
    const { request } = await import('node:http');
    const url = new URL(`${stack.gateway.url}/playground/assets/graphiql.min.css`);
    const raw = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      request(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(raw.body).toString('utf8')).toContain('.graphiql-container');

    const again = await fetch(url, { headers: { 'if-none-match': String(raw.headers.etag) } });
    expect(again.status).toBe(304);
  });

  test('unknown assets are 404', async () => {
    expect((await fetch(`${stack.gateway.url}/playground/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${stack.gateway.url}/playground/assets/../package.json`)).status).toBe(404);
  });
});

describe('playground against a real upstream', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  test('no token is prefilled, and the first tab says to add one', async () => {
    const html = await (await getPage(stack.gateway.url, '/graphql')).text();
    expect(html).not.toContain('demo-');
    const settings = settingsOf(html);
    expect(settings.headers).toBeNull();
    for (const tab of settings.tabs) expect(tab.headers).toBeUndefined();
    expect(settings.tabs[0].query).toContain('Bearer <your token>');
  });
});

describe('PLAYGROUND=false', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ env: { PLAYGROUND: 'false' }, demoToken: DEMO_TOKENS.admin });
  });
  afterAll(() => stack.close());

  test('no page and no assets; GET /graphql from a browser goes to Apollo as before', async () => {
    expect((await getPage(stack.gateway.url, '/')).status).toBe(404);
    expect((await fetch(`${stack.gateway.url}/playground/assets/graphiql.min.js`)).status).toBe(404);
    const graphqlGet = await getPage(stack.gateway.url, '/graphql');
    expect(graphqlGet.headers.get('content-type')).not.toContain('text/html');
    expect(graphqlGet.status).toBe(400);
  });
});

describe('example operations', () => {
  test.each([true, false])('validate against the schema (embedded: %s)', async (embedded) => {
    const schema = await buildGatewaySchema();
    for (const tab of exampleTabs(embedded)) expect(validate(schema, parse(tab.query))).toEqual([]);
  });

  test('run against the simulator with the variables they come with', async () => {
    const stack = await startStack({ demoToken: DEMO_TOKENS.admin });
    try {
      for (const tab of exampleTabs(true)) {
        const response = await fetch(stack.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKENS.admin}` },
          body: JSON.stringify({ query: tab.query, variables: tab.variables ? JSON.parse(tab.variables) : undefined }),
        });
        const body = (await response.json()) as { errors?: unknown };
        expect(body.errors).toBeUndefined();
      }
    } finally {
      await stack.close();
    }
  });
});
