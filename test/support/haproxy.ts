import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './gatewayProcess';

/** How the balancer checks its servers: the settings docs/operations.md recommends, scaled to the tests' drain delay. */
export interface BalancerChecks {
  /** Milliseconds between two `/readyz` checks of one server. */
  readonly intervalMs: number;
  /** Failed checks in a row that take a server out. */
  readonly fall: number;
  /** Passed checks in a row that bring it back. */
  readonly rise: number;
}

export interface Balancer {
  /** `http://127.0.0.1:PORT`, in front of every server. */
  readonly url: string;
  /** Each server's state as HAProxy sees it (`UP`, `DOWN`, `UP 1/2`, ...), by name. */
  serverStates(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * What docs/operations.md recommends a balancer in front of the replicas does, as HAProxy lines: a fresh
 * server connection a request (no race with a replica closing an idle one), and a request whose
 * connection failed, which never reached a replica, retried on another. deploy/compose's
 * haproxy.cfg carries them too (test/deploy/compose.process.test.ts).
 */
export const BALANCER_SETTINGS: readonly string[] = [
  'option http-server-close',
  'http-reuse never',
  'retries 3',
  'option redispatch 1',
  'retry-on conn-failure',
];

/** Debian installs it in /usr/sbin, which a non-root PATH may lack (when jest runs without npm test). */
export function haproxyCommand(): string {
  return existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : 'haproxy';
}

/**
 * HAProxy (Debian's `haproxy`, installed by scripts/test-tools.sh) in front of gateway replicas, as
 * docs/operations.md's "Several replicas" describes: `/readyz` health checks, one fresh server connection a
 * request (no reuse race with a replica closing idle connections), and a request whose connection
 * failed (nothing was sent: safe for a POST too) retried on another server.
 */
export async function startBalancer(servers: Readonly<Record<string, number>>, checks: BalancerChecks): Promise<Balancer> {
  const port = await freePort();
  const statsPort = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'haproxy-'));
  const config = [
    'global',
    '  maxconn 2000',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    ...BALANCER_SETTINGS.map((line) => `  ${line}`),
    `frontend api`,
    `  bind 127.0.0.1:${port}`,
    '  default_backend gateways',
    'backend gateways',
    '  balance roundrobin',
    '  option httpchk GET /readyz',
    '  http-check expect status 200',
    `  default-server inter ${checks.intervalMs} fall ${checks.fall} rise ${checks.rise}`,
    ...Object.entries(servers).map(([name, serverPort]) => `  server ${name} 127.0.0.1:${serverPort} check`),
    'frontend stats',
    `  bind 127.0.0.1:${statsPort}`,
    '  stats enable',
    '  stats uri /stats',
    '',
  ].join('\n');
  const file = path.join(dir, 'haproxy.cfg');
  writeFileSync(file, config);
  execFileSync(haproxyCommand(), ['-c', '-q', '-f', file]);
  const child: ChildProcess = spawn(haproxyCommand(), ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const serverStates = async (): Promise<Record<string, string>> => {
    const csv = await (await fetch(`http://127.0.0.1:${statsPort}/stats;csv`)).text();
    const states: Record<string, string> = {};
    for (const line of csv.split('\n')) {
      const fields = line.split(',');
      if (fields[0] === 'gateways' && fields[1] in servers) states[fields[1]] = fields[17];
    }
    return states;
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await serverStates();
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`haproxy did not start:\n${errors}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url: `http://127.0.0.1:${port}`,
    serverStates,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
