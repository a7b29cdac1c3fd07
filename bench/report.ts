/**
 * The benchmark's one table (Markdown, so the same text reads in a terminal and on a forge), the
 * goals checked against it, and the machine it ran on. Written to bench/results/latest.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { failureCount, Failures, Measurement } from './load';

export type TargetName = 'upstream' | 'floor' | 'mercurius' | 'peer' | 'gateway';

export interface Row {
  readonly caseId: string;
  readonly label: string;
  readonly connections: number;
  readonly target: TargetName;
  readonly measurement: Measurement;
  /** Upstream calls counted under load ÷ operations sent (gateway and floor rows). */
  readonly restCallsPerOp?: number;
}

export interface MachineInfo {
  readonly date: string;
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memory: string;
  readonly kernel: string;
  readonly commit: string;
  readonly loadBefore: string;
}

export function machineInfo(root: string): MachineInfo {
  let cpu = 'unknown';
  let cores = os.cpus().length;
  try {
    const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
    cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpu;
    cores = (cpuinfo.match(/^processor\s*:/gm) ?? []).length || cores;
  } catch {
    // not Linux: os.cpus() it is
  }
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    if (dirty) commit += ' (src/ has uncommitted changes)';
  } catch {
    // not a git checkout
  }
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    node: process.version,
    cpu,
    cores,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    kernel: `${os.type()} ${os.release()}`,
    commit,
    loadBefore: os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' / '),
  };
}

const fixed = (n: number, digits: number): string => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const rate = (n: number): string => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const ms = (n: number): string => fixed(n, n < 10 ? 2 : 1);
const ratio = (a: number, b: number | undefined): string => (b ? `${(a / b).toFixed(2)}×` : '');

