/**
 * The part of autocannon 8's programmatic API the load test uses (the package ships no types and
 * @types/autocannon is not installed). Shapes follow lib/run.js and lib/aggregateResult.js.
 */
declare module 'autocannon' {
  namespace autocannon {
    interface Options {
      url: string;
      method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
      headers?: Record<string, string>;
      body?: string;
      /** Concurrent connections. */
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
      /** Milliseconds. */
      latency: Histogram;
      /** Requests per second; `total` is every completed request, `sent` every request sent. */
      requests: Histogram & { sent: number };
      /** Bytes per second. */
      throughput: Histogram;
    }

    /** The running job: an event emitter that is also a promise of the result. */
    interface Instance extends PromiseLike<Result> {
      stop(): void;
    }
  }

  function autocannon(options: autocannon.Options): autocannon.Instance;
  export = autocannon;
}
