/**
 * `npm run bench`: the gateway's performance against a fast local upstream, next to four reference
 * points measured in the same run (the upstream directly, a plain Node floor, the hand-written
 * Apollo Server peer a team would otherwise write, and the Fastify + Mercurius peer a team that
 * wanted speed would write), printed as tables and written to bench/results/latest.md. Not part
 * of `npm test`.
 *
 * Knobs: BENCH_DURATION (measured seconds per row, default 5), BENCH_WARMUP (default 2),
 * BENCH_ONLY or BENCH_CASES (a regular expression over case ids, e.g. `list-20`), BENCH_TARGETS (a regular
 * expression over target names, e.g. `gateway` for A/B runs of two builds), BENCH_OUT (report path),
 * BENCH_KEEP_LOGS=1 (keep the gateway's log file), BENCH_GATEWAY (another compiled main.js to
 * measure, e.g. a branch's build), BENCH_GATEWAY_NODE_ARGS (Node options for the gateway only),
 * BENCH_GATEWAY_ENV (its environment, e.g. `FEDERATED_TRACES=false`), BENCH_FTV1_FIRST=1 (before
 * each gateway row, one request of the row asks for a federated trace, as a router's would).
 */
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkWorkload, failureCount, measure, Measurement, Target } from './load';
import {
  Child,
  GATEWAY_ENV,
  installCleanup,
  ROOT,
  shippedNodeOptions,
  startGatewayProcess,
  startHelper,
  stopAll,
  stopChild,
} from './processes';
import { machineInfo, renderReport, Row, TargetName, writeReport } from './report';
import { BenchCase, benchCases, upstreamCallsProblem, Workload } from './scenarios';

const seconds = readSeconds('BENCH_DURATION', 5);
const warmupSeconds = readSeconds('BENCH_WARMUP', 2);
const caseFilter = process.env.BENCH_ONLY || process.env.BENCH_CASES;
const only = caseFilter ? new RegExp(caseFilter) : undefined;
const targets = new RegExp(process.env.BENCH_TARGETS ?? '.');
const runs = (target: TargetName): boolean => targets.test(target);
const outFile = path.resolve(ROOT, process.env.BENCH_OUT ?? 'bench/results/latest.md');
const ftv1First = process.env.BENCH_FTV1_FIRST === '1';
/** Whatever happens, the run ends by itself: children stopped, exit 1. */
const WATCHDOG_MS = 10 * 60_000;

function readSeconds(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 600)
    throw new Error(`${name} must be a number of seconds between 0 and 600, got "${raw}"`);
  return value;
}

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function upstreamCounts(upstream: Child, reset = false): Promise<Record<string, number>> {
  const response = await fetch(`${upstream.url}/__bench/${reset ? 'reset' : 'counts'}`, {
    method: reset ? 'POST' : 'GET',
    signal: AbortSignal.timeout(5_000),
  });
  return (await response.json()) as Record<string, number>;
}

const sumCalls = (counts: Record<string, number>): number =>
  Object.entries(counts).reduce((sum, [key, n]) => (key === 'GET /' ? sum : sum + n), 0);

/**
 * Waits until the upstream has seen no new request for 250 ms (at most 10 s): requests cut off
 * when autocannon stopped may still be on their way through the previous target, and must neither
 * be counted for the next one nor compete with it for the CPU.
 */
async function settle(upstream: Child): Promise<Record<string, number>> {
  const deadline = Date.now() + 10_000;
  let last = await upstreamCounts(upstream);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await upstreamCounts(upstream);
    if (JSON.stringify(now) === JSON.stringify(last) || Date.now() > deadline) return now;
    last = now;
  }
}

function summary(target: TargetName, m: Measurement): string {
  const failed = failureCount(m.failures);
  return (
    `  ${target.padEnd(9)} ${m.opsPerSec.toFixed(1).padStart(8)} ops/s  p50 ${m.p50.toFixed(3)} ms  p99 ${m.p99.toFixed(3)} ms  ` +
    `CPU ${m.cpuMsPerOp.toFixed(3)} ms/op  peak RSS ${(m.peakRssKb / 1024).toFixed(1)} MB  ${failed === 0 ? 'no failures' : `FAILED ${JSON.stringify(m.failures)}${m.firstMismatch ? ` first wrong body: ${m.firstMismatch}` : ''}`}`
  );
}

/**
 * Sends each request of the workload once with `apollo-federation-include-trace: ftv1`, as a
 * router does for the requests it samples: what the gateway does for those from then on (Apollo
 * instruments the schema it holds at the first one) is then part of the measured run.
 */
