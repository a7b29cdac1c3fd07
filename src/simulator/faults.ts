/**
 * Failures the simulator can be told to produce for its next requests, so tests reach every error
 * path through real HTTP rather than through mocks.
 */
export type Fault =
  /** Answer with this status and JSON body instead of the real result. */
  | { readonly kind: 'status'; readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> }
  /** Answer with a raw body of any content type (an HTML error page, malformed JSON). */
  | { readonly kind: 'raw'; readonly status: number; readonly contentType: string; readonly body: string }
  /** Destroy the connection without answering. */
  | { readonly kind: 'reset' }
  /** Never answer; the connection stays open until the simulator closes. */
  | { readonly kind: 'hang' }
  /** Answer normally, after a pause. */
  | { readonly kind: 'delay'; readonly ms: number };

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

  clear(): void {
    this.queue.length = 0;
  }
}
