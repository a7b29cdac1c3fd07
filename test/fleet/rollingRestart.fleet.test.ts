import { SimulatorServer } from '../../src/simulator/SimulatorServer';
import { Balancer, BalancerChecks, startBalancer } from '../support/haproxy';
import { freePort, GatewayProcess, startGatewayProcess } from '../support/gatewayProcess';
import { DEMO_ORG, INVITE_MEMBER, LIST_INVITES } from '../support/operations';
import { RedisServer, startRedis } from '../support/redisServer';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS } from '../support/stack';

/**
 * A fleet as a platform team runs it: three built gateways behind HAProxy, sharing a Redis, the
 * simulator as upstream, and clients that never stop. Every replica is restarted in turn (SIGTERM,
 * then a new process on its port), with the balancer settings docs/operations.md recommends: a replica's
 * `/readyz` turns 503 at the signal, the balancer's checks (every `intervalMs`, out after `fall`)
 * notice it inside the drain delay, and only then does the replica stop listening. Not one read
 * may fail, and every write must land exactly once.
 */

jest.setTimeout(180_000);

const REPLICAS = ['gateway1', 'gateway2', 'gateway3'] as const;
/** The drain delay, and checks that notice a 503 well inside it: at worst 2 × 400 ms after the signal, < 2 s. */
const DRAIN_DELAY_MS = 2_000;
const CHECKS: BalancerChecks = { intervalMs: 400, fall: 2, rise: 1 };
const CLIENTS = 6;
/** One request in this many is a write. */
const WRITE_EVERY = 8;

interface LoadReport {
  readonly reads: number;
  readonly writes: readonly string[];
  readonly failures: readonly string[];
}

let simulator: SimulatorServer;
let redis: RedisServer;
let balancer: Balancer;
const ports: Record<string, number> = {};
const replicas = new Map<string, GatewayProcess>();

function startReplica(name: string): Promise<GatewayProcess> {
  return startGatewayProcess({
    PORT: String(ports[name]),
    NODE_ENV: 'production',
    LOSANT_API_URL: simulator.url,
    REDIS_URL: redis.url,
    LOG_LEVEL: 'warn',
    SHUTDOWN_TIMEOUT_MS: '8000',
    SHUTDOWN_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS),
  });
}

async function untilBalancerSays(name: string, state: string): Promise<void> {
  while ((await balancer.serverStates())[name] !== state) await new Promise((resolve) => setTimeout(resolve, 50));
}

beforeAll(async () => {
  simulator = new SimulatorServer();
  await simulator.listen(0, '127.0.0.1');
  redis = await startRedis();
  for (const name of REPLICAS) ports[name] = await freePort();
  for (const name of REPLICAS) replicas.set(name, await startReplica(name));
  balancer = await startBalancer(ports, CHECKS);
  for (const name of REPLICAS) await untilBalancerSays(name, 'UP');
});

afterAll(async () => {
  for (const replica of replicas.values()) replica.kill();
  await balancer?.stop();
  await redis?.stop();
  await simulator?.close();
});

/** Clients sending reads and writes through the balancer until `stop` is called; every failure is kept. */
let loads = 0;

function startLoad(): { stop(): Promise<LoadReport> } {
  const run = ++loads;
  let running = true;
  let reads = 0;
  let sequence = 0;
  const writes: string[] = [];
  const failures: string[] = [];
  const client = async (id: number): Promise<void> => {
    for (let n = 0; running; n++) {
      const write = n % WRITE_EVERY === WRITE_EVERY - 1;
      const email = `fleet-${run}-${id}-${sequence++}@example.com`;
      const body = write
        ? { query: INVITE_MEMBER, variables: { ...DEMO_ORG, invite: { email, role: 'VIEW' } } }
        : { query: LIST_INVITES, variables: DEMO_ORG };
      try {
        const response = await fetch(`${balancer.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKENS.admin}` },
          body: JSON.stringify(body),
        });
        const json = (await response.json()) as { errors?: unknown[] };
        if (response.status !== 200 || json.errors)
          failures.push(`${write ? 'write' : 'read'}: HTTP ${response.status} ${JSON.stringify(json.errors ?? '')}`);
        else if (write) writes.push(email);
        else reads++;
      } catch (error) {
        failures.push(`${write ? 'write' : 'read'}: ${String(error)}`);
      }
    }
  };
  const clients = Array.from({ length: CLIENTS }, (_, id) => client(id));
  return {
    async stop() {
      running = false;
      await Promise.all(clients);
      return { reads, writes, failures };
    },
  };
}

async function rollingRestart(): Promise<void> {
  for (const name of REPLICAS) {
    const old = replicas.get(name)!;
    old.child.kill('SIGTERM');
    expect(await old.exited).toEqual({ code: 0, signal: null });
    replicas.set(name, await startReplica(name));
    await untilBalancerSays(name, 'UP');
  }
}

function expectNothingLost(report: LoadReport, name: string): void {
  // The counts, for whoever reads the run: how much traffic crossed the restarts.
  console.log(`fleet (${name}): ${report.reads} reads and ${report.writes.length} writes answered, ${report.failures.length} failed`);
  expect(report.failures).toEqual([]);
  expect(report.reads).toBeGreaterThan(50);
  expect(report.writes.length).toBeGreaterThan(5);
  // Each write the clients saw succeed is in the upstream exactly once.
  const stored = (simulator.store.invites(DEMO_INSTANCE_ID, DEMO_ORG_ID) ?? []).map((invite) => invite.email);
  for (const email of report.writes)
    expect({ email, times: stored.filter((candidate) => candidate === email).length }).toEqual({ email, times: 1 });
}

test('a rolling restart of all three replicas under load loses no request and no write', async () => {
  const load = startLoad();
  await rollingRestart();
  const report = await load.stop();
  expectNothingLost(report, 'rolling restart');
});

test('the same with Redis killed mid-load, the replicas restarted without it, then Redis back', async () => {
  const load = startLoad();
  const redisPort = redis.port;
  await redis.stop();
  await rollingRestart();
  redis = await startRedis(redisPort);
  await rollingRestart();
  const report = await load.stop();
  expectNothingLost(report, 'Redis killed, two rolling restarts');
});
