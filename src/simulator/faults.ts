/**
 * The one language for an upstream's misbehaviour: what the simulator (and the test upstream
 * built on it) does with a request instead of, or before, answering it, so tests reach every
 * error path through real HTTP rather than through mocks. `applyFault.ts` plays a fault on a
 * response.
 */
export type Fault =
  /** Answer with this status and JSON body (an `Injected` error body when absent), plus `headers`. */
  | { readonly kind: 'status'; readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> }
  /** Answer with a body taken as it is, of any content type (an HTML error page, malformed JSON). */
  | { readonly kind: 'raw'; readonly status: number; readonly contentType: string; readonly body: string }
  /**
   * A 200 JSON answer whose body is `body` as it is, sent with `Content-Encoding: encoding`
   * (whatever the client asked for): a compressed answer, or a decompression bomb.
   */
  | { readonly kind: 'encoded'; readonly encoding: string; readonly body: Uint8Array }
  /** Reset the connection (TCP RST) without answering. */
  | { readonly kind: 'reset' }
  /** Never answer; the connection stays open until the client gives up or the server closes. */
  | { readonly kind: 'hang' }
  /** Wait `ms`, then behave as `then` (the real answer when absent). */
  | { readonly kind: 'delay'; readonly ms: number; readonly then?: Fault }
  /** Headers and the first chunk of the real answer at once, then one more chunk every `intervalMs`. */
  | { readonly kind: 'slowBody'; readonly chunks: number; readonly intervalMs: number }
  /** A 200 JSON body of `bytes` bytes (`Infinity`: never ends), streamed as fast as the client reads. */
  | { readonly kind: 'huge'; readonly bytes: number }
  /**
   * Headers promising a body (`Content-Length`, or chunked encoding), part of it, then the
   * connection is closed cleanly (FIN) before the rest.
   */
  | { readonly kind: 'closeEarly'; readonly framing: 'content-length' | 'chunked' }
  /** No fault: the real answer. */
  | { readonly kind: 'ok' };

export const status = (code: number, body?: unknown, headers?: Readonly<Record<string, string>>): Fault => ({
  kind: 'status',
  status: code,
  body,
  headers,
});
export const raw = (code: number, contentType: string, body: string): Fault => ({ kind: 'raw', status: code, contentType, body });
export const encoded = (encoding: string, body: Uint8Array): Fault => ({ kind: 'encoded', encoding, body });
export const reset: Fault = { kind: 'reset' };
export const hang: Fault = { kind: 'hang' };
export const delay = (ms: number, then?: Fault): Fault => ({ kind: 'delay', ms, then });
export const slowBody = (chunks: number, intervalMs: number): Fault => ({ kind: 'slowBody', chunks, intervalMs });
export const huge = (bytes: number): Fault => ({ kind: 'huge', bytes });
export const closeEarly: Fault = { kind: 'closeEarly', framing: 'content-length' };
export const closeEarlyChunked: Fault = { kind: 'closeEarly', framing: 'chunked' };
export const ok: Fault = { kind: 'ok' };

export interface QueuedFault {
  readonly fault: Fault;
  /** Only requests with this method are affected (all when absent). */
  readonly method?: string;
}

/** A FIFO of faults; each request takes the first one that applies to it. */
export class FaultQueue {
  private readonly queue: QueuedFault[] = [];

  /** Makes the next `times` matching requests fail with `fault`. */
  inject(fault: Fault, options: { times?: number; method?: string } = {}): void {
    const method = options.method?.toUpperCase();
    for (let i = 0; i < (options.times ?? 1); i++) this.queue.push({ fault, method });
  }

  take(method: string): Fault | undefined {
    const index = this.queue.findIndex((queued) => !queued.method || queued.method === method.toUpperCase());
    if (index === -1) return undefined;
    return this.queue.splice(index, 1)[0].fault;
  }

  /** Faults still queued. */
  get size(): number {
    return this.queue.length;
  }

  clear(): void {
    this.queue.length = 0;
  }
}
