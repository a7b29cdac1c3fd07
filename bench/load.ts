/**
 * Drives one workload against one target with autocannon: a correctness check first, then a
 * warm-up and a measured run, with the target's RSS sampled from /proc throughout.
 *
 * Latencies come from autocannon's per-response events (fractional milliseconds), not from its
 * histogram, which keeps whole milliseconds only and could not show a 0.6 ms budget. A workload of
 * several requests (the upstream baseline of a multi-call operation) counts as one operation per
 * pass over the sequence: its latency is the sum of the sequence's latencies on that connection.
 */
import autocannon from 'autocannon';
import { cpuMs, rssKb } from './processes';
import { answerProblem, BenchRequest, Workload } from './scenarios';

export interface Failures {
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
  resets: number;
}

export interface Measurement {
  /** Operations per second: autocannon's mean requests/s over the measured run ÷ requests per operation. */
  readonly opsPerSec: number;
  /** Milliseconds, fractional. */
  readonly p50: number;
  readonly p99: number;
  /** Operations completed in the measured run (latency samples). */
  readonly ops: number;
  /** Warm-up and measured run together: completed ≤ made ≤ sent, for checking upstream call counts. */
  readonly totalOps: { readonly completed: number; readonly sent: number };
  /** Warm-up and measured run together; all must be 0. */
  readonly failures: Failures;
  readonly firstMismatch?: string;
  /** Peak VmRSS of the target process over warm-up and measured run, in kB. */
  readonly peakRssKb: number;
  /**
   * CPU time (user + system) the target process used per completed operation in the measured
   * run, in ms: steadier than ops/s on a shared machine, since it does not count time the process
   * waited for a core (10 ms clock ticks, so meaningful over hundreds of operations).
   */
  readonly cpuMsPerOp: number;
}

export interface Target {
  readonly url: string;
  readonly pid: number;
}

/**
 * Sends the workload's requests once, in order, and checks every answer against the expected one.
 * Answers the exact response texts, which every response under load must then equal.
 */
export async function checkWorkload(target: Target, workload: Workload): Promise<string[]> {
  const texts: string[] = [];
  for (const request of workload.requests) {
    const response = await fetch(`${target.url}${request.path}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    const problem = answerProblem(request, response.status, text);
    if (problem) throw new Error(`${request.method} ${target.url}${request.path.split('?')[0]} answered ${problem}`);
    texts.push(text);
  }
  return texts;
}

interface RunOutcome {
  readonly result: autocannon.Result;
  readonly latencies: Float64Array;
  readonly opsCompleted: number;
  readonly mismatches: number;
  readonly firstMismatch?: string;
}

function run(
  target: Target,
  requests: readonly BenchRequest[],
  texts: readonly string[],
  connections: number,
  seconds: number,
  recordLatencies: boolean,
): Promise<RunOutcome> {
  let mismatches = 0;
  let firstMismatch: string | undefined;
  const mismatch = (body: string): void => {
    mismatches++;
    firstMismatch ??= body.slice(0, 500);
  };
  const single = requests.length === 1;
  const [only] = requests;
  const instance = autocannon(
    single
      ? {
          url: `${target.url}${only.path}`,
          method: only.method,
          headers: only.headers,
          body: only.body,
          expectBody: texts[0],
          connections,
          duration: seconds,
        }
      : {
          url: target.url,
          connections,
          duration: seconds,
          requests: requests.map((request, i) => ({
            method: request.method,
            path: request.path,
            headers: request.headers,
            body: request.body,
            onResponse: (status: number, body: string) => {
              if (status !== request.expectStatus || body !== texts[i]) mismatch(`HTTP ${status}: ${body}`);
            },
          })),
        },
  );
  // Latency samples, grown as needed; per-connection sums for sequences.
  let latencies = new Float64Array(recordLatencies ? 65_536 : 0);
  let count = 0;
  const pending = new Map<unknown, { sum: number; n: number }>();
  instance.on('response', (client: unknown, _status: number, _bytes: number, ms: number) => {
    let op = ms;
    if (!single) {
      let acc = pending.get(client);
      if (!acc) pending.set(client, (acc = { sum: 0, n: 0 }));
      acc.sum += ms;
      if (++acc.n < requests.length) return;
      op = acc.sum;
      acc.sum = 0;
      acc.n = 0;
    }
    if (recordLatencies) {
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count] = op;
    }
    count++;
  });
  if (single) instance.on('reqMismatch', (body: string) => (firstMismatch ??= `HTTP 2xx: ${String(body).slice(0, 500)}`));
  return Promise.resolve(instance).then((result) => ({
    result,
    latencies: latencies.subarray(0, recordLatencies ? count : 0),
    opsCompleted: count,
    mismatches: result.mismatches + mismatches,
    firstMismatch,
  }));
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function failuresOf(outcome: RunOutcome): Failures {
  const { result } = outcome;
  return { errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, mismatches: outcome.mismatches, resets: result.resets };
}

function addFailures(a: Failures, b: Failures): Failures {
  return {
    errors: a.errors + b.errors,
    timeouts: a.timeouts + b.timeouts,
    non2xx: a.non2xx + b.non2xx,
    mismatches: a.mismatches + b.mismatches,
    resets: a.resets + b.resets,
  };
}

export const failureCount = (f: Failures): number => f.errors + f.non2xx + f.mismatches + f.resets; // timeouts are counted in errors

/** Warm-up, then the measured run; the target's RSS is sampled every 50 ms over both. */
export async function measure(
  target: Target,
  workload: Workload,
  texts: readonly string[],
  connections: number,
  warmupSeconds: number,
  seconds: number,
): Promise<Measurement> {
  let peakRssKb = rssKb(target.pid);
  const sampler = setInterval(() => {
    peakRssKb = Math.max(peakRssKb, rssKb(target.pid));
  }, 50);
  try {
    const warm = warmupSeconds > 0 ? await run(target, workload.requests, texts, connections, warmupSeconds, false) : undefined;
    const cpuBefore = cpuMs(target.pid);
    const measured = await run(target, workload.requests, texts, connections, seconds, true);
    const cpuUsed = cpuMs(target.pid) - cpuBefore;
    peakRssKb = Math.max(peakRssKb, rssKb(target.pid));
    const sorted = measured.latencies.slice().sort();
    const perOp = workload.requests.length;
    const sentOps = (o: RunOutcome | undefined): number => (o ? Math.ceil(o.result.requests.sent / perOp) : 0);
    return {
      opsPerSec: measured.result.requests.mean / perOp,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      ops: measured.opsCompleted,
      totalOps: { completed: (warm?.opsCompleted ?? 0) + measured.opsCompleted, sent: sentOps(warm) + sentOps(measured) },
      failures: warm ? addFailures(failuresOf(warm), failuresOf(measured)) : failuresOf(measured),
      firstMismatch: warm?.firstMismatch ?? measured.firstMismatch,
      peakRssKb,
      cpuMsPerOp: cpuUsed / Math.max(1, measured.opsCompleted),
    };
  } finally {
    clearInterval(sampler);
  }
}
