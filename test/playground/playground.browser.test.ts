import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { exampleTabs } from '../../src/playground/exampleOperations';
import { DEMO_TOKENS, startStack, TestStack } from '../support/stack';

/*
 * Drives the real playground page in headless Chromium: it must render, run a query through
 * Apollo's CSRF check, and make no request beyond the gateway (air-gapped networks).
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = path.join(__dirname, '..', '..', 'artifacts', 'playground.png');

jest.setTimeout(90_000);

let stack: TestStack | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    // Fail, never skip: npm test installs chromium (scripts/test-tools.sh) before jest runs.
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  stack = await startStack({ demoToken: DEMO_TOKENS.admin });
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
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

interface Recorded {
  readonly requests: Array<{ url: string; method: string; contentType: string | undefined }>;
  readonly problems: string[];
}

/** A page in a fresh context (empty local storage) that records its requests and any CSP or script errors. */
async function openRecordedPage(): Promise<{ page: Page; recorded: Recorded; close: () => Promise<void> }> {
  const context = await browser!.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const recorded: Recorded = { requests: [], problems: [] };
  page.on('request', (request) =>
    recorded.requests.push({ url: request.url(), method: request.method(), contentType: request.headers()['content-type'] }),
  );
  page.on('pageerror', (error) => recorded.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') recorded.problems.push(`console: ${message.text()}`);
  });
  return { page, recorded, close: () => context.close() };
}

test('the playground renders offline, shows the docs and the demo token, and runs the orgInvites query', async () => {
  const { page, recorded, close } = await openRecordedPage();
  try {
    await page.goto(`${stack!.gateway.url}/graphql`, { waitUntil: 'load' });

    // The default tab holds the commented orgInvites example; the headers editor the demo token.
    const queryEditor = page.locator('.graphiql-query-editor');
    await queryEditor.getByText('orgInvites', { exact: false }).first().waitFor();
    await page.locator('.graphiql-editor-tool').getByText(DEMO_TOKENS.admin, { exact: false }).first().waitFor();
    expect(await page.locator('.graphiql-tab').count()).toBe(exampleTabs(true).length);

    // The docs explorer is open and filled from introspection.
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByText('Query', { exact: true }).first().waitFor();

    await page.locator('.graphiql-execute-button').click();
    const response = page.locator('.graphiql-response');
    await response.getByText('ada@example.com', { exact: false }).first().waitFor({ timeout: 15_000 });
    expect(await response.innerText()).toContain('"count": 7');

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    // Everything came from the gateway itself.
    expect(recorded.requests.length).toBeGreaterThan(5);
    const elsewhere = recorded.requests.filter(({ url }) => {
      const { protocol, hostname } = new URL(url);
      return protocol !== 'data:' && hostname !== '127.0.0.1' && hostname !== 'localhost';
    });
    expect(elsewhere).toEqual([]);

    // The query went as a JSON POST, which Apollo's CSRF prevention lets through.
    const posts = recorded.requests.filter((request) => request.method === 'POST' && new URL(request.url).pathname === '/graphql');
    expect(posts.length).toBeGreaterThanOrEqual(2); // introspection, then the query
    for (const post of posts) expect(post.contentType).toBe('application/json');

    // Nothing was blocked by the CSP, and nothing failed in the page.
    expect(recorded.problems).toEqual([]);
  } finally {
    await close();
  }
});

test('the other example tabs run as they are, and dialogs open within the CSP', async () => {
  const { page, recorded, close } = await openRecordedPage();
  try {
    await page.goto(`${stack!.gateway.url}/`, { waitUntil: 'load' });
    // Dialogs set inline styles: this is what the CSP's style-src 'unsafe-inline' is for.
    await page.getByLabel('Open settings dialog').click();
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');

    await page.locator('.graphiql-tab').filter({ hasText: 'InstanceOrgInvites' }).locator('.graphiql-tab-button').click();
    await page.locator('.graphiql-query-editor').getByText('instanceOrg', { exact: false }).first().waitFor();
    // GraphiQL re-derives the operation name from the editor after a debounce; a run before it
    // still sends the previous tab's name (OPERATION_RESOLUTION_FAILURE), so run until the answer shows.
    await runUntilShown(page, 'alan@example.net');
    expect(recorded.problems).toEqual([]);
  } finally {
    await close();
  }
});

/** Clicks run until the response shows `text`: each try waits for the answer, not for a set time. */
async function runUntilShown(page: Page, text: string): Promise<void> {
  const shown = page.locator('.graphiql-response').getByText(text, { exact: false }).first();
  for (let attempt = 1; ; attempt += 1) {
    await page.locator('.graphiql-execute-button').click();
    try {
      await shown.waitFor({ timeout: 3_000 });
      return;
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
}
