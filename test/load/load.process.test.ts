/**
 * A bounded load test: the compiled gateway runs in its own process (so its memory is its own),
 * in front of a simulator in this process, and autocannon drives `orgInvites` with the demo admin
 * token for a warm-up and a measured run while the child's RSS is sampled from /proc.
 *
 * Asserts: no request failed (errors, timeouts, non-2xx, resets, and bodies different from a
 * sample checked against the simulator's data: all 0), and RSS does not grow from the second to
 * the last third of the measured run.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { SimulatorServer } from '../../src/simulator/SimulatorServer';
import { builtEntryPoint, freePort } from '../support/gatewayProcess';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS } from '../../src/simulator/demoData';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../..');
const WARMUP_SECONDS = 3;
const MEASURED_SECONDS = 30;
const CONNECTIONS = 10;
const RSS_SAMPLE_MS = 250;

/*
 * Memory tolerance: the median RSS of the last third may exceed the second third's by 10% plus
 * 8 MB. RSS moves without any leak: V8 resizes its young generation and grows old space in steps,
 * collects on its own schedule, and the allocator keeps freed pages mapped; 10% + 8 MB absorbs
 * that on a ~100 MB process. A real per-request leak is not absorbed: each third is ~10 s of load,
 * so at even 1,000 req/s a third is 10,000 requests, and a leak of ~1 KB per request (a kept
 * context, loader cache or socket) adds ~10 MB on top of the 8 MB and, since it grows without
 * bound, more with every second. Medians (not maxima) keep one GC spike from deciding.
 */
const RSS_GROWTH_FACTOR = 1.1;
const RSS_GROWTH_SLACK_KB = 8 * 1024;

const QUERY = `query LoadOrgInvites($instanceId: ID!, $orgId: ID!) {
  orgInvites(instanceId: $instanceId, orgId: $orgId, sortField: EMAIL, sortDirection: ASC) {
    count sortField sortDirection
    items { id email role hasExpired disallowTransfer applicationRoles { resourceId role } dashboardRoles { resourceId role } }
  }
}`;
const REQUEST_BODY = JSON.stringify({ query: QUERY, variables: { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID } });
const REQUEST_HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKENS.admin}` };

let simulator: SimulatorServer | undefined;
let child: ChildProcess | undefined;
/** The child's recent output, for the failure message when it does not start or dies. */
let childOutput = '';

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child?.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  await simulator?.close();
});

/** The gateway globalSetup compiled for this run, checked to have the JSON schemas it imports. */
function build(): string {
  const main = builtEntryPoint();
  // tsc copies the JSON schemas the code imports (resolveJsonModule); without them it cannot start.
  const validators = readFileSync(path.join(ROOT, 'src/contract/validators.ts'), 'utf8');
  const schemas = [...validators.matchAll(/from '\.\/schemas\/([\w.]+\.json)'/g)].map((m) => m[1]);
  expect(schemas.length).toBeGreaterThan(0);
  for (const schema of schemas) expect(existsSync(path.join(path.dirname(main), 'contract/schemas', schema))).toBe(true);
  return main;
}

function startChild(main: string, upstreamUrl: string, port: number): ChildProcess {
  const started = spawn(process.execPath, [main], {
    // Only what the gateway needs, so that nothing in the test environment changes its config.
    env: {
      PATH: process.env.PATH ?? '',
      LOSANT_API_URL: upstreamUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer): void => {
    childOutput = (childOutput + chunk.toString('utf8')).slice(-8_000);
  };
  started.stdout?.on('data', keep);
  started.stderr?.on('data', keep);
  return started;
}

async function waitForHealth(baseUrl: string, gateway: ChildProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gateway.exitCode !== null || gateway.signalCode !== null) {
      throw new Error(`the gateway exited (${gateway.exitCode ?? gateway.signalCode}) before answering /healthz:\n${childOutput}`);
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the gateway did not answer /healthz within ${timeoutMs} ms:\n${childOutput}`);
}

