import { authorizationHeaders, defaultQuery, ExampleTab, exampleTabs } from './exampleOperations';
import { assetUrl, PlaygroundAssets } from './playgroundAssets';

/**
 * Only this origin, plus the inline `data:` fonts and icons GraphiQL's stylesheet embeds. Inline
 * styles stay allowed because React and CodeMirror set them at run time; scripts do not need it.
 * The policy is also the proof the page loads nothing from another host.
 */
export const PLAYGROUND_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** What the bootstrap script reads from the page. */
export interface PlaygroundSettings {
  /** GraphQL endpoint, relative to the page. */
  readonly endpoint: string;
  readonly defaultQuery: string;
  readonly tabs: readonly ExampleTab[];
  /** Headers-editor text for new tabs; `null` when nothing is prefilled. */
  readonly headers: string | null;
  /** Separate local storage per mode, so tabs saved with the demo token never show up against a real API. */
  readonly storageNamespace: string;
  /** The demo token is public, so its tabs may keep it across reloads; real tokens stay out of local storage. */
  readonly persistHeaders: boolean;
}

export function playgroundSettings(demoToken: string | undefined): PlaygroundSettings {
  const embedded = demoToken !== undefined;
  const headers = embedded ? authorizationHeaders(demoToken) : undefined;
  return {
    endpoint: 'graphql',
    defaultQuery: defaultQuery(embedded),
    tabs: exampleTabs(embedded, headers),
    headers: headers ?? null,
    storageNamespace: embedded ? 'invites-gateway:embedded' : 'invites-gateway',
    persistHeaders: embedded,
  };
}

/** Runs in the browser. An external file rather than inline, so the CSP can refuse every inline script. */
export const BOOTSTRAP_SCRIPT = `(function () {
  'use strict';
  var settings = JSON.parse(document.getElementById('playground-settings').textContent);
  var fetcher = GraphiQL.createFetcher({ url: new URL(settings.endpoint, window.location.href).href });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultQuery: settings.defaultQuery,
    defaultTabs: settings.tabs,
    defaultHeaders: settings.headers || undefined,
    shouldPersistHeaders: settings.persistHeaders,
    storage: GraphiQL.createLocalStorage({ namespace: settings.storageNamespace }),
    isHeadersEditorEnabled: true,
    defaultEditorToolsVisibility: settings.headers ? 'headers' : true,
    visiblePlugin: GraphiQL.React.DOC_EXPLORER_PLUGIN
  }));
})();
`;

export const PAGE_STYLE = `html, body, #graphiql { height: 100%; margin: 0; overflow: hidden; }
#graphiql > noscript, .playground-loading { display: block; padding: 2rem; font-family: system-ui, sans-serif; }
`;

/** JSON that is safe inside a `<script>` element: nothing in it can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The page: GraphiQL's files from this gateway, settings as a JSON data block (not executed, so CSP-neutral). */
export function renderPlaygroundPage(assets: PlaygroundAssets, settings: PlaygroundSettings): string {
  const script = (name: string): string => `<script src="${assetUrl(assets, name)}"></script>`;
  const style = (name: string): string => `<link rel="stylesheet" href="${assetUrl(assets, name)}">`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>invites-gateway playground</title>
<link rel="icon" href="data:,">
${style('graphiql.min.css')}
${style('playground.css')}
</head>
<body>
<div id="graphiql"><span class="playground-loading">Loading the GraphQL playground…</span><noscript>The playground needs JavaScript. GraphQL itself is served at POST /graphql.</noscript></div>
<script type="application/json" id="playground-settings">${scriptJson(settings)}</script>
${script('react.production.min.js')}
${script('react-dom.production.min.js')}
${script('graphiql.min.js')}
${script('playground.js')}
</body>
</html>
`;
}
