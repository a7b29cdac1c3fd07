import type { IncomingMessage } from 'node:http';

/** A body longer than the limit its reader was given. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body exceeds ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

export interface ReadBodyOptions {
  /**
   * Past the limit, read the rest and drop it before rejecting, so the connection can carry the
   * next request. By default the reader rejects at once and leaves the rest unread: the caller
   * then answers and closes the connection, and a client cannot make it read more than the limit.
   */
  readonly drainExcess?: boolean;
}

/**
 * A request (or response) body as UTF-8 text, at most `maxBytes` of it, else `BodyTooLargeError`.
 * Plain stream events rather than `for await`: the async iterator costs a promise per chunk on
 * every request.
 */
export function readBodyText(stream: IncomingMessage, maxBytes: number, options: ReadBodyOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      if (options.drainExcess) {
        chunks.length = 0;
        return;
      }
      stream.off('data', onData);
      stream.pause();
      reject(new BodyTooLargeError(maxBytes));
    };
    stream.on('data', onData);
    stream.once('end', () => {
      if (size > maxBytes) reject(new BodyTooLargeError(maxBytes));
      else resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    });
    stream.once('error', reject);
  });
}
