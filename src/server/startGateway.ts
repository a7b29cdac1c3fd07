import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApolloServer, HeaderMap } from '@apollo/server';
import type { Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/settings';
import { buildApiSchemaOnce, buildGatewaySchema } from '../graphql/buildGatewaySchema';
import { RequestContext } from '../context/RequestContext';
import { ResponseBudget } from '../context/responseBudget';
import { UpstreamCallBudget } from '../context/UpstreamCallBudget';
import { validationFingerprint } from '../limits/validationFingerprint';
import { InviteLoader } from '../loaders/InviteLoader';
import { buildInfo } from '../observability/buildInfo';
import { GatewayMetrics } from '../observability/metrics';
import { requestIdentity } from '../observability/requestIdentity';
import { traceLogFields } from '../observability/tracing/traceContext';
import { startRequestSpan } from '../observability/tracing/requestSpan';
import { createPlayground } from '../playground/playground';
import { HttpInvitesApi } from '../rest/HttpInvitesApi';
import type { InvitesApi } from '../rest/invitesApi';
import { ResilientInvitesApi } from '../rest/resilience/ResilientInvitesApi';
import { createApolloServer } from './apolloServer';
import type { GatewayContext } from '../context/gatewayContext';
import { createCorsHandler } from './cors';
import { GatewayHttpServer, type RouterEndpoint } from './GatewayHttpServer';
import { readinessCheck } from './readiness';
import { MetricsServer } from './MetricsServer';
import { routerRoleOf } from './routerAccess';
import { withListCache } from './listCache';
import { createSharedCaches } from './sharedCaches';
import { committedTrustedDocuments } from './trustedDocumentManifest';
import { TrustedDocuments } from './TrustedDocuments';
import { upstreamHealthLog } from './upstreamHealthLog';
import { createUpstreamRateLimiter } from './upstreamRateLimiter';
import type { UpstreamRateLimit } from '../limits/upstreamRateLimit';

export interface RunningGateway {
  /** Base URL, e.g. `http://localhost:4000`; GraphQL is at `${url}/graphql`. */
  readonly url: string;
  /**
   * The graceful stop. `/readyz` answers 503 from the moment it is called, while connections are
   * still accepted and served for `SHUTDOWN_DRAIN_DELAY_MS`; then it stops listening, lets
   * in-flight requests finish until `SHUTDOWN_TIMEOUT_MS` has passed (both counted from `since`,
   * default now), cuts what is left, and releases everything (Apollo, caches, upstream
   * connections). Calling it again answers the same promise.
   */
  readonly close: (options?: { readonly since?: number }) => Promise<void>;
}

export interface GatewayDependencies {
  readonly config: GatewayConfig;
  readonly logger: Logger;
  /** Base URL of the upstream to talk to (the configured one, or the embedded simulator's). */
  readonly upstreamUrl: string;
  /** Token the playground prefills; pass it only when `upstreamUrl` is the embedded simulator. */
  readonly demoToken?: string;
  /** Aborting it during start-up releases what was made and rejects with the signal's reason, without listening. */
  readonly abortSignal?: AbortSignal;
  /**
   * When tracing is on (see `observability/tracing/sdk.ts`): a span for each GraphQL request, for
   * each of its operations and for each upstream call. Without it, the caller's trace context is
   * still passed upstream.
   */
  readonly tracer?: Tracer;
}

/** Wires config → REST client → loaders → schema → Apollo → HTTP and starts listening. */
export async function startGateway({
  config,
  logger,
  upstreamUrl,
  demoToken,
  abortSignal,
  tracer,
}: GatewayDependencies): Promise<RunningGateway> {
  const checkpoint = (): Promise<void> => (abortSignal ? stopIfAborted(abortSignal) : Promise.resolve());
  await checkpoint();
  const metrics = config.metrics ? new GatewayMetrics() : undefined;
  const transport = new HttpInvitesApi({
    baseUrl: upstreamUrl,
    timeoutMs: config.upstream.timeoutMs,
    maxListItems: config.limits.maxResponseItems,
    tracer,
    onCall: (call) => {
      metrics?.upstreamCalls.inc({ action: call.action, status: call.status ?? 'none' });
      metrics?.upstreamDuration.observe({ action: call.action }, call.durationMs / 1000);
      // Checked first: the log object would otherwise be built on every call and thrown away at info.
      if (logger.isLevelEnabled('debug')) {
        const { trace, requestId, ...upstream } = call;
        logger.debug(
          { requestId, ...(trace && traceLogFields(trace)), upstream: { ...upstream, durationMs: Math.round(call.durationMs * 10) / 10 } },
          'upstream call',
        );
      }
    },
  });
  const api = new ResilientInvitesApi(transport, {
    retry: config.upstream.retry,
    breakerThreshold: config.upstream.breaker.threshold,
    breakerMinCallers: config.upstream.breaker.minCallers,
    breakerCooldownMs: config.upstream.breaker.cooldownMs,
    maxConcurrentCalls: config.upstream.maxConcurrency,
    maxQueuedCalls: config.upstream.maxQueue,
    onRetry: (retry) => {
      metrics?.upstreamRetries.inc({ action: retry.action, code: retry.errorCode });
      logger.info({ retry }, 'retrying upstream call');
    },
    onGatewayLimit: (limited) => metrics?.upstreamCallsLimited.inc({ action: limited.action, limit: limited.limit }),
    onBreakerStateChange: (state) => {
      metrics?.setBreakerState(state);
      logger.warn({ breaker: state }, 'upstream circuit breaker changed state');
    },
  });
  const caches = createSharedCaches(
    config.redisUrl,
    config.caches,
    logger,
    { fingerprint: validationFingerprint({ ...config.limits, introspection: config.introspection }), maxTokens: config.limits.maxTokens },
    { onStateChange: (state) => metrics?.setRedisState(state), onFailure: (reason) => metrics?.countRedisFailure(reason) },
  );
  if (caches.redisHealth) metrics?.setRedisState(caches.redisHealth().state);
  // Under each request's loader, above the safety rails: a hit takes no place in the upstream queue.
  const listCache = withListCache(api, {
    settings: config.listCache,
    redisUrl: config.redisUrl,
    redisCommandTimeoutMs: config.caches.redisCommandTimeoutMs,
    logger,
    metrics,
  });
  // One limiter for both audiences: the router forwards the caller's token, so the caller's share is
  // the same whether it calls directly or through the router.
  const rateLimit: UpstreamRateLimit | undefined =
    config.rateLimit.points > 0
      ? {
          limiter: createUpstreamRateLimiter(config.rateLimit, caches.redis),
          onRefused: (refusal) => {
            metrics?.rateLimited.inc();
            logger.info(
              {
                requestId: refusal.requestId,
                rateLimit: {
                  caller: refusal.caller,
                  calls: refusal.calls,
                  remaining: refusal.remaining,
                  resetSeconds: refusal.resetSeconds,
                },
              },
              "operation refused: its token's share of the upstream quota is spent",
            );
          },
        }
      : undefined;
  // Apollo servers are stopped on the way out only once started: before that they hold nothing and refuse `stop`.
  const startedApollos: Array<ApolloServer<GatewayContext>> = [];
  const release = async (): Promise<void> => {
    await Promise.all(startedApollos.map((started) => started.stop()));
    await caches.close();
    await listCache.close();
    transport.close();
  };
  const apolloFor = async (audience: 'clients' | 'router'): Promise<ApolloServer<GatewayContext>> => {
    const server = createApolloServer({
      schema: audience === 'clients' ? await buildApiSchemaOnce() : await buildGatewaySchema(),
      logger,
      introspection: config.introspection,
      limits: config.limits,
      // Shared: Apollo keys parsed documents by schema, and the APQ cache by document.
      caches,
      cacheLimits: config.caches,
      metrics,
      compiledExecution: config.compiledExecution,
      audience,
      federatedTraces: config.federatedTraces,
      tracer,
      rateLimit,
    });
    await checkpoint();
    await server.start();
    startedApollos.push(server);
    await checkpoint();
    return server;
  };
  // Clients see the API schema; the subgraph schema (`_service`, `_entities`, inline traces) is
  // served to the federation router alone, and exists only when some caller can be the router.
  const roleOf = routerRoleOf(config.router);
  let apollo: ApolloServer<GatewayContext>;
  let router: RouterEndpoint | undefined;
  try {
    apollo = await apolloFor('clients');
    if (roleOf) router = { apollo: await apolloFor('router'), roleOf };
  } catch (error) {
    await release();
    throw error;
  }

  let listening = false;
  const upstreamHealth = upstreamHealthLog(logger);
  const http: GatewayHttpServer = new GatewayHttpServer({
    apollo,
    router,
    logger,
    maxBodyBytes: config.limits.maxBodyBytes,
    maxBatchSize: config.limits.maxBatchSize,
    maxResponseBytes: config.limits.maxResponseBytes,
    socketLimits: config.sockets,
    onConnectionRefused: () => metrics?.connectionsRefused.inc(),
    onRequestRefused: (reason) => metrics?.requestsRefused.inc({ reason }),
    cors: createCorsHandler(config.cors),
    playground: config.playground ? createPlayground({ demoToken }) : undefined,
    metrics: metrics && config.metricsPort === undefined ? () => metrics.registry.metrics() : undefined,
    readiness: readinessCheck(
      {
        ping: () => transport.ping(config.readinessTimeoutMs),
        breakerState: () => api.breakerState,
        started: () => listening,
        draining: () => http.draining,
        load: () => api.load,
        onPing: (ping) => {
          metrics?.setUpstreamReachable(ping.reachable);
          upstreamHealth.report(ping);
        },
        redis: caches.redisHealth,
      },
      { includeUpstream: config.readinessIncludesUpstream },
    ),
    createContext: (headers, req, res) => createContext(headers, listCache.api, logger, config, tracer && { tracer, req, res }),
    trustedDocuments:
      config.trustedDocuments === 'off'
        ? undefined
        : // A refused request is counted as Apollo counts a document it cannot parse (no name, no type).
          new TrustedDocuments(config.trustedDocuments, committedTrustedDocuments(), (code) =>
            metrics?.operations.inc({ operation: metrics.operationLabel(null), type: 'unknown', outcome: code }),
          ),
  });
  metrics?.describeBuild(buildInfo(config.buildCommit));
  metrics?.watchLoad({ requestsInFlight: () => http.requestsInFlight, upstream: () => api.load });
  const metricsServer =
    metrics && config.metricsPort !== undefined
      ? new MetricsServer(() => metrics.registry.metrics(), config.metricsPort, config.host)
      : undefined;
  let url: string;
  try {
    await metricsServer?.listen();
    url = await http.listen(config.port, config.host);
    await checkpoint();
  } catch (error) {
    await metricsServer?.close();
    await http.close();
    await release();
    throw error;
  }
  listening = true;

  let closing: Promise<void> | undefined;
  const close = async (since: number): Promise<void> => {
    http.startDraining();
    const drainUntil = since + config.shutdownDrainDelayMs;
    if (drainUntil > Date.now()) await new Promise((resolve) => setTimeout(resolve, drainUntil - Date.now()));
    await http.close(Math.max(0, since + config.shutdownTimeoutMs - Date.now()));
    // Scraped until the API's last request is done, so the final figures can still be read.
    await metricsServer?.close();
    // Apollo stops only once no request can reach it any more: it refuses operations once stopping.
    await release();
  };
  return {
    url,
    close: (options) => (closing ??= close(options?.since ?? Date.now())),
  };
}

/**
 * Rejects with the signal's reason once aborted. It first lets the event loop turn once: start-up
 * steps can chain promises for a long time without one, and a process signal is only delivered
 * when the loop polls.
 */
export async function stopIfAborted(signal: AbortSignal): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  signal.throwIfAborted();
}

