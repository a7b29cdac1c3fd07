/**
 * `npm run bench:profile`: where the gateway spends its CPU on the benchmark's list query
 * (20 invites, 10 connections by default). Runs the compiled gateway under `node --cpu-prof`
 * behind the fast upstream, checks an answer, warms up, loads it for PROFILE_SECONDS (default 10),
 * stops it with SIGTERM (it drains and exits, and V8 writes the profile), and summarises only the
 * samples taken during the measured load. Writes bench/results/profile.md.
 *
 * With PROFILE_HEAP=1, also where it allocates over the same window: V8's sampling heap profiler
 * with collected objects included (bench/heapSampler.ts, preloaded), in KB per operation.
 * PROFILE_TARGET=peer profiles the hand-written Apollo peer (bench/apolloPeer.ts) instead, for
 * the work the gateway does that the peer does not; PROFILE_TARGET=mercurius the Fastify +
 * Mercurius peer (bench/mercuriusPeer.ts).
 *
 * The report opens with the CPU budget by component (bench/cpuBudget.ts): µs per operation for
 * HTTP in, Apollo's pipeline, type-graphql, graphql-jit, DataLoader, the resilience wrapper, the
 * REST client, JSON parse, the contract check, serialisation, logging, metrics, spans, limits and
 * GC. The same budget goes, as JSON, next to the report (`.json` for `.md`), for
 * bench/budgetTable.ts to set runs side by side.
 *
 * Knobs: PROFILE_SECONDS, PROFILE_WARMUP (default 2), PROFILE_CASE (a case id of
 * bench/scenarios.ts, default list-20-c10), PROFILE_INTERVAL_US (sampling interval, default 1000),
 * PROFILE_TARGET (gateway or peer), PROFILE_HEAP=1, HEAP_PROFILE_SURVIVORS=1 (with PROFILE_HEAP: only
 * what outlived a scavenge, i.e. what was promoted and makes the old generation's collections),
 * PROFILE_OUT (report path), PROFILE_KEEP=1 (keep the profiles and the gateway's log), BENCH_GATEWAY
 * (another compiled main.js to profile, e.g. the build of an earlier commit, for a before/after).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { budgetOf, renderBudget } from './cpuBudget';
import { CpuProfile, renderSummary, summarize } from './cpuProfile';
import { HeapProfile, renderHeapSummary, summarizeHeap } from './heapProfile';
import { checkWorkload, failureCount, measure } from './load';
import { GATEWAY_ENTRY, installCleanup, ROOT, startGatewayProcess, startHelper, stopAll, stopChild } from './processes';
import { machineInfo, writeReport } from './report';
import { benchCases } from './scenarios';

const seconds = Number(process.env.PROFILE_SECONDS ?? 10);
const warmupSeconds = Number(process.env.PROFILE_WARMUP ?? 2);
const caseId = process.env.PROFILE_CASE ?? 'list-20-c10';
const intervalUs = Number(process.env.PROFILE_INTERVAL_US ?? 1000);
const outFile = path.resolve(ROOT, process.env.PROFILE_OUT ?? 'bench/results/profile.md');
const targetName = process.env.PROFILE_TARGET ?? 'gateway';
const heap = process.env.PROFILE_HEAP === '1';

/** A path inside the checkout relative to it, any other as is. */
const shownPath = (file: string): string => (path.relative(ROOT, file).startsWith('..') ? file : path.relative(ROOT, file));

const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

