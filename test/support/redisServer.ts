import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { freePort } from './gatewayProcess';

/** A throwaway redis-server on a loopback port, without persistence (`npm test` installs it: scripts/test-tools.sh). */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Runs a redis-cli command against it and answers the output. */
  cli(...args: string[]): string;
  /** Stops the server process (SIGSTOP): connections stay open, commands get no answer. */
  freeze(): void;
  /** Lets a frozen server answer again (SIGCONT). */
  thaw(): void;
  /** Ends it, frozen or not. */
  stop(): Promise<void>;
}

/** Starts one on `port` (a free one by default): a Redis restarted on its old port is the same URL to its clients. */
export async function startRedis(port?: number): Promise<RedisServer> {
  try {
    execFileSync('redis-server', ['--version']);
  } catch {
    throw new Error(
      'redis-server is not installed: run `apt-get install -y redis-server` (npm test does this through scripts/test-tools.sh)',
    );
  }
  port ??= await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const cli = (...args: string[]): string => execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).trim();
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if (cli('PING') === 'PONG') break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('redis-server did not start');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    cli,
    freeze: () => child.kill('SIGSTOP'),
    thaw: () => child.kill('SIGCONT'),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // A frozen server would hold SIGTERM until it runs again.
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