/** What tracing needs to give a request its server span. */
interface RequestTracing {
  readonly tracer: Tracer;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
}

/** Everything per request: its identity and trace, the caller's credentials and a fresh loader. */
function createContext(
  headers: HeaderMap,
  api: InvitesApi,
  logger: Logger,
  config: GatewayConfig,
  tracing: RequestTracing | undefined,
): GatewayContext {
  const { requestId, callerTrace } = requestIdentity(headers);
  const trace = tracing ? startRequestSpan(tracing.tracer, callerTrace, tracing.req, tracing.res) : callerTrace;
  const traceIds = traceLogFields(trace);
  // One deadline for the upstream calls and for building and serialising the answer.
  const deadline = Date.now() + config.operationTimeoutMs;
  return new RequestContext({
    requestId,
    authorization: headers.get('authorization'),
    losantdomain: headers.get('losantdomain'),
    inviteLoader: InviteLoader.forRequest(api, {
      maxConcurrentCalls: config.upstream.concurrencyPerRequest,
      deadline,
      requestId,
      trace,
    }),
    upstreamBudget: new UpstreamCallBudget(),
    responseBudget: new ResponseBudget(config.limits.maxResponseItems, deadline),
    maxPageSize: config.limits.maxPageSize,
    trace,
    logFields: traceIds ? { requestId, ...traceIds } : { requestId },
    rootLogger: logger,
  });
}
