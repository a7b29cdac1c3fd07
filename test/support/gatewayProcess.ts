import { ChildProcess, spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { listen } from '../../src/http/listen';
import { stopListening } from '../../src/http/openSockets';

/** A compiled gateway running as its own process (built once by globalSetup). */
export interface GatewayProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Resolves with the exit code (or the signal that ended it). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends SIGKILL if it is still running. */
  kill(): void;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  const { port } = await listen(server, 0, '127.0.0.1');
  await stopListening(server);
  return port;
}

/** The compiled entry point; `TEST_BUILD_DIR` comes from globalSetup. */
export function builtEntryPoint(): string {
  const dir = process.env.TEST_BUILD_DIR;
  if (!dir) throw new Error('TEST_BUILD_DIR is not set: run the tests through jest (globalSetup builds the gateway)');
  return path.join(dir, 'src', 'main.js');
}

/**
 * Starts `node dist/src/main.js` with the given environment (on a free port unless PORT is given)
 * and, unless `waitUntilHealthy` is false, waits until `/healthz` answers. Its stdout goes to the
 * run's log file too, so the token check covers spawned gateways, unless `appendToRunLog` is false:
 * on the embedded simulator the gateway prints the published demo tokens on purpose (the banner).
 */
export async function startGatewayProcess(
  env: Record<string, string>,
  { waitUntilHealthy = true, appendToRunLog = true } = {},
): Promise<GatewayProcess> {
  const port = env.PORT ?? String(await freePort());
  const child = spawn(process.execPath, [builtEntryPoint()], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: port, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const logFile = appendToRunLog ? process.env.TEST_LOG_FILE : undefined;
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (logFile) appendFileSync(logFile, chunk);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const running: GatewayProcess = {
    child,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
  if (!waitUntilHealthy) return running;
  const deadline = Date.now() + 20_000;
  let stopped = false;
  void exited.then(() => (stopped = true));
  while (Date.now() < deadline && !stopped) {
    try {
      if ((await fetch(`${running.url}/healthz`)).ok) return running;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  running.kill();
  throw new Error(`the gateway process did not become healthy:\n${output}`);
}
