import { HeaderMap } from '@apollo/server';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/config';
import { buildGatewaySchema } from '../graphql/buildGatewaySchema';
import { InviteLoader } from '../loaders/InviteLoader';
import { GatewayMetrics } from '../observability/metrics';
import { requestIdentity } from '../observability/requestIdentity';
import { createPlayground } from '../playground/playground';
import { HttpInvitesApi } from '../rest/httpInvitesApi';
import type { InvitesApi } from '../rest/invitesApi';
import { ResilientInvitesApi } from '../rest/resilience/ResilientInvitesApi';
import { createApolloServer } from './apolloServer';
import type { GatewayContext } from './context';
import { GatewayHttpServer } from './httpServer';
import { readinessCheck } from './readiness';
import { createSharedCaches } from './sharedCaches';

export interface RunningGateway {
  /** Base URL, e.g. `http://localhost:4000`; GraphQL is at `${url}/graphql`. */
  readonly url: string;
  /**
   * Stops accepting connections, lets in-flight requests finish (up to `SHUTDOWN_TIMEOUT_MS`),
   * then releases everything. `/readyz` answers 503 from the moment it is called.
   */
  readonly close: () => Promise<void>;
}

export interface GatewayDependencies {
  readonly config: GatewayConfig;
  readonly logger: Logger;
  /** Base URL of the upstream to talk to (the configured one, or the embedded simulator's). */
  readonly upstreamUrl: string;
  /** Token the playground prefills; pass it only when `upstreamUrl` is the embedded simulator. */
  readonly demoToken?: string;
}

/** Wires config → REST client → loaders → schema → Apollo → HTTP and starts listening. */
export async function startGateway({ config, logger, upstreamUrl, demoToken }: GatewayDependencies): Promise<RunningGateway> {
  const metrics = config.metrics ? new GatewayMetrics() : undefined;
  const transport = new HttpInvitesApi({
    baseUrl: upstreamUrl,
    timeoutMs: config.upstreamTimeoutMs,
    onCall: (call) => {
      metrics?.upstreamCalls.inc({ action: call.action, status: call.status ?? 'none' });
      metrics?.upstreamDuration.observe({ action: call.action }, call.durationMs / 1000);
      // Checked first: the log object would otherwise be built on every call and thrown away at info.
      if (logger.isLevelEnabled('debug')) {
        logger.debug({ requestId: call.requestId, upstream: { ...call, durationMs: Math.round(call.durationMs * 10) / 10 } }, 'upstream call');
      }
    },
  });
  const api = new ResilientInvitesApi(transport, {
    retry: { maxAttempts: config.upstreamMaxAttempts, baseDelayMs: config.upstreamRetryBaseDelayMs, maxDelayMs: config.upstreamRetryMaxDelayMs },
    breakerThreshold: config.breakerThreshold,
    breakerCooldownMs: config.breakerCooldownMs,
    maxConcurrentCalls: config.upstreamMaxConcurrency,
    maxQueuedCalls: config.upstreamMaxQueue,
    onRetry: (retry) => {
      metrics?.upstreamRetries.inc({ action: retry.action, code: retry.errorCode });
      logger.info({ retry }, 'retrying upstream call');
    },
    onBreakerStateChange: (state) => {
      metrics?.setBreakerState(state);
      logger.warn({ breaker: state }, 'upstream circuit breaker changed state');
    },
  });
  const caches = createSharedCaches(config.redisUrl, config.caches, logger);
  const apollo = createApolloServer({
    schema: await buildGatewaySchema(),
    logger,
    introspection: config.introspection,
    limits: config.limits,
    caches,
    cacheLimits: config.caches,
    metrics,
    compiledExecution: config.compiledExecution,
  });
  await apollo.start();

  const http: GatewayHttpServer = new GatewayHttpServer({
    apollo,
    logger,
    maxBodyBytes: config.limits.maxBodyBytes,
    maxBatchSize: config.limits.maxBatchSize,
    playground: config.playground ? createPlayground({ demoToken }) : undefined,
    metrics: metrics ? () => metrics.registry.metrics() : undefined,
    readiness: readinessCheck({
      ping: () => transport.ping(config.readinessTimeoutMs),
      breakerState: () => api.breakerState,
      draining: () => http.draining,
    }),
    createContext: (headers) => createContext(headers, api, logger, config),
  });
  const url = await http.listen(config.port, config.host);
  return {
    url,
    close: async () => {
      await http.close(config.shutdownTimeoutMs);
      await apollo.stop();
      await caches.close();
      transport.close();
    },
  };
}

/** Everything per request: its identity, the caller's credentials and a fresh loader. */
function createContext(headers: HeaderMap, api: InvitesApi, logger: Logger, config: GatewayConfig): GatewayContext {
  const { requestId, traceparent } = requestIdentity(headers.get('x-request-id'), headers.get('traceparent'));
  return {
    requestId,
    authorization: headers.get('authorization'),
    losantdomain: headers.get('losantdomain'),
    invites: new InviteLoader(api, {
      maxConcurrentCalls: config.upstreamConcurrencyPerRequest,
      deadline: Date.now() + config.operationTimeoutMs,
      requestId,
      traceparent,
    }),
    logger: logger.child({ requestId }),
  };
}
