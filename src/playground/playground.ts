import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestTarget } from '../http/requestTarget';
import { ASSET_PREFIX, loadPlaygroundAssets, sendAsset } from './playgroundAssets';
import { BOOTSTRAP_SCRIPT, PAGE_STYLE, PLAYGROUND_CSP, playgroundSettings, renderPlaygroundPage } from './playgroundPage';

export interface PlaygroundOptions {
  /** Token prefilled in the headers editor; pass it only when running on the embedded simulator. */
  readonly demoToken?: string;
}

/** Answers a request if it is the playground's; `false` leaves it to the gateway. */
export type PlaygroundHandler = (req: IncomingMessage, url: RequestTarget, res: ServerResponse) => boolean;

/**
 * GraphiQL served entirely by the gateway: the page at `/` and at `GET /graphql` for browsers, and
 * its scripts and styles under `/playground/assets/`, so it works on networks without internet.
 */
export function createPlayground({ demoToken }: PlaygroundOptions = {}): PlaygroundHandler {
  const assets = loadPlaygroundAssets([
    { name: 'playground.js', contentType: 'js', text: BOOTSTRAP_SCRIPT },
    { name: 'playground.css', contentType: 'css', text: PAGE_STYLE },
  ]);
  const page = Buffer.from(renderPlaygroundPage(assets, playgroundSettings(demoToken)), 'utf8');

  return (req, url, res) => {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') return false;

    if (url.pathname.startsWith(`/${ASSET_PREFIX}`)) {
      const file = assets.get(url.pathname.slice(ASSET_PREFIX.length + 1));
      if (!file) return false;
      sendAsset(req, res, file);
      return true;
    }

    // A GET of /graphql with a query string is a GraphQL request; only a bare browser visit gets the page.
    const isPage = url.pathname === '/' || (url.pathname === '/graphql' && url.search === '');
    if (!isPage || !acceptsHtml(req.headers.accept)) return false;
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': page.length,
      // The page may hold the demo token and changes with the configuration: never cache it.
      'cache-control': 'no-store',
      'content-security-policy': PLAYGROUND_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.end(method === 'HEAD' ? undefined : page);
    return true;
  };
}

/** Browsers navigating to a page ask for `text/html`; GraphQL clients never do. */
function acceptsHtml(accept: string | undefined): boolean {
  return accept !== undefined && /(^|,)\s*text\/html\s*(;|,|$)/i.test(accept);
}