/** VmRSS of a process in kB, from /proc/<pid>/status. */
function rssKb(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const mb = (kb: number): string => (kb / 1024).toFixed(1);

function run(url: string, seconds: number, expectBody: string): Promise<autocannon.Result> {
  return Promise.resolve(
    autocannon({
      url,
      method: 'POST',
      headers: REQUEST_HEADERS,
      body: REQUEST_BODY,
      connections: CONNECTIONS,
      duration: seconds,
      expectBody,
    }),
  );
}

/** Every way a request can fail, as autocannon counts them; all must be 0. */
function failures(result: autocannon.Result): Record<string, number> {
  return { errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, mismatches: result.mismatches, resets: result.resets };
}

test(`orgInvites under load: ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${MEASURED_SECONDS} s measured, no failures, flat RSS`, async () => {
  const main = build();
  simulator = new SimulatorServer();
  const upstreamUrl = await simulator.listen(0, '127.0.0.1');
  const port = await freePort();
  child = startChild(main, upstreamUrl, port);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(baseUrl, child);
  const pid = child.pid!;

  // One request checked against the simulator's data; every response under load must equal it.
  const sample = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers: REQUEST_HEADERS, body: REQUEST_BODY });
  const sampleText = await sample.text();
  expect(sample.status).toBe(200);
  const held = simulator.store.invites(DEMO_INSTANCE_ID, DEMO_ORG_ID)!;
  const byEmail = [...held].sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  expect(JSON.parse(sampleText)).toEqual({
    data: {
      orgInvites: {
        count: held.length,
        sortField: 'EMAIL',
        sortDirection: 'ASC',
        items: byEmail.map((invite) => ({
          id: invite.id,
          email: invite.email,
          role: invite.role.toUpperCase(),
          hasExpired: invite.hasExpired,
          disallowTransfer: invite.disallowTransfer,
          applicationRoles: (invite.applicationRoles ?? []).map((g) => ({ resourceId: g.resourceId, role: g.role.toUpperCase() })),
          dashboardRoles: (invite.dashboardRoles ?? []).map((g) => ({ resourceId: g.resourceId, role: g.role.toUpperCase() })),
        })),
      },
    },
  });

  const url = `${baseUrl}/graphql`;
  const rssAtStart = rssKb(pid);
  const warmup = await run(url, WARMUP_SECONDS, sampleText);
  expect(failures(warmup)).toEqual({ errors: 0, timeouts: 0, non2xx: 0, mismatches: 0, resets: 0 });

  const samples: number[] = [];
  const sampler = setInterval(() => {
    samples.push(rssKb(pid));
    // The simulator records every request; drop them so this process does not grow instead.
    simulator!.requests.length = 0;
  }, RSS_SAMPLE_MS);
  let measured: autocannon.Result;
  try {
    measured = await run(url, MEASURED_SECONDS, sampleText);
  } finally {
    clearInterval(sampler);
  }

  const third = Math.floor(samples.length / 3);
  const secondThird = median(samples.slice(third, 2 * third));
  const lastThird = median(samples.slice(2 * third));
  console.log(
    `load: ${measured.requests.average.toFixed(0)} req/s avg over ${measured.duration} s (${measured['2xx']} × 2xx, ${CONNECTIONS} connections), ` +
      `latency p50 ${measured.latency.p50} ms p99 ${measured.latency.p99} ms max ${measured.latency.max} ms; ` +
      `gateway RSS ${mb(rssAtStart)} MB before warm-up, median ${mb(secondThird)} MB (2nd third) → ${mb(lastThird)} MB (last third), ` +
      `max ${mb(Math.max(...samples))} MB over ${samples.length} samples`,
  );

  expect(failures(measured)).toEqual({ errors: 0, timeouts: 0, non2xx: 0, mismatches: 0, resets: 0 });
  expect(measured['2xx']).toBeGreaterThan(0);
  expect(measured['2xx']).toBe(measured.requests.total);
  expect(samples.length).toBeGreaterThanOrEqual((MEASURED_SECONDS * 1000) / RSS_SAMPLE_MS / 2);
  expect(lastThird).toBeLessThanOrEqual(secondThird * RSS_GROWTH_FACTOR + RSS_GROWTH_SLACK_KB);

  // Still up and serving after the load.
  expect(child.exitCode).toBeNull();
  expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
});
