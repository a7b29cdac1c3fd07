import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** URL path (relative to the site root) under which the playground's files are served. */
export const ASSET_PREFIX = 'playground/assets/';

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** One file the playground page loads, held in memory. */
export interface PlaygroundAsset {
  readonly name: string;
  readonly contentType: string;
  readonly body: Buffer;
  /** Content hash: the ETag, and the `?v=` the page adds so a new version is fetched at once. */
  readonly hash: string;
  /** The gzip-compressed body, made on first use (GraphiQL is about 1 MB, 200 KB gzipped). */
  gzipped(): Buffer;
}

export type PlaygroundAssets = ReadonlyMap<string, PlaygroundAsset>;

/**
 * Finds a file of an installed package. The packages' `exports` maps hide the UMD builds from
 * `require.resolve`, so resolve each package's `package.json` (always exported) and go from there.
 */
function packageFile(packageName: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${packageName}/package.json`)), file);
}

function asset(name: string, contentType: string, body: Buffer): PlaygroundAsset {
  let gzipped: Buffer | undefined;
  return {
    name,
    contentType,
    body,
    hash: createHash('sha256').update(body).digest('hex').slice(0, 16),
    gzipped: () => (gzipped ??= gzipSync(body, { level: 9 })),
  };
}

/**
 * Reads GraphiQL and React from `node_modules` once, at start-up, so a missing package fails the
 * start rather than the first page view, and no request ever leaves for a CDN.
 * `extra` are the playground's own small files (its bootstrap script and style).
 */
export function loadPlaygroundAssets(extra: ReadonlyArray<{ name: string; contentType: 'js' | 'css'; text: string }>): PlaygroundAssets {
  const files: PlaygroundAsset[] = [
    asset('react.production.min.js', JS, readFileSync(packageFile('react', 'umd/react.production.min.js'))),
    asset('react-dom.production.min.js', JS, readFileSync(packageFile('react-dom', 'umd/react-dom.production.min.js'))),
    asset('graphiql.min.js', JS, readFileSync(packageFile('graphiql', 'graphiql.min.js'))),
    asset('graphiql.min.css', CSS, readFileSync(packageFile('graphiql', 'graphiql.min.css'))),
    ...extra.map((file) => asset(file.name, file.contentType === 'js' ? JS : CSS, Buffer.from(file.text, 'utf8'))),
  ];
  return new Map(files.map((file) => [file.name, file]));
}

/** The page's URL for an asset, relative so the page works at `/`, at `/graphql` and behind a path prefix. */
export function assetUrl(assets: PlaygroundAssets, name: string): string {
  const file = assets.get(name);
  if (!file) throw new Error(`No playground asset named ${name}`);
  return `${ASSET_PREFIX}${file.name}?v=${file.hash}`;
}

/** Answers GET/HEAD for one asset, with long caching (URLs carry the content hash) and gzip when accepted. */
export function sendAsset(req: IncomingMessage, res: ServerResponse, file: PlaygroundAsset): void {
  const etag = `"${file.hash}"`;
  res.setHeader('content-type', file.contentType);
  res.setHeader('cache-control', 'public, max-age=31536000, immutable');
  res.setHeader('etag', etag);
  res.setHeader('vary', 'accept-encoding');
  res.setHeader('x-content-type-options', 'nosniff');
  if (req.headers['if-none-match'] === etag) {
    res.statusCode = 304;
    res.end();
    return;
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? file.gzipped() : file.body;
  if (gzip) res.setHeader('content-encoding', 'gzip');
  res.setHeader('content-length', body.length);
  res.statusCode = 200;
  res.end(req.method === 'HEAD' ? undefined : body);
}
