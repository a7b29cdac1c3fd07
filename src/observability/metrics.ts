import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BreakerState } from '../rest/resilience/ResilientInvitesApi';
import type { BuildInfo } from './buildInfo';

/** Operation names become label values; past this many distinct ones they read as "other". */
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** From 1 ms (a cached or local answer) to 10 s (the default upstream timeout). */
const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Why a request was answered before GraphQL ran: no operation line is logged for it and no
 * operation counted, so without these it would not be seen at all.
 */
export const REFUSAL_REASONS = ['body_too_large', 'invalid_json', 'batch_too_large', 'document_not_trusted', 'bad_request'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** What the gauges of work in progress read when `/metrics` is scraped. */
export interface LoadSources {
  /** HTTP requests being answered (probes and `/metrics` included). */
  readonly requestsInFlight: () => number;
  /** The process-wide upstream call queue: calls running, and calls waiting for a place. */
  readonly upstream: () => { readonly running: number; readonly queued: number };
}

const BREAKER_STATE_VALUE: Readonly<Record<BreakerState, number>> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * The gateway's Prometheus metrics, in a registry of its own (so several gateways in one process,
 * as in tests, do not collide). Served at `/metrics`.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();

  readonly operations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations by name, type and outcome (ok, or the first error code).',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly operationDuration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'Time from receiving a GraphQL operation to its response, by name and type.',
    labelNames: ['operation', 'type'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });

  /**
   * Filled by the compiled executor (COMPILED_EXECUTION, on by default): with it off, Apollo runs
   * graphql-js itself and nothing is counted. `reason` is "none" for compiled operations.
   */
  readonly executions = new Counter({
    name: 'graphql_executions_total',
    help: 'GraphQL operations executed, by executor: compiled (graphql-jit) or interpreted (graphql-js), with the reason an operation was not compiled.',
    labelNames: ['mode', 'reason'] as const,
    registers: [this.registry],
  });

  readonly upstreamCalls = new Counter({
    name: 'upstream_requests_total',
    help: 'Calls to the Losant REST API by action and HTTP status ("none" when no answer came).',
    labelNames: ['action', 'status'] as const,
    registers: [this.registry],
  });

  readonly upstreamDuration = new Histogram({
    name: 'upstream_request_duration_seconds',
    help: 'Duration of calls to the Losant REST API by action.',
    labelNames: ['action'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });

  /** Only with LIST_CACHE_TTL_MS set; `deaf`: read upstream because the cache could not hear other replicas' invalidations. */
  readonly listCacheReads = new Counter({
    name: 'list_cache_reads_total',
    help: 'Invite list reads by the list cache, by outcome: hit, miss, or deaf (not served: invalidations from other replicas cannot be heard).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly listCacheInvalidations = new Counter({
    name: 'list_cache_invalidations_total',
    help: "List cache invalidations by source: local (a mutation here), remote (another replica's), reset (all dropped after a time invalidations could not be heard).",
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  readonly upstreamRetries = new Counter({
    name: 'upstream_retries_total',
    help: 'Retried upstream calls by action and the error that caused the retry.',
    labelNames: ['action', 'code'] as const,
    registers: [this.registry],
  });

  readonly connectionsRefused = new Counter({
    name: 'http_connections_refused_total',
    help: 'Client connections closed as soon as they were accepted because MAX_CONNECTIONS were open.',
    registers: [this.registry],
  });

  readonly upstreamCallsLimited = new Counter({
    name: 'upstream_calls_limited_total',
    help: 'Upstream calls stopped or cut short by a limit of the gateway itself (OPERATION_TIMEOUT_MS, UPSTREAM_MAX_QUEUE), not by the upstream; the circuit breaker does not count them.',
    labelNames: ['action', 'limit'] as const,
    registers: [this.registry],
  });

  readonly requestsRefused = new Counter({
    name: 'http_requests_refused_total',
    help: 'Requests to /graphql answered before any GraphQL ran, by reason (body_too_large, invalid_json, batch_too_large, document_not_trusted, bad_request: what the GraphQL server refuses, CSRF included).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'graphql_operations_rate_limited_total',
    help: 'GraphQL operations refused RATE_LIMITED because their token had used its share of the upstream quota (RATE_LIMIT_POINTS REST calls per RATE_LIMIT_WINDOW_SECONDS); nothing of them was sent upstream.',
    registers: [this.registry],
  });

  readonly breakerState = new Gauge({
    name: 'upstream_circuit_state',
    help: 'State of the upstream circuit breaker: 0 closed, 1 half-open, 2 open.',
    registers: [this.registry],
  });

  /**
   * Registered at the first readiness ping rather than at start: a replica that has not pinged yet
   * must not read as one whose upstream is down.
   */
  private readonly upstreamReachable = new Gauge({
    name: 'upstream_reachable',
    help: 'Whether the upstream answered the last readiness ping: 1 yes, 0 no (absent until the first ping).',
    registers: [],
  });

  /** Registered only with REDIS_URL: a replica without Redis must not read as one whose Redis is down. */
  private readonly redisUp = new Gauge({
    name: 'redis_up',
    help: 'Whether the shared caches use Redis: 1 until a command or the connection fails (1 from the start, before Redis has answered), 0 degraded (a command failed or outlasted REDIS_COMMAND_TIMEOUT_MS, or the connection failed; caches read as misses) until a recovery ping answers. Absent without REDIS_URL.',
    registers: [],
  });

  private readonly redisCommandFailures = new Counter({
    name: 'redis_command_failures_total',
    help: 'Redis failures by reason (timeout or error): cache commands that failed or outlasted REDIS_COMMAND_TIMEOUT_MS (each read as a cache miss), connection errors, and recovery pings that failed while degraded.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.breakerState.set(0);
    for (const reason of REFUSAL_REASONS) this.requestsRefused.inc({ reason }, 0);
  }

  /** `invites_gateway_build_info{version,commit,node} 1`: which replicas run what, joined onto other series by instance. */
  describeBuild(build: BuildInfo): void {
    new Gauge({
      name: 'invites_gateway_build_info',
      help: 'Always 1; its labels say which version, commit and Node.js this replica runs.',
      labelNames: ['version', 'commit', 'node'] as const,
      registers: [this.registry],
    }).set({ version: build.version, commit: build.commit, node: build.node }, 1);
  }

  /** Gauges of the work in progress, read at each scrape (`/readyz` has the same figures). */
  watchLoad(sources: LoadSources): void {
    this.gaugeReading('http_requests_in_flight', 'HTTP requests this replica is answering now.', sources.requestsInFlight);
    this.gaugeReading(
      'upstream_calls_in_flight',
      'Upstream calls running now (at most UPSTREAM_MAX_CONCURRENCY).',
      () => sources.upstream().running,
    );
    this.gaugeReading(
      'upstream_calls_queued',
      'Upstream calls waiting for a place (at most UPSTREAM_MAX_QUEUE; past it, calls are refused).',
      () => sources.upstream().queued,
    );
  }

  /** A gauge whose value is read from `read` when `/metrics` is scraped, not kept up to date. */
  private gaugeReading(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  /** A bounded label value for a client-chosen operation name. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.operationNames.add(name);
    return name;
  }

  setBreakerState(state: BreakerState): void {
    this.breakerState.set(BREAKER_STATE_VALUE[state]);
  }

  setRedisState(state: 'ok' | 'degraded'): void {
    this.setOnceRegistered('redis_up', this.redisUp, state === 'ok' ? 1 : 0);
  }

  countRedisFailure(reason: 'timeout' | 'error'): void {
    this.redisCommandFailures.inc({ reason });
  }

  setUpstreamReachable(reachable: boolean): void {
    this.setOnceRegistered('upstream_reachable', this.upstreamReachable, reachable ? 1 : 0);
  }

  /** Sets a gauge kept out of the registry until it has a value, registering it on its first set. */
  private setOnceRegistered(name: string, gauge: Gauge, value: number): void {
    // prom-client's typings do not expose a metric's name: the caller says it.
    if (!this.registry.getSingleMetric(name)) this.registry.registerMetric(gauge);
    gauge.set(value);
  }
}
