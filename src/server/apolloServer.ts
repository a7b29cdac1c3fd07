import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Tracer } from '@opentelemetry/api';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { explainIntrospectionOff } from '../errors/introspectionOff';
import { maskUnexpectedErrors } from '../errors/maskUnexpectedErrors';
import { explainRouterOnlyFields } from '../errors/routerOnly';
import { compiledExecution, type ExecutionMode } from '../graphql/execution/compiledExecution';
import { cacheControlHeaderPlugin, staticCacheControlPlugin } from '../graphql/caching/staticCacheControlPlugin';
import type { CacheLimits, RequestLimits } from '../config/settings';
import { documentLimitRules } from '../limits/documentLimits';
import { hideSchemaInErrorsPlugin } from '../limits/hideSchemaInErrors';
import { formatLimitErrors } from '../limits/limitErrors';
import { operationLimitsPlugin } from '../limits/operationLimitsPlugin';
import { responseLimitsPlugin } from '../limits/responseLimitsPlugin';
import type { UpstreamRateLimit } from '../limits/upstreamRateLimit';
import { inlineTracePlugin } from '../observability/inlineTrace';
import { observabilityPlugin } from '../observability/observabilityPlugin';
import type { GatewayMetrics } from '../observability/metrics';
import type { GatewayContext } from '../context/gatewayContext';
import type { SharedCaches } from './sharedCaches';

export interface ApolloOptions {
  readonly schema: GraphQLSchema;
  readonly logger: Logger;
  readonly introspection: boolean;
  readonly limits: RequestLimits;
  readonly caches: SharedCaches;
  /** Caps the compiled-operation cache as `caches` caps the others. */
  readonly cacheLimits: CacheLimits;
  readonly metrics?: GatewayMetrics;
  /** Execute with compiled operations (graphql-jit) rather than graphql-js's interpreter. */
  readonly compiledExecution: boolean;
  /**
   * Who this server answers: `clients` (the API schema; an ftv1 header is ignored and federation's
   * fields are refused with `ROUTER_ONLY`) or the federation `router` (the subgraph schema).
   */
  readonly audience: 'clients' | 'router';
  /** For the router: answer its `apollo-federation-include-trace: ftv1` with the inline trace. */
  readonly federatedTraces: boolean;
  /** When tracing is on: a span per operation. */
  readonly tracer?: Tracer;
  /** Each token's share of the upstream quota (`RATE_LIMIT_POINTS`); absent when the limit is off. */
  readonly rateLimit?: UpstreamRateLimit;
}

/** The GraphQL engine, without any HTTP: `GatewayHttpServer.ts` feeds it requests. */
export function createApolloServer({
  schema,
  logger,
  introspection,
  limits,
  caches,
  cacheLimits,
  metrics,
  compiledExecution: compiled,
  audience,
  federatedTraces,
  tracer,
  rateLimit,
}: ApolloOptions): ApolloServer<GatewayContext> {
  const explainingRouterOnly = audience === 'clients' ? explainRouterOnlyFields : <T>(next: T): T => next;
  return new ApolloServer<GatewayContext>({
    // Apollo's gateway interface is its one hook for another executor; Apollo still parses,
    // validates, caches documents and runs every plugin.
    ...(compiled
      ? {
          gateway: compiledExecution(schema, {
            maxBytes: cacheLimits.compiledMaxBytes,
            maxEntryBytes: cacheLimits.maxEntryBytes,
            onExecution: reportExecution(logger, metrics),
          }),
        }
      : { schema }),
    introspection,
    // The parser stops past MAX_TOKENS: every later check is then bounded by the document's size.
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: documentLimitRules(limits),
    // Stack traces never leave the process; the masked error's correlation id finds the log line.
    includeStacktraceInErrorResponses: false,
    formatError: formatLimitErrors(limits.maxTokens, explainIntrospectionOff(explainingRouterOnly(maskUnexpectedErrors(logger)))),
    // Apollo's default landing page loads its UI from a CDN, which air-gapped networks cannot reach.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // A router asks for inline traces (ftv1) with a header; requests without it pay for one header
      // lookup. Anyone else's header is ignored: a trace is several times the answer's size and CPU.
      audience === 'router' && federatedTraces ? inlineTracePlugin() : ApolloServerPluginInlineTraceDisabled(),
      // The schema's @cacheControl hints, as one policy per operation computed from its document;
      // Apollo's plugin turns it into the Cache-Control header (docs/router.md, "Caching").
      staticCacheControlPlugin<GatewayContext>(),
      cacheControlHeaderPlugin<GatewayContext>(),
      operationLimitsPlugin(limits, rateLimit),
      // With introspection off, errors must not describe the schema to whoever probes it.
      ...(introspection ? [] : [hideSchemaInErrorsPlugin(limits.maxTokens)]),
      // Before observability, whose log line and metrics must see the answer as sent.
      responseLimitsPlugin(),
      observabilityPlugin(logger, metrics, tracer),
    ],
    // Automatic persisted queries and parsed documents, capped by bytes (Apollo's defaults are
    // not: they size a document by its JSON, which leaves its source text out); in Redis too when
    // REDIS_URL is set.
    cache: caches.cache,
    documentStore: caches.documentStore,
    // Off unless MAX_BATCH_SIZE allows it; the HTTP layer caps the batch size.
    allowBatchedHttpRequests: limits.maxBatchSize > 0,
    // CSRF prevention stays on (Apollo's default): GETs need a preflight-forcing header.
    csrfPrevention: true,
    // The process owns SIGTERM/SIGINT (src/main.ts) and stops Apollo after draining HTTP; Apollo's
    // own handlers would stop it at once, and a second stop() in @apollo/server 5 never returns.
    stopOnTerminationSignals: false,
    logger: {
      debug: (message: string) => logger.debug(message),
      info: (message: string) => logger.info(message),
      warn: (message: string) => logger.warn(message),
      error: (message: string) => logger.error(message),
    },
  });
}

/**
 * Counts each operation by the executor that ran it, and logs at debug why one was not compiled:
 * its name and the reason only, never its document or variables.
 */
function reportExecution(
  logger: Logger,
  metrics: GatewayMetrics | undefined,
): (execution: ExecutionMode, operationName: string | undefined) => void {
  return (execution, operationName) => {
    metrics?.executions.inc({ mode: execution.mode, reason: execution.mode === 'interpreted' ? execution.reason : 'none' });
    if (execution.mode === 'interpreted' && logger.isLevelEnabled('debug'))
      logger.debug({ operation: operationName ?? null, reason: execution.reason }, 'operation executed by graphql-js, not compiled');
  };
}
