import { loadConfig } from '../../src/config/config';
import pino, { Logger } from 'pino';
import { createLogger } from '../../src/observability/logger';
import { RunningGateway, startGateway } from '../../src/server/startGateway';
import { SimulatorOptions, SimulatorServer } from '../../src/simulator/SimulatorServer';
import { DEMO_TOKENS } from '../../src/simulator/demoData';

export * from '../../src/simulator/demoData';

let sharedLogDestination: pino.DestinationStream | undefined;

/**
 * Test gateways log at debug level into the run's log file (see globalSetup), so that
 * globalTeardown can check that no token ever reached a log line.
 */
export function testLogger(): Logger {
  const file = process.env.TEST_LOG_FILE;
  if (!file) return createLogger('silent');
  sharedLogDestination ??= pino.destination({ dest: file, append: true, sync: true });
  return createLogger('debug', sharedLogDestination);
}

/** A simulator and a gateway in front of it, both on free loopback ports. */
export interface TestStack {
  readonly simulator: SimulatorServer;
  readonly gateway: RunningGateway;
  /** `http://127.0.0.1:PORT/graphql` */
  readonly graphqlUrl: string;
  close(): Promise<void>;
}

export interface StackOptions {
  readonly simulator?: SimulatorOptions;
  /** Extra environment for the gateway's config (e.g. `UPSTREAM_TIMEOUT_MS`). */
  readonly env?: Record<string, string>;
  /** Point the gateway at this URL instead of the simulator (the simulator still starts). */
  readonly upstreamUrl?: string;
  /** Passed to the gateway as when it runs on the embedded simulator (the playground prefills it). */
  readonly demoToken?: string;
  /** The gateway's logger, for a test that reads its lines; by default the run's log file (see `testLogger`). */
  readonly logger?: Logger;
}

/**
 * Settings for test stacks: loopback, fast retries, and a breaker that only the fault tests (which
 * set their own threshold) can open, so one test's injected failures never leak into the next.
 */
const TEST_DEFAULTS: Record<string, string> = {
  PORT: '0',
  HOST: '127.0.0.1',
  NODE_ENV: 'test',
  UPSTREAM_RETRY_BASE_DELAY_MS: '5',
  UPSTREAM_RETRY_MAX_DELAY_MS: '20',
  BREAKER_THRESHOLD: '1000',
};

export async function startStack(options: StackOptions = {}): Promise<TestStack> {
  const simulator = new SimulatorServer(options.simulator);
  const simulatorUrl = await simulator.listen(0, '127.0.0.1');
  const { gateway, graphqlUrl } = await startTestGateway(options.upstreamUrl ?? simulatorUrl, options);
  return {
    simulator,
    gateway,
    graphqlUrl,
    async close() {
      await gateway.close();
      await simulator.close();
    },
  };
}

/** A gateway alone, in front of an upstream something else owns (e.g. a second gateway on a stack's simulator). */
export interface TestGateway {
  readonly gateway: RunningGateway;
  /** `http://127.0.0.1:PORT/graphql` */
  readonly graphqlUrl: string;
  /** Closes the gateway only; the upstream stays up. */
  close(): Promise<void>;
}

/** Starts a gateway with the test settings in front of `upstreamUrl`. */
export async function startTestGateway(
  upstreamUrl: string,
  options: Pick<StackOptions, 'env' | 'demoToken' | 'logger'> = {},
): Promise<TestGateway> {
  const config = loadConfig({ ...TEST_DEFAULTS, ...options.env });
  const gateway = await startGateway({ config, logger: options.logger ?? testLogger(), upstreamUrl, demoToken: options.demoToken });
  return { gateway, graphqlUrl: `${gateway.url}/graphql`, close: () => gateway.close() };
}

export interface GraphQLResult<TData = Record<string, unknown>> {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: {
    data?: TData | null;
    errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
  };
}

export interface RequestOptions {
  readonly variables?: Record<string, unknown>;
  /** Bearer token to send; `null` sends no Authorization header. Defaults to the demo admin token. */
  readonly token?: string | null;
  readonly headers?: Record<string, string>;
  readonly accept?: string;
}

/** Sends one GraphQL POST over real HTTP and answers status, content type and parsed body. */
export async function graphql<TData = Record<string, unknown>>(
  url: string,
  query: string,
  options: RequestOptions = {},
): Promise<GraphQLResult<TData>> {
  const token = options.token === undefined ? DEMO_TOKENS.admin : options.token;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: options.accept ?? 'application/graphql-response+json, application/json',
      ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: (await response.json()) as GraphQLResult<TData>['body'],
  };
}

/** The `extensions.code` of each error, for compact assertions. */
export function errorCodes(result: GraphQLResult<unknown>): unknown[] {
  return (result.body.errors ?? []).map((error) => error.extensions?.code);
}