async function main(): Promise<number> {
  installCleanup();
  const benchCase = benchCases().find((c) => c.id === caseId);
  if (!benchCase) throw new Error(`PROFILE_CASE=${caseId} is not a case of bench/scenarios.ts`);
  const machine = machineInfo(ROOT);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'invites-gateway-profile-'));
  try {
    if (targetName !== 'gateway' && targetName !== 'peer' && targetName !== 'mercurius')
      throw new Error(`PROFILE_TARGET must be gateway, peer or mercurius, got ${targetName}`);
    if (targetName !== 'gateway' && !benchCase.peer) throw new Error(`the peers do not serve ${caseId}`);
    const upstream = await startHelper('fast upstream', 'fastUpstream.js');
    const heapFile = path.join(workDir, 'allocations.heapprofile');
    const nodeArgs = [
      '--cpu-prof',
      `--cpu-prof-dir=${workDir}`,
      `--cpu-prof-interval=${intervalUs}`,
      ...(heap ? ['--require', path.join(__dirname, 'heapSampler.js')] : []),
    ];
    const heapEnv: Record<string, string> = heap
      ? { HEAP_PROFILE_FILE: heapFile, HEAP_PROFILE_SURVIVORS: process.env.HEAP_PROFILE_SURVIVORS ?? '0' }
      : {};
    const child =
      targetName === 'peer'
        ? await startHelper('Apollo peer', 'apolloPeer.js', { UPSTREAM_URL: upstream.url, NODE_ENV: 'production', ...heapEnv }, nodeArgs)
        : targetName === 'mercurius'
          ? await startHelper(
              'Mercurius peer',
              'mercuriusPeer.js',
              { UPSTREAM_URL: upstream.url, NODE_ENV: 'production', ...heapEnv },
              nodeArgs,
            )
          : await startGatewayProcess({
              upstreamUrl: upstream.url,
              logFile: path.join(workDir, 'gateway.log'),
              nodeArgs,
              env: { ...benchCase.gatewayEnv, ...heapEnv },
            });
    const target = { url: child.url, pid: child.pid };
    const texts = await checkWorkload(target, benchCase.graphql);
    process.stdout.write(
      `profiling the ${targetName} (pid ${child.pid}) on ${benchCase.id}: ${warmupSeconds} s warm-up, ${seconds} s measured\n`,
    );
    if (warmupSeconds > 0) await measure(target, benchCase.graphql, texts, benchCase.connections, 0, warmupSeconds);
    if (heap) child.proc.kill('SIGUSR2');
    const fromUs = nowUs();
    const m = await measure(target, benchCase.graphql, texts, benchCase.connections, 0, seconds);
    const toUs = nowUs();
    if (heap) {
      child.proc.kill('SIGUSR2');
      const deadline = Date.now() + 30_000;
      // heapSampler renames the file into place once it is whole.
      while (!existsSync(heapFile) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const exit = await stopChild(child.proc, 30_000);
    if (targetName === 'gateway' && exit.code !== 0)
      throw new Error(`the gateway exited with ${exit.code ?? exit.signal} instead of 0 after SIGTERM:\n${child.output()}`);
    const file = readdirSync(workDir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no .cpuprofile in ${workDir}`);
    const profile = JSON.parse(readFileSync(path.join(workDir, file), 'utf8')) as CpuProfile;
    const summary = summarize(profile, { fromUs, toUs });
    if (summary.samples === 0) throw new Error('no profile sample fell in the measured window');
    const budget = budgetOf(profile, { fromUs, toUs }, m.ops, m.cpuMsPerOp);

    const allocations = heap
      ? renderHeapSummary(summarizeHeap(JSON.parse(readFileSync(heapFile, 'utf8')) as HeapProfile), m.ops)
      : undefined;
    const what =
      targetName === 'peer'
        ? 'The hand-written Apollo peer (`bench/apolloPeer.ts`, `NODE_ENV=production`)'
        : targetName === 'mercurius'
          ? 'The Fastify + Mercurius peer (`bench/mercuriusPeer.ts`, `jit: 1`)'
          : 'The compiled gateway (as `npm run bench` runs it: default limits, `LOG_LEVEL=info`, metrics on, tracing configured but not sampling)';
    const report = `# invites-gateway ${heap ? 'CPU and allocation' : 'CPU'} profile (\`npm run bench:profile\`)

${machine.date}, ${machine.cpu}, ${machine.cores} cores, Node.js ${machine.node}, ${process.env.BENCH_GATEWAY && targetName === 'gateway' ? `gateway build ${shownPath(GATEWAY_ENTRY)} (BENCH_GATEWAY), checkout at commit ${machine.commit}` : `commit ${machine.commit}`}; a shared, noisy machine.

${what} under \`node --cpu-prof --cpu-prof-interval=${intervalUs}\`, behind the fast upstream, on **${benchCase.label}, ${benchCase.connections} connections**: ${warmupSeconds} s warm-up, then ${seconds} s measured (${m.opsPerSec.toFixed(0)} ops/s, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms, ${failureCount(m.failures)} failed; the profiler itself slows it down somewhat). Only samples from the measured ${seconds} s count; the process was stopped with SIGTERM and exited ${exit.code ?? exit.signal}.

## CPU budget by component

${renderBudget(budget)}

## CPU

${renderSummary(summary)}
${allocations ? `\n## Allocations\n\n${allocations}\n` : ''}`;
    writeReport(outFile, report);
    writeFileSync(
      outFile.replace(/\.md$/, '') + '.json',
      `${JSON.stringify({ target: targetName, caseId, label: benchCase.label, connections: benchCase.connections, date: machine.date, commit: machine.commit, build: targetName === 'gateway' ? shownPath(GATEWAY_ENTRY) : undefined, ...budget }, null, 2)}\n`,
    );
    process.stdout.write(`\n${report}\nWritten to ${path.relative(ROOT, outFile)}\n`);
    if (process.env.PROFILE_KEEP === '1') process.stdout.write(`profiles kept in ${workDir}\n`);
    return failureCount(m.failures) > 0 ? 1 : 0;
  } finally {
    await stopAll();
    if (process.env.PROFILE_KEEP !== '1') rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`profile failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