async function askForFederatedTrace(gateway: Child, workload: Workload): Promise<void> {
  for (const request of workload.requests) {
    const response = await fetch(`${gateway.url}${request.path}`, {
      method: request.method,
      headers: { ...request.headers, 'apollo-federation-include-trace': 'ftv1' },
      body: request.body,
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as { extensions?: { ftv1?: unknown } };
    if (typeof body.extensions?.ftv1 !== 'string') log(`  (the gateway answered the ftv1 request without a trace)`);
  }
}

/**
 * Apollo Server ends every JSON body with a newline, Fastify does not: the JSON text is what must
 * be the same byte for byte.
 */
const withoutFinalNewline = (text: string): string => (text.endsWith('\n') ? text.slice(0, -1) : text);

/**
 * Checks one answer of the target (and, through it, the upstream calls it makes), then measures it.
 * With `sameAs`, the checked answers must also equal those texts byte for byte, but for a final
 * newline (the peers' must be the gateway's), or the row counts as failed.
 */
async function measureTarget(
  benchCase: BenchCase,
  target: TargetName,
  child: Child,
  workload: Workload,
  upstream: Child,
  sameAs?: readonly string[],
): Promise<Row> {
  const viaUpstream = target !== 'upstream';
  const endpoint: Target = { url: child.url, pid: child.pid };
  await settle(upstream);
  if (viaUpstream) await upstreamCounts(upstream, true);
  const texts = await checkWorkload(endpoint, workload);
  if (viaUpstream) {
    const problem = upstreamCallsProblem(benchCase.upstreamCallsPerOp, await upstreamCounts(upstream), { min: 1, max: 1 });
    if (problem) throw new Error(`${benchCase.id}/${target}: wrong upstream calls for one operation: ${problem}`);
    await upstreamCounts(upstream, true);
  }

  let m = await measure(endpoint, workload, texts, benchCase.connections, warmupSeconds, seconds);
  const differing = sameAs ? texts.findIndex((text, i) => withoutFinalNewline(text) !== withoutFinalNewline(sameAs[i])) : -1;
  if (differing >= 0) {
    m = {
      ...m,
      failures: { ...m.failures, mismatches: m.failures.mismatches + 1 },
      firstMismatch: `not the gateway's answer byte for byte: ${texts[differing].slice(0, 400)}`,
    };
  }
  let restCallsPerOp: number | undefined;
  if (viaUpstream) {
    const counts = await settle(upstream);
    const problem = upstreamCallsProblem(benchCase.upstreamCallsPerOp, counts, { min: m.totalOps.completed, max: m.totalOps.sent });
    if (problem) throw new Error(`${benchCase.id}/${target}: wrong upstream calls under load: ${problem}`);
    restCallsPerOp = sumCalls(counts) / Math.max(1, m.totalOps.sent);
  }
  log(summary(target, m));
  return { caseId: benchCase.id, label: benchCase.label, connections: benchCase.connections, target, measurement: m, restCallsPerOp };
}

async function countLines(file: string): Promise<{ lines: number; bytes: number }> {
  let lines = 0;
  for await (const chunk of createReadStream(file)) {
    for (const byte of chunk as Buffer) if (byte === 10) lines++;
  }
  return { lines, bytes: statSync(file).size };
}

async function main(): Promise<number> {
  installCleanup();
  const watchdog = setTimeout(() => {
    process.stderr.write(`the benchmark did not finish within ${WATCHDOG_MS / 60_000} minutes; stopping\n`);
    void stopAll().finally(() => process.exit(1));
  }, WATCHDOG_MS);
  watchdog.unref();

  const started = Date.now();
  const machine = machineInfo(ROOT);
  const cases = benchCases().filter((c) => !only || only.test(c.id));
  if (cases.length === 0) throw new Error(`BENCH_ONLY/BENCH_CASES=${caseFilter} matches no case`);
  const rowCount = cases.reduce(
    (n, c) =>
      n +
      (runs('gateway') ? 1 : 0) +
      (c.floor && runs('floor') ? 1 : 0) +
      (c.peer && runs('peer') ? 1 : 0) +
      (c.peer && runs('mercurius') ? 1 : 0) +
      (c.baseline.requests.length > 0 && runs('upstream') ? 1 : 0),
    0,
  );
  log(
    `invites-gateway benchmark: ${cases.length} cases, ${rowCount} rows × (${warmupSeconds} s warm-up + ${seconds} s), about ${Math.ceil((rowCount * (warmupSeconds + seconds + 0.5)) / 10) * 10} s`,
  );
  log(`${machine.cpu}, ${machine.cores} cores, Node.js ${machine.node}, load average ${machine.loadBefore}`);

  const workDir = mkdtempSync(path.join(os.tmpdir(), 'invites-gateway-bench-'));
  const gatewayLog = path.join(workDir, 'gateway.log');
  const rows: Row[] = [];
  try {
    const upstream = await startHelper('fast upstream', 'fastUpstream.js');
    log(`upstream ${upstream.url} (pid ${upstream.pid}); a fresh floor, peers and gateway for each case\n`);

    for (const benchCase of cases) {
      // Fresh processes per case, so that each row's peak RSS is what its own load needed, not
      // what an earlier, heavier row left the heap at (V8 rarely gives memory back).
      const floor =
        benchCase.floor && runs('floor') ? await startHelper('plain floor', 'plainFloor.js', { UPSTREAM_URL: upstream.url }) : undefined;
      const peer =
        benchCase.peer && runs('peer')
          ? await startHelper('Apollo peer', 'apolloPeer.js', { UPSTREAM_URL: upstream.url, NODE_ENV: 'production' })
          : undefined;
      const mercuriusPeer =
        benchCase.peer && runs('mercurius')
          ? await startHelper('Mercurius peer', 'mercuriusPeer.js', { UPSTREAM_URL: upstream.url, NODE_ENV: 'production' })
          : undefined;
      const gateway = await startGatewayProcess({ upstreamUrl: upstream.url, logFile: gatewayLog, env: benchCase.gatewayEnv });
      log(
        `${benchCase.id}: ${benchCase.label}, ${benchCase.connections} connection${benchCase.connections === 1 ? '' : 's'} (gateway pid ${gateway.pid})`,
      );
      // The gateway's answer, which the peers' must equal byte for byte (their upstream calls are
      // checked with their own rows, after the counts are reset); asked for only when there is a peer.
      const gatewayTexts =
        peer || mercuriusPeer ? await checkWorkload({ url: gateway.url, pid: gateway.pid }, benchCase.graphql) : undefined;
      // Neighbours in time, so that the ratios compare runs under the same machine noise.
      if (benchCase.baseline.requests.length > 0 && runs('upstream'))
        rows.push(await measureTarget(benchCase, 'upstream', upstream, benchCase.baseline, upstream));
      if (floor) rows.push(await measureTarget(benchCase, 'floor', floor, benchCase.graphql, upstream));
      if (mercuriusPeer) rows.push(await measureTarget(benchCase, 'mercurius', mercuriusPeer, benchCase.graphql, upstream, gatewayTexts));
      if (peer) rows.push(await measureTarget(benchCase, 'peer', peer, benchCase.graphql, upstream, gatewayTexts));
      if (ftv1First) await askForFederatedTrace(gateway, benchCase.graphql);
      if (runs('gateway')) rows.push(await measureTarget(benchCase, 'gateway', gateway, benchCase.graphql, upstream));
      for (const child of [upstream, floor, mercuriusPeer, peer, gateway]) {
        if (child && (child.proc.exitCode !== null || child.proc.signalCode !== null))
          throw new Error(`${child.name} exited during the run:\n${child.output()}`);
      }
      const stopped = await stopChild(gateway.proc);
      if (stopped.code !== 0)
        throw new Error(`the gateway exited ${stopped.code ?? stopped.signal} on SIGTERM instead of 0:\n${gateway.output()}`);
      if (floor) await stopChild(floor.proc);
      if (peer) await stopChild(peer.proc);
      if (mercuriusPeer) await stopChild(mercuriusPeer.proc);
    }

    const report = renderReport({
      machine,
      rows,
      warmupSeconds,
      seconds,
      elapsedSeconds: (Date.now() - started) / 1000,
      loadAfter: os
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(' / '),
      gatewayLog: await countLines(gatewayLog),
      gatewayNodeOptions: shippedNodeOptions(),
      gatewayOverrides:
        [
          process.env.BENCH_GATEWAY && `build ${process.env.BENCH_GATEWAY}`,
          process.env.BENCH_GATEWAY_NODE_ARGS && `node options ${process.env.BENCH_GATEWAY_NODE_ARGS}`,
          Object.keys(GATEWAY_ENV).length > 0 &&
            `environment ${Object.entries(GATEWAY_ENV)
              .map(([name, value]) => `${name}=${value}`)
              .join(' ')}`,
          ftv1First && 'one request with apollo-federation-include-trace: ftv1 before each gateway row',
        ]
          .filter(Boolean)
          .join(', ') || undefined,
    });
    writeReport(outFile, report);
    log(`\n${report}`);
    log(`Written to ${path.relative(ROOT, outFile)}`);
    return rows.some((row) => failureCount(row.measurement.failures) > 0) ? 1 : 0;
  } finally {
    await stopAll();
    if (process.env.BENCH_KEEP_LOGS === '1') log(`gateway log kept at ${gatewayLog}`);
    else rmSync(workDir, { recursive: true, force: true });
    clearTimeout(watchdog);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
