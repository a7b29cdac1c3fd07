import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ORGS_SUBGRAPH_SDL, startOrgsSubgraph } from '../federation/orgsSubgraph';
import { ROUTER_ENV, ROUTER_HEADERS, ROUTER_SECRET } from './attack';
import { freePort } from './gatewayProcess';
import { startStack, type TestStack } from './stack';
import { composeSupergraph, fetchSubgraphSdl } from './supergraph';

/**
 * Hive Gateway in front of the composition of the invites gateway and the organizations subgraph,
 * both running: the simulator, the invites gateway in its router audience (ROUTER_SECRET set: only
 * a caller with the secret is the router), the organizations subgraph, then the `hive-gateway`
 * CLI as its own process, serving the supergraph composed here from the subgraphs' live SDL with
 * `hiveGateway.config.ts`. Its own process and the CLI rather than the runtime inside jest: that
 * is how it is deployed, and the response cache's CommonJS build (which jest would load) cannot
 * read a subgraph's Cache-Control header. Nothing leaves the machine: no Hive Console, CDN or
 * usage reporting is configured, and the process gets no HIVE_* environment.
 */

/** Demand control's budget in the tests, unless a test asks for another. */
const HIVE_MAX_COST = 1000;

const CONFIG_FILE = path.join(__dirname, 'hiveGateway.config.ts');
const CLI = require.resolve('@graphql-hive/gateway/package.json').replace(/package\.json$/, path.join('dist', 'bin.js'));

export interface HiveStack {
  /** The simulator and the invites gateway (in its router audience) in front of it. */
  readonly stack: TestStack;
  /** `http://127.0.0.1:PORT/graphql` of Hive Gateway. */
  readonly url: string;
  /** The supergraph it serves, composed from the subgraphs' SDL as they served it to the router. */
  readonly supergraphSdl: string;
  close(): Promise<void>;
}

export interface HiveStackOptions {
  /**
   * Demand control's `maxCost`, or how to work it out from the subgraphs' SDL (for a budget set
   * by the declared weights); `HIVE_MAX_COST` by default.
   */
  readonly maxCost?: number | ((invitesSdl: string, orgsSdl: string) => number);
  /**
   * The HS256 key the router verifies callers' scopes JWTs with (`HIVE_SCOPES_JWT_KEY`): when
   * given, the router enforces `@requiresScopes` and refuses a request without a valid JWT in
   * `SCOPES_JWT_HEADER` (see `hiveGateway.config.ts`). Unset by default: no scope is enforced.
   */
  readonly scopesJwtKey?: string;
}

/** Starts `hive-gateway supergraph` and resolves once it says it is listening (rejects if it exits first). */
async function startHiveGatewayProcess(supergraphFile: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [CLI, 'supergraph', supergraphFile, '--config-path', CONFIG_FILE, '--host', '127.0.0.1', '--port', String(port)],
    {
      cwd: path.dirname(supergraphFile),
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const listening = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Listening on')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`hive-gateway exited (${code ?? signal}) before listening:\n${output}`)));
  });
  try {
    await listening;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { child, url: `http://127.0.0.1:${port}/graphql` };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

export async function startHiveStack(options: HiveStackOptions = {}): Promise<HiveStack> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };
  try {
    const stack = await startStack({ env: { ...ROUTER_ENV } });
    closers.push(() => stack.close());
    const orgs = await startOrgsSubgraph();
    closers.push(() => orgs.stop());

    const invitesSdl = await fetchSubgraphSdl(stack.graphqlUrl, ROUTER_HEADERS);
    const supergraphSdl = composeSupergraph([
      { name: 'invites', sdl: invitesSdl, url: stack.graphqlUrl },
      { name: 'orgs', sdl: ORGS_SUBGRAPH_SDL, url: orgs.url },
    ]);
    const dir = mkdtempSync(path.join(tmpdir(), 'hive-gateway-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    const supergraphFile = path.join(dir, 'supergraph.graphql');
    writeFileSync(supergraphFile, supergraphSdl);

    const hive = await startHiveGatewayProcess(supergraphFile, {
      INVITES_ROUTER_SECRET: ROUTER_SECRET,
      HIVE_MAX_COST: String(
        typeof options.maxCost === 'function' ? options.maxCost(invitesSdl, ORGS_SUBGRAPH_SDL) : (options.maxCost ?? HIVE_MAX_COST),
      ),
      ...(options.scopesJwtKey !== undefined ? { HIVE_SCOPES_JWT_KEY: options.scopesJwtKey } : {}),
    });
    closers.push(() => stopProcess(hive.child));
    return { stack, url: hive.url, supergraphSdl, close };
  } catch (error) {
    await close();
    throw error;
  }
}
