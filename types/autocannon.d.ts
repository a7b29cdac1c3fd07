/**
 * The part of autocannon 8's programmatic API the load test and the benchmark use (the package
 * ships no types): request sequences, and the per-response events the benchmark reads for
 * sub-millisecond latencies (autocannon's own histogram keeps whole milliseconds). Shapes follow lib/run.js, lib/requestIterator.js and
 * lib/aggregateResult.js.
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

    /** One request of a sequence; each connection sends the sequence in order, again and again. */
    interface Request {
      method?: Method;
      path?: string;
      headers?: Record<string, string>;
      body?: string;
      /** Called with every response to this request (status, body, per-loop context, headers). */
      onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>) => void;
    }

    interface Options {
      url: string;
      method?: Method;
      headers?: Record<string, string>;
      body?: string;
      /** Sequence of requests; cannot be combined with `expectBody`. */
      requests?: Request[];
      connections?: number;
      /** Seconds to run. */
      duration?: number;
      /** Seconds before a request counts as a timeout (default 10). */
      timeout?: number;
      pipelining?: number;
      /** Every response body must equal this string, or it counts as a mismatch. */
      expectBody?: string;
    }

    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      total: number;
      p50: number;
      p90: number;
      p97_5: number;
      p99: number;
    }

    interface Result {
      duration: number;
      errors: number;
      timeouts: number;
      mismatches: number;
      non2xx: number;
      resets: number;
      '1xx': number;
      '2xx': number;
      '3xx': number;
      '4xx': number;
      '5xx': number;
      /** Milliseconds, whole numbers only. */
      latency: Histogram;
      /** Requests per second; `total` is every completed request, `sent` every request sent. */
      requests: Histogram & { sent: number };
      throughput: Histogram;
    }

    /**
     * The running job: an event emitter that is also a promise of the result. Emits
     * `response(client, statusCode, bytes, responseTimeMs)` with a fractional time, and
     * `reqMismatch(body)` / `reqError(error)`.
     */
    interface Instance extends PromiseLike<Result>, EventEmitter {
      stop(): void;
    }
  }

  function autocannon(options: autocannon.Options): autocannon.Instance;
  export = autocannon;
}
