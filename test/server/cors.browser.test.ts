import { existsSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { DEMO_ORG } from '../support/operations';
import { DEMO_TOKENS, startStack, TestStack } from '../support/stack';

/*
 * CORS as a browser enforces it: headless Chromium opens a page served from a second local origin,
 * whose script calls the gateway the way a frontend does (a JSON POST with an Authorization header,
 * so with a preflight). From the origin in CORS_ORIGINS the script reads the data; from another
 * origin Chromium blocks the call and `fetch` rejects. Each page writes the outcome as text, and a
 * screenshot of each is kept in artifacts/.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', '..', 'artifacts');

jest.setTimeout(90_000);

interface PageServer {
  readonly origin: string;
  close(): Promise<void>;
}

/** A tiny web server on its own port (so its own origin) that serves one page. */
async function servePage(render: (origin: string) => string): Promise<PageServer> {
  let origin = '';
  const server = http.createServer((req, res) => {
    if (req.url !== '/') {
      res.writeHead(404).end();
      return;
    }
    const page = render(origin);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The page a frontend team would write: one fetch to the gateway, its outcome written out. */
function frontendPage(gateway: () => { graphqlUrl: string; corsOrigins: string }): (origin: string) => string {
  return (origin) => {
    const { graphqlUrl, corsOrigins } = gateway();
    return `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Frontend on ${origin}</title>
<style>
  body { font: 18px/1.5 system-ui, sans-serif; margin: 32px; color: #1d1d1f; }
  code { font-size: 16px; }
  #outcome { margin-top: 24px; padding: 20px; border-radius: 8px; border: 2px solid #888; white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 16px; }
  #outcome[data-state="allowed"] { border-color: #1a7f37; background: #dafbe1; }
  #outcome[data-state="blocked"] { border-color: #cf222e; background: #ffebe9; }
</style></head>
<body>
  <h1>Page on <code>${origin}</code></h1>
  <p>calls <code id="target"></code> with <code>content-type: application/json</code> and an <code>Authorization</code> header;
  the gateway runs with <code>CORS_ORIGINS=${corsOrigins}</code>.</p>
  <div id="outcome">running…</div>
  <script>
    const url = ${JSON.stringify(graphqlUrl)};
    const outcome = document.getElementById('outcome');
    document.getElementById('target').textContent = url;
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ${DEMO_TOKENS.admin}' },
      body: JSON.stringify({ query: '{ orgInvites(instanceId: "${DEMO_ORG.instanceId}", orgId: "${DEMO_ORG.orgId}") { count items { email } } }' }),
    }).then(async (response) => {
      const body = await response.json();
      const invites = body.data.orgInvites;
      outcome.dataset.state = 'allowed';
      outcome.dataset.requestId = response.headers.get('x-request-id') ?? '';
      outcome.textContent = 'ALLOWED: HTTP ' + response.status + ', ' + invites.count + ' invites\\n'
        + invites.items.map((invite) => '  ' + invite.email).join('\\n')
        + '\\nx-request-id (exposed header): ' + (response.headers.get('x-request-id') ?? 'not readable');
    }, (error) => {
      outcome.dataset.state = 'blocked';
      outcome.textContent = 'BLOCKED: fetch rejected with ' + error.name + ': ' + error.message;
    });
  </script>
</body></html>`;
  };
}

let stack: TestStack | undefined;
let browser: Browser | undefined;
let allowedPage: PageServer | undefined;
let blockedPage: PageServer | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    // Fail, never skip: npm test installs chromium (scripts/test-tools.sh) before jest runs.
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  // The pages need the gateway's URL, the gateway their origin: the pages start first and read the URL when served.
  const gateway = () => ({ graphqlUrl: stack!.graphqlUrl, corsOrigins: allowedPage!.origin });
  allowedPage = await servePage(frontendPage(gateway));
  blockedPage = await servePage(frontendPage(gateway));
  // Only the first page's origin is listed; the second is as much loopback, so the dev default must not apply.
  stack = await startStack({ env: { CORS_ORIGINS: allowedPage.origin } });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Background networking, component updates and sync would make requests of Chromium's own.
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-gpu',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await allowedPage?.close();
  await blockedPage?.close();
});

/** Opens the page, waits for its script's outcome, and keeps a screenshot. */
async function runPage(page: PageServer, screenshot: string) {
  const context = await browser!.newContext({ viewport: { width: 1000, height: 640 } });
  try {
    const tab = await context.newPage();
    const console: string[] = [];
    tab.on('console', (message) => console.push(message.text()));
    await tab.goto(`${page.origin}/`, { waitUntil: 'load' });
    const outcome = tab.locator('#outcome[data-state]');
    await outcome.waitFor({ timeout: 15_000 });
    const result = {
      state: await outcome.getAttribute('data-state'),
      requestId: await outcome.getAttribute('data-request-id'),
      text: await outcome.innerText(),
      console,
    };
    if (console.length > 0) {
      // Shown in the screenshot too: what the page's script cannot see, Chromium's reason.
      // A string, evaluated in the page: the tests compile without the DOM's types.
      await tab.evaluate(`(() => {
        const note = document.createElement('p');
        note.style.cssText = 'font: 14px ui-monospace, monospace; color: #57606a; white-space: pre-wrap';
        note.textContent = ${JSON.stringify(`Chromium's console (added by the test):\n${console.join('\n')}`)};
        document.body.append(note);
      })()`);
    }
    await tab.screenshot({ path: path.join(ARTIFACTS, screenshot) });
    return result;
  } finally {
    await context.close();
  }
}

test('a page on the listed origin calls the gateway and reads the data and the x-request-id', async () => {
  const result = await runPage(allowedPage!, 'cors-allowed.png');
  expect(result.state).toBe('allowed');
  expect(result.text).toContain('ALLOWED: HTTP 200, 7 invites');
  expect(result.text).toContain('ada@example.com');
  expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(result.console).toEqual([]);
});

test('a page on another origin is blocked by the browser: fetch rejects and the query never runs', async () => {
  stack!.simulator.requests.length = 0;
  const result = await runPage(blockedPage!, 'cors-blocked.png');
  expect(result.state).toBe('blocked');
  expect(result.text).toMatch(/^BLOCKED: fetch rejected with TypeError: /);
  // Chromium says why in its console: the preflight's answer allows no origin.
  expect(result.console.join('\n')).toMatch(
    /blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header/,
  );
  expect(stack!.simulator.requests).toHaveLength(0);
});