function failuresText(f: Failures): string {
  if (failureCount(f) === 0 && f.timeouts === 0) return '0';
  const parts = Object.entries(f)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${n} ${name}`);
  return `**${parts.join(', ')}**`;
}

/**
 * The table: per case, the upstream baseline, the plain floor (list cases), the Mercurius peer,
 * the Apollo peer and the gateway. Every row but the upstream's is divided by both peers.
 */
export function renderTable(rows: readonly Row[]): string {
  const header = [
    '| case | conns | target | ops/s | p50 ms | p99 ms | +p50 vs upstream ms | CPU ms/op | peak RSS MB | REST calls/op | failed | ÷ upstream ops/s | ÷ Mercurius ops/s | ÷ Apollo peer ops/s | ÷ floor ops/s |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |',
  ];
  const lines: string[] = [];
  let previousCase = '';
  for (const row of rows) {
    const m = row.measurement;
    const upstream = measurementOf(rows, row.caseId, 'upstream');
    const floor = measurementOf(rows, row.caseId, 'floor');
    const peer = measurementOf(rows, row.caseId, 'peer');
    const mercurius = measurementOf(rows, row.caseId, 'mercurius');
    const first = row.caseId !== previousCase;
    previousCase = row.caseId;
    lines.push(
      [
        first ? row.label : '',
        first ? String(row.connections) : '',
        row.target === 'gateway' ? '**gateway**' : row.target,
        row.target === 'gateway' ? `**${rate(m.opsPerSec)}**` : rate(m.opsPerSec),
        ms(m.p50),
        ms(m.p99),
        row.target !== 'upstream' && upstream ? ms(m.p50 - upstream.p50) : '',
        fixed(m.cpuMsPerOp, m.cpuMsPerOp < 1 ? 3 : 2),
        fixed(m.peakRssKb / 1024, 1),
        row.restCallsPerOp !== undefined ? fixed(row.restCallsPerOp, 2) : '',
        failuresText(m.failures),
        row.target !== 'upstream' ? ratio(m.opsPerSec, upstream?.opsPerSec) : '',
        row.target !== 'upstream' && row.target !== 'mercurius' ? ratio(m.opsPerSec, mercurius?.opsPerSec) : '',
        row.target !== 'upstream' && row.target !== 'peer' ? ratio(m.opsPerSec, peer?.opsPerSec) : '',
        row.target !== 'upstream' && row.target !== 'floor' ? ratio(m.opsPerSec, floor?.opsPerSec) : '',
      ]
        .join(' | ')
        .replace(/^/, '| ')
        .replace(/$/, ' |'),
    );
  }
  return [...header, ...lines].join('\n');
}

/**
 * One line per case: the gateway's figures divided by the Mercurius peer's, the Apollo peer's and
 * the floor's, measured in the same run. Above 1 is better for ops/s, below 1 for p50, CPU per
 * operation and peak RSS.
 */
export function renderComparison(rows: readonly Row[]): string {
  const header = [
    '| case | conns | ops/s ÷ Mercurius | ÷ Apollo peer | ÷ floor | p50 ÷ Mercurius | ÷ Apollo peer | ÷ floor | CPU/op ÷ Mercurius | ÷ Apollo peer | ÷ floor | peak RSS ÷ Mercurius | ÷ Apollo peer | ÷ floor |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const lines: string[] = [];
  for (const row of rows) {
    if (row.target !== 'gateway') continue;
    const mercurius = measurementOf(rows, row.caseId, 'mercurius');
    const peer = measurementOf(rows, row.caseId, 'peer');
    const floor = measurementOf(rows, row.caseId, 'floor');
    if (!mercurius && !peer && !floor) continue;
    const m = row.measurement;
    const triple = (pick: (x: Measurement) => number): string[] => [
      ratio(pick(m), mercurius && pick(mercurius)),
      ratio(pick(m), peer && pick(peer)),
      ratio(pick(m), floor && pick(floor)),
    ];
    lines.push(
      `| ${row.label} | ${row.connections} | ${[...triple((x) => x.opsPerSec), ...triple((x) => x.p50), ...triple((x) => x.cpuMsPerOp), ...triple((x) => x.peakRssKb)].join(' | ')} |`,
    );
  }
  return [...header, ...lines].join('\n');
}

/** The measurement of one target in one case, if that row ran. */
function measurementOf(rows: readonly Row[], caseId: string, target: TargetName): Measurement | undefined {
  return rows.find((r) => r.caseId === caseId && r.target === target)?.measurement;
}

export interface Goal {
  readonly what: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

/**
 * The goals within reach of the fastest Node stack: against the Fastify + Mercurius peer (and the
 * Apollo peer), on the list rows.
 */
function fastPeerGoals(find: (caseId: string, target: TargetName) => Measurement | undefined): Goal[] {
  const goal = (
    what: string,
    caseId: string,
    judge: (gw: Measurement, mercurius: Measurement, peer: Measurement | undefined) => { measured: string; met: boolean | undefined },
  ): Goal => {
    const gw = find(caseId, 'gateway');
    const mercurius = find(caseId, 'mercurius');
    if (!gw || !mercurius) return { what, measured: 'not run', met: undefined };
    return { what, ...judge(gw, mercurius, find(caseId, 'peer')) };
  };
  const x = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
  return [
    goal("20 invites, 10 connections: gateway ops/s ≥ 0.5× Mercurius's", 'list-20-c10', (gw, m) => ({
      measured: `${rate(gw.opsPerSec)} vs ${rate(m.opsPerSec)} ops/s (${x(gw.opsPerSec, m.opsPerSec)})`,
      met: gw.opsPerSec >= 0.5 * m.opsPerSec,
    })),
    goal("20 invites, 10 connections: gateway ops/s ≥ 1.3× the Apollo peer's", 'list-20-c10', (gw, _m, peer) => ({
      measured: peer
        ? `${rate(gw.opsPerSec)} vs ${rate(peer.opsPerSec)} ops/s (${x(gw.opsPerSec, peer.opsPerSec)})`
        : 'Apollo peer not run',
      met: peer ? gw.opsPerSec >= 1.3 * peer.opsPerSec : undefined,
    })),
    goal("20 invites, 10 connections: gateway CPU per operation ≤ 2× Mercurius's", 'list-20-c10', (gw, m) => ({
      measured: `${gw.cpuMsPerOp.toFixed(3)} vs ${m.cpuMsPerOp.toFixed(3)} ms (${x(gw.cpuMsPerOp, m.cpuMsPerOp)})`,
      met: gw.cpuMsPerOp <= 2 * m.cpuMsPerOp,
    })),
    goal("500 invites, 10 connections: gateway ops/s ≥ 0.8× Mercurius's", 'list-500-c10', (gw, m) => ({
      measured: `${rate(gw.opsPerSec)} vs ${rate(m.opsPerSec)} ops/s (${x(gw.opsPerSec, m.opsPerSec)}); CPU per op ${gw.cpuMsPerOp.toFixed(2)} vs ${m.cpuMsPerOp.toFixed(2)} ms`,
      met: gw.opsPerSec >= 0.8 * m.opsPerSec,
    })),
    goal("20 invites, 100 connections: gateway peak RSS below both peers'", 'list-20-c100', (gw, m, peer) => ({
      measured: `${(gw.peakRssKb / 1024).toFixed(1)} MB vs Mercurius ${(m.peakRssKb / 1024).toFixed(1)}${peer ? `, Apollo peer ${(peer.peakRssKb / 1024).toFixed(1)}` : ''} MB`,
      met: peer ? gw.peakRssKb < m.peakRssKb && gw.peakRssKb < peer.peakRssKb : undefined,
    })),
    goal("20 invites, 1 connection: gateway p50 within 2× Mercurius's", 'list-20-c1', (gw, m) => ({
      measured: `${gw.p50.toFixed(3)} vs ${m.p50.toFixed(3)} ms (${x(gw.p50, m.p50)})`,
      met: gw.p50 <= 2 * m.p50,
    })),
  ];
}

/** The goals for the gateway, judged on this run: ahead of the hand-written Apollo peer in every row, within reach of Mercurius. */
export function goals(rows: readonly Row[]): Goal[] {
  const find = (caseId: string, target: TargetName): Measurement | undefined => measurementOf(rows, caseId, target);
  const result: Goal[] = [];
  const against = (caseId: string): { gw?: Measurement; peer?: Measurement } => ({
    gw: find(caseId, 'gateway'),
    peer: find(caseId, 'peer'),
  });
  for (const n of [20, 500]) {
    for (const c of [1, 10, 100]) {
      const { gw, peer } = against(`list-${n}-c${c}`);
      result.push({
        what: `${n} invites, ${c} connection${c === 1 ? '' : 's'}: gateway ops/s above the peer's`,
        measured:
          gw && peer
            ? `${rate(gw.opsPerSec)} vs peer ${rate(peer.opsPerSec)} ops/s (${(gw.opsPerSec / peer.opsPerSec).toFixed(2)}×); CPU per op ${gw.cpuMsPerOp.toFixed(3)} vs ${peer.cpuMsPerOp.toFixed(3)} ms`
            : 'not run',
        met: gw && peer ? gw.opsPerSec > peer.opsPerSec : undefined,
      });
    }
  }
  {
    const { gw, peer } = against('list-20-c10');
    result.push({
      what: "20 invites, 10 connections: gateway ops/s ≥ 1.3× the peer's (the aim)",
      measured: gw && peer ? `${(gw.opsPerSec / peer.opsPerSec).toFixed(2)}×` : 'not run',
      met: gw && peer ? gw.opsPerSec >= 1.3 * peer.opsPerSec : undefined,
    });
  }
  {
    const { gw, peer } = against('list-20-c1');
    result.push({
      what: "20 invites, 1 connection: gateway p50 below the peer's",
      measured: gw && peer ? `${gw.p50.toFixed(3)} vs peer ${peer.p50.toFixed(3)} ms (${(gw.p50 / peer.p50).toFixed(2)}×)` : 'not run',
      met: gw && peer ? gw.p50 < peer.p50 : undefined,
    });
  }
  for (const n of [20, 500]) {
    const { gw, peer } = against(`list-${n}-c100`);
    result.push({
      what: `${n} invites, 100 connections: gateway peak RSS below the peer's and under 150 MB`,
      measured: gw ? `${(gw.peakRssKb / 1024).toFixed(1)} MB${peer ? ` vs peer ${(peer.peakRssKb / 1024).toFixed(1)} MB` : ''}` : 'not run',
      met: gw && peer ? gw.peakRssKb < peer.peakRssKb && gw.peakRssKb < 150 * 1024 : undefined,
    });
  }
  result.push(...fastPeerGoals(find));
  const failed = rows.filter((r) => failureCount(r.measurement.failures) > 0);
  result.push({
    what: "no failed request (errors, timeouts, non-2xx, wrong bodies, resets), any row; the peer answers the gateway's bytes",
    measured:
      failed.length === 0 ? 'none' : failed.map((r) => `${r.caseId}/${r.target}: ${failuresText(r.measurement.failures)}`).join('; '),
    met: failed.length === 0,
  });
  return result;
}

