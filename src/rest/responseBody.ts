import type { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';

/*
 * Reads an upstream body as text, decoding it here rather than in node-fetch: node-fetch decodes
 * brotli even when it was not asked for, and its size cap stops reading without stopping the
 * decoder, so a few KB of brotli could keep a core busy long after the client was answered. Here
 * only the codings the gateway asked for are decoded, and both the bytes on the wire and the
 * bytes decoded are counted as they flow: the moment either passes the cap, the decoder and the
 * body are destroyed, so no decoding goes on afterwards.
 */

/** The `Accept-Encoding` the gateway sends: exactly the codings `readBodyText` decodes. */
export const ACCEPTED_ENCODINGS = 'gzip, deflate';

export type UnreadableReason = 'too-large' | 'unrequested-encoding' | 'undecodable';

/** Why a body was not read; the message names no value the upstream wrote. */
export class UnreadableBodyError extends Error {
  constructor(readonly reason: UnreadableReason) {
    super(reason);
    this.name = 'UnreadableBodyError';
  }
}

/**
 * Lenient as node-fetch (and curl) were: a stream that ends without its final block still yields
 * what it holds; a truncated body is caught on the connection, not here.
 */
const ZLIB_OPTIONS: zlib.ZlibOptions = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };

/** A decoder per coding asked for. `deflate` is the zlib format RFC 9110 names, not raw deflate. */
const DECODERS: ReadonlyMap<string, () => Transform> = new Map([
  ['gzip', () => zlib.createGunzip(ZLIB_OPTIONS)],
  ['x-gzip', () => zlib.createGunzip(ZLIB_OPTIONS)],
  ['deflate', () => zlib.createInflate(ZLIB_OPTIONS)],
]);

/**
 * The body as UTF-8 text, or an `UnreadableBodyError`: thrown before any byte is read when the
 * body is in a coding that was not asked for (or in more than one).
 *
 * @param contentEncoding the response's `Content-Encoding` header, null when absent.
 * @param maxBytes the most bytes read from the wire, and the most decoded from them.
 */
export async function readBodyText(body: NodeJS.ReadableStream, contentEncoding: string | null, maxBytes: number): Promise<string> {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  const decoder = codings.length === 1 ? DECODERS.get(codings[0]) : undefined;
  if (codings.length > 1 || (codings.length === 1 && decoder === undefined)) throw new UnreadableBodyError('unrequested-encoding');

  const decoded = await collect(body as Readable, decoder?.(), maxBytes);
  return decoded.toString('utf8');
}

/**
 * Reads `source` through `decoder` (when there is one) with plain `data` events rather than
 * stream pipelines, which cost ten times as much per chunk on a 16 MiB body. Counts the bytes
 * read and the bytes decoded; past `maxBytes` of either, both streams are destroyed at once.
 */
function collect(source: Readable, decoder: Transform | undefined, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let wireBytes = 0;
    let decodedBytes = 0;
    let settled = false;
    // The listeners stay on after the end: node-fetch emits errors on the body (an abort, a
    // truncated connection) even once it is read, and unheard they would end the process.
    const fail = (cause: Error): void => {
      if (settled) return;
      settled = true;
      decoder?.destroy();
      source.destroy();
      reject(isZlibError(cause) ? new UnreadableBodyError('undecodable') : cause);
    };
    const output = decoder ?? source;
    output.on('data', (chunk: Buffer) => {
      if (settled) return;
      decodedBytes += chunk.length;
      if (decodedBytes > maxBytes) fail(new UnreadableBodyError('too-large'));
      else chunks.push(chunk);
    });
    output.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks));
    });
    output.on('error', fail);
    if (decoder === undefined) return;
    source.on('data', (chunk: Buffer) => {
      if (settled) return;
      wireBytes += chunk.length;
      if (wireBytes > maxBytes) fail(new UnreadableBodyError('too-large'));
      else if (!decoder.write(chunk)) source.pause();
    });
    decoder.on('drain', () => source.resume());
    source.on('end', () => decoder.end());
    source.on('error', fail);
  });
}

/** zlib's errors carry its own codes (`Z_DATA_ERROR`, `Z_BUF_ERROR`…). */
function isZlibError(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}