/**
 * What a request costs the gateway before any REST call (the `{ __typename }` rows), set against
 * the goals: if that alone is over the budget, no work on the REST path can meet them.
 */
export function fixedCost(rows: readonly Row[]): string[] {
  const find = (caseId: string, target: TargetName): Measurement | undefined => measurementOf(rows, caseId, target);
  const lines: string[] = [];
  const fixed10 = find('fixed-c10', 'gateway');
  const floor10 = find('list-20-c10', 'floor');
  const list10 = find('list-20-c10', 'gateway');
  if (fixed10 && floor10) {
    lines.push(
      `- 10 connections: the gateway answers \`{ __typename }\` at ${rate(fixed10.opsPerSec)} ops/s, ${(fixed10.opsPerSec / floor10.opsPerSec).toFixed(2)}× the floor's ` +
        `20-invite list (which makes a REST call); CPU ${fixed10.cpuMsPerOp.toFixed(3)} ms per operation, ${(fixed10.cpuMsPerOp / floor10.cpuMsPerOp).toFixed(1)}× the floor's whole list` +
        (list10 ? `, and ${((100 * fixed10.cpuMsPerOp) / list10.cpuMsPerOp).toFixed(0)}% of the gateway's own 20-invite list.` : '.'),
    );
  }
  const fixed1 = find('fixed-c1', 'gateway');
  const upstream1 = find('list-20-c1', 'upstream');
  if (fixed1) {
    lines.push(
      `- 1 connection: \`{ __typename }\` takes ${fixed1.p50.toFixed(3)} ms at p50` +
        (upstream1 ? ` (the 20-invite list's upstream call alone: ${upstream1.p50.toFixed(3)} ms).` : '.'),
    );
  }
  return lines;
}

export interface ReportInput {
  readonly machine: MachineInfo;
  readonly rows: readonly Row[];
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly elapsedSeconds: number;
  readonly loadAfter: string;
  readonly gatewayLog: { readonly lines: number; readonly bytes: number };
  /** The Node options bin/gateway-node.sh gives the gateway (`npm run start:prod`, the image's CMD). */
  readonly gatewayNodeOptions: readonly string[];
  /** What differs from `npm run start:prod` of this checkout (BENCH_GATEWAY, BENCH_GATEWAY_NODE_ARGS). */
  readonly gatewayOverrides?: string;
}

export function renderReport(input: ReportInput): string {
  const { machine, rows } = input;
  const goalLines = goals(rows).map((g) => `| ${g.met === undefined ? '–' : g.met ? 'met' : '**not met**'} | ${g.what} | ${g.measured} |`);
  return `# invites-gateway benchmark (\`npm run bench\`)

Measured ${machine.date} on ${machine.cpu}, ${machine.cores} cores, ${machine.memory}, ${machine.kernel}; Node.js ${machine.node}; gateway at commit ${machine.commit}.

**These numbers come from a shared, noisy machine** (load average before the run ${machine.loadBefore}, after ${input.loadAfter}), where the load generator, the gateway and the upstream share ${machine.cores} cores. Read the ratios to the baseline and the floor measured in the same run, not the absolute values, and compare runs only with their machine and date.

Each row: one request checked against the expected answer, ${input.warmupSeconds} s warm-up, ${input.seconds} s measured with autocannon on loopback (\`BENCH_WARMUP\`, \`BENCH_DURATION\`). Every response under load must equal the checked one byte for byte ("failed" counts errors, timeouts, non-2xx, different bodies and resets over warm-up and measured run).

- **upstream**: the fast local upstream (\`bench/fastUpstream.ts\`, precomputed bodies) measured directly, doing the REST calls the operation needs. For a multi-call operation, one "op" is the whole sequence on one connection, its latency the sum (the gateway runs the 50 \`_entities\` calls 8 at a time, so that latency is not comparable; the ops/s is).
- **floor**: \`bench/plainFloor.ts\`, plain \`node:http\` with no GraphQL library: forwards the list call over a keep-alive agent, parses the JSON, picks the selected fields, writes the answer.
- **mercurius**: \`bench/mercuriusPeer.ts\`, what a team that wanted speed would write: Fastify 5 and Mercurius with \`jit: 1\` (graphql-jit from a document's second use), the Apollo peer's SDL and resolvers, the REST call made with an undici \`Pool\` (keep-alive) and \`body.json()\`, upstream errors mapped to \`extensions.code\`; nothing else. Its checked answer must equal the gateway's byte for byte (but for the final newline Apollo Server writes and Fastify does not), or its row fails. It serves the same cases as the Apollo peer.
- **peer** (the Apollo peer): \`bench/apolloPeer.ts\`, what a team would write instead of the gateway: Apollo Server 5 standalone, SDL first (only the fields the queries select), one \`RESTDataSource\` (\`@apollo/datasource-rest\`, node-fetch 2 underneath) per request and plain resolvers; no limits, logs, metrics or tracing; \`NODE_ENV=production\`. Its checked answer must equal the gateway's byte for byte, or its row fails. It serves the list, alias and \`{ __typename }\` cases.
- **gateway**: \`node ${input.gatewayNodeOptions.join(' ')} dist/src/main.js\` (\`bin/gateway-node.sh\`, as \`npm run start:prod\` and the Dockerfile's CMD start it) as it ships, every protection on: \`NODE_ENV=production\`, the limits at their defaults, \`LOG_LEVEL=info\` (its ${input.gatewayLog.lines} log lines, ${(input.gatewayLog.bytes / 2 ** 20).toFixed(1)} MB, went to a file), metrics on, tracing configured but not sampling (\`OTEL_EXPORTER_OTLP_ENDPOINT\` set, \`OTEL_TRACES_SAMPLER=always_off\`), \`SHUTDOWN_DRAIN_DELAY_MS=0\` (it is stopped between cases); for the \`_entities\` case only, \`MAX_UPSTREAM_CALLS_PER_OPERATION=50\` (the default 25 refuses the 50-organization read) and a \`ROUTER_SECRET\` its requests send, as a router does (in production only the router may select \`_entities\`).${input.gatewayOverrides ? ` **Not the checkout's gateway as is: ${input.gatewayOverrides}.**` : ''}
- ops/s is autocannon's mean requests/s over the measured run (÷ requests per op); p50/p99 are from every response's own time, to the microsecond. "+p50 vs upstream" is the latency the row adds over calling the upstream directly; "REST calls/op" is what the upstream counted over warm-up and measured run ÷ operations sent (requests cut off when a run stops still reach the upstream); peak RSS is the row's own process (a fresh floor, peer and gateway are started for each case), sampled every 50 ms; "CPU ms/op" is the CPU time (user + system, from /proc) the row's own process used in the measured run ÷ operations completed, which waiting for a core does not inflate, so it is the steadier figure to compare across runs (the load generator, in the benchmark's process, is not counted).

${renderTable(rows)}

## The gateway against the peers and the floor

Each cell is the gateway's figure divided by the Mercurius peer's, the Apollo peer's or the floor's from the same case of this run: above 1× is better for ops/s, below 1× for p50, CPU per operation and peak RSS.

${renderComparison(rows)}

## Goals: ahead of the hand-written Apollo peer, within reach of Mercurius

| | goal | this run |
| --- | --- | --- |
${goalLines.join('\n')}
${
  fixedCost(rows).length > 0
    ? `
## Before any REST call

The \`{ __typename }\` rows run the whole request path (HTTP, Apollo's pipeline and plugins, the limits, logging and metrics) without calling the upstream:

${fixedCost(rows).join('\n')}
`
    : ''
}
Finished in ${input.elapsedSeconds.toFixed(0)} s.
`;
}

/** Writes through a temporary file, so a reader never sees half a report. */
export function writeReport(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}
