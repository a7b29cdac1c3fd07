/**
 * The one place that reads `process.env`: `loadConfig` turns the environment into the gateway's
 * settings (`./settings`), with the value readers of `./readers`. Every setting is parsed and
 * checked here, so a bad value stops the process at start-up with a message that names the
 * variable, instead of surfacing later as a confusing runtime failure. Every variable read here is
 * listed in `./variables` (test/config/variables.test.ts keeps the two equal).
 */
import { ConfigError } from './ConfigError';
import { CONFIG_CHECK_MODES, findMisconfigurations } from './environmentCheck';
import { type Env, GiB, KiB, MiB, readBoolean, readChoice, readInteger, readRatio, readRedisUrl, readUrl } from './readers';
import {
  type CorsOrigins,
  DEFAULT_MAX_RESPONSE_ITEMS,
  type GatewayConfig,
  LOG_LEVELS,
  OTLP_PROTOCOLS,
  type RouterAccess,
  type SocketLimits,
  TRACE_SAMPLERS,
  type TracingSettings,
  TRUSTED_DOCUMENTS_MODES,
  type UpstreamSettings,
} from './settings';

// Start-up (src/main.ts) loads this module alone, after its signal handlers, and tells a bad setting by its class.
export { ConfigError } from './ConfigError';

/** `LOSANT_API_URL` (checked by the caller, which knows whether it may be left out) and the protections around calls to it. */
function readUpstream(env: Env, url: string | undefined): UpstreamSettings {
  return Object.freeze({
    url,
    timeoutMs: readInteger(env, 'UPSTREAM_TIMEOUT_MS', 10_000, 1, 300_000),
    retry: Object.freeze({
      maxAttempts: readInteger(env, 'UPSTREAM_MAX_ATTEMPTS', 3, 1, 10),
      baseDelayMs: readInteger(env, 'UPSTREAM_RETRY_BASE_DELAY_MS', 100, 0, 60_000),
      maxDelayMs: readInteger(env, 'UPSTREAM_RETRY_MAX_DELAY_MS', 2_000, 0, 600_000),
    }),
    breaker: Object.freeze({
      threshold: readInteger(env, 'BREAKER_THRESHOLD', 5, 1, 1000),
      // 2: one caller's failures alone (one token, or one organization) never open the circuit for all.
      minCallers: readInteger(env, 'BREAKER_MIN_CALLERS', 2, 1, 100),
      // 1 s: clients are served again within about a second of the upstream's return.
      cooldownMs: readInteger(env, 'BREAKER_COOLDOWN_MS', 1_000, 8, 600_000),
    }),
    maxConcurrency: readInteger(env, 'UPSTREAM_MAX_CONCURRENCY', 64, 1, 10_000),
    maxQueue: readInteger(env, 'UPSTREAM_MAX_QUEUE', 1_000, 0, 1_000_000),
    concurrencyPerRequest: readInteger(env, 'UPSTREAM_CONCURRENCY_PER_REQUEST', 8, 1, 256),
  });
}

/** Long enough that guessing it over HTTP is hopeless (`openssl rand -base64 32` gives 44). */
const MIN_ROUTER_SECRET_LENGTH = 32;
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
/** Headers the gateway reads for other purposes, or that proxies rewrite. */
const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'losantdomain',
  'cookie',
  'host',
  'content-type',
  'content-length',
  'apollo-federation-include-trace',
]);

function readRouterAccess(env: Env, nodeEnv: string): RouterAccess {
  const secret = env.ROUTER_SECRET?.trim() || undefined;
  // The secret's value never appears in an error: start-up errors reach logs.
  if (secret !== undefined && secret.length < MIN_ROUTER_SECRET_LENGTH) {
    throw new ConfigError(
      'ROUTER_SECRET',
      `must be at least ${MIN_ROUTER_SECRET_LENGTH} characters long (a random value, e.g. \`openssl rand -base64 32\`), got ${secret.length}`,
    );
  }
  if (secret !== undefined && !/^[\x21-\x7e]+$/.test(secret))
    throw new ConfigError('ROUTER_SECRET', 'must be printable ASCII without spaces (it travels in an HTTP header)');
  const header = (env.ROUTER_SECRET_HEADER?.trim() || 'router-authorization').toLowerCase();
  if (!HEADER_NAME.test(header)) throw new ConfigError('ROUTER_SECRET_HEADER', `must be an HTTP header name, got "${header}"`);
  if (RESERVED_HEADERS.has(header))
    throw new ConfigError('ROUTER_SECRET_HEADER', `must not be a header the gateway or proxies already use, got "${header}"`);
  return Object.freeze({ secret, header, openWithoutSecret: secret === undefined && nodeEnv !== 'production' });
}

function readSocketLimits(env: Env): SocketLimits {
  const requestTimeoutMs = readInteger(env, 'REQUEST_TIMEOUT_MS', 30_000, 1, 600_000);
  // Node refuses a server whose headers may take longer than the whole request: the default follows a shorter request timeout.
  const headersTimeoutMs = readInteger(env, 'HEADERS_TIMEOUT_MS', Math.min(10_000, requestTimeoutMs), 1, 600_000);
  if (headersTimeoutMs > requestTimeoutMs)
    throw new ConfigError('HEADERS_TIMEOUT_MS', `must not exceed REQUEST_TIMEOUT_MS (${requestTimeoutMs}), got ${headersTimeoutMs}`);
  return Object.freeze({
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: readInteger(env, 'KEEP_ALIVE_TIMEOUT_MS', 5_000, 1, 600_000),
    maxConnections: readInteger(env, 'MAX_CONNECTIONS', 1_024, 0, 1_000_000),
  });
}

/**
 * `CORS_ORIGINS`: a comma-separated list of exact origins. Unset, no origin is allowed in
 * production and every loopback origin is elsewhere. A wildcard is refused: it would let every
 * website its users visit call the gateway and read the answers, which on an internal network
 * undoes the protection of being unreachable from outside.
 */
function readCorsOrigins(env: Env, nodeEnv: string): CorsOrigins {
  const raw = env.CORS_ORIGINS?.trim();
  if (!raw) return Object.freeze({ origins: Object.freeze([]), loopback: nodeEnv !== 'production' });
  const origins = new Set<string>();
  for (const entry of raw.split(',').map((part) => part.trim())) {
    if (entry === '') continue;
    if (entry.includes('*')) {
      throw new ConfigError(
        'CORS_ORIGINS',
        `must list exact origins; "${entry}" is a wildcard, which would let any website call the gateway`,
      );
    }
    // Browsers send an origin without path, query or trailing slash; anything more would never match.
    const url = /^https?:\/\/[^/?#\s]+$/i.test(entry) ? parseUrl(entry) : undefined;
    // Not echoed: what looks like credentials may be real ones.
    if (url && (url.username || url.password))
      throw new ConfigError('CORS_ORIGINS', 'must list origins as scheme://host[:port], without credentials');
    if (!url) throw new ConfigError('CORS_ORIGINS', `must list origins as scheme://host[:port] (http or https, no path), got "${entry}"`);
    // The serialised origin, as browsers send it: lower-case host, default port left out.
    origins.add(url.origin);
  }
  if (origins.size === 0) throw new ConfigError('CORS_ORIGINS', `must list at least one origin, got "${raw}"`);
  return Object.freeze({ origins: Object.freeze([...origins]), loopback: false });
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/**
 * The drain delay lives inside the shutdown timeout, so the process still exits within
 * `SHUTDOWN_TIMEOUT_MS` (+ 1 s): an explicit delay must leave time for in-flight requests. The
 * production default (5 s, for load balancers to notice) shrinks to half a shorter timeout rather
 * than refuse it; elsewhere the default is 0, so Ctrl-C stops a local gateway at once.
 */
function readDrainDelay(env: Env, nodeEnv: string, shutdownTimeoutMs: number): number {
  const fallback = nodeEnv === 'production' ? Math.min(5_000, Math.floor(shutdownTimeoutMs / 2)) : 0;
  const value = readInteger(env, 'SHUTDOWN_DRAIN_DELAY_MS', fallback, 0, 600_000);
  if (value > 0 && value >= shutdownTimeoutMs) {
    throw new ConfigError(
      'SHUTDOWN_DRAIN_DELAY_MS',
      `must be less than SHUTDOWN_TIMEOUT_MS (${shutdownTimeoutMs}), which it is part of; got ${value}`,
    );
  }
  return value;
}

function readTracing(env: Env): TracingSettings {
  // Stricter than the specification, which reads anything but "true" as false: a typo stops the start.
  const disabled = readBoolean(env, 'OTEL_SDK_DISABLED', false);
  const exporter = env.OTEL_TRACES_EXPORTER?.trim()
    ? readChoice(env, 'OTEL_TRACES_EXPORTER', ['otlp', 'none'] as const, 'otlp')
    : undefined;
  const endpoints = ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'].filter(
    (name) => readUrl(env, name) !== undefined,
  );
  const protocolVariable = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL?.trim()
    ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
    : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  if (env[protocolVariable]?.trim().toLowerCase() === 'grpc') {
    throw new ConfigError(
      protocolVariable,
      'must be http/protobuf or http/json: the gateway does not ship the gRPC exporter (collectors take OTLP over HTTP on port 4318)',
    );
  }
  const sampler = readChoice(env, 'OTEL_TRACES_SAMPLER', TRACE_SAMPLERS, 'parentbased_always_on');
  return Object.freeze({
    enabled: !disabled && exporter !== 'none' && (exporter === 'otlp' || endpoints.length > 0),
    protocol: readChoice(env, protocolVariable, OTLP_PROTOCOLS, 'http/protobuf'),
    sampler,
    // The specification ignores the argument of the other samplers; so does this.
    samplerRatio: sampler.endsWith('traceidratio') ? readRatio(env, 'OTEL_TRACES_SAMPLER_ARG', 1) : 1,
  });
}

/** A label value: a commit hash or tag, never free text. */
function readBuildCommit(env: Env): string {
  const raw = env.BUILD_COMMIT?.trim();
  if (!raw) return 'unknown';
  if (!/^[\w.+-]{1,64}$/.test(raw))
    throw new ConfigError('BUILD_COMMIT', `must be a commit hash or tag (letters, digits, . _ + -, at most 64), got "${raw}"`);
  return raw;
}

/** Parses and validates the gateway's settings; throws `ConfigError` naming the first bad variable. */
export function loadConfig(env: Env = process.env): GatewayConfig {
  const configWarnings = checkEnvironment(env);
  const nodeEnv = env.NODE_ENV?.trim() || 'development';
  const losantApiUrl = readUrl(env, 'LOSANT_API_URL');
  if (losantApiUrl === undefined && nodeEnv === 'production') {
    // The embedded simulator accepts published demo tokens: never a production default.
    throw new ConfigError('LOSANT_API_URL', 'is required when NODE_ENV=production (e.g. https://api.losant.com)');
  }
  const shutdownTimeoutMs = readInteger(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000);
  return Object.freeze({
    port: readInteger(env, 'PORT', 4000, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    upstream: readUpstream(env, losantApiUrl),
    operationTimeoutMs: readInteger(env, 'OPERATION_TIMEOUT_MS', 15_000, 1, 600_000),
    limits: Object.freeze({
      maxTokens: readInteger(env, 'MAX_TOKENS', 1_000, 50, 1_000_000),
      // 15 is what the standard introspection query (GraphiQL, code generators) needs.
      maxDepth: readInteger(env, 'MAX_QUERY_DEPTH', 15, 1, 100),
      maxAliases: readInteger(env, 'MAX_ALIASES', 30, 0, 10_000),
      maxDirectives: readInteger(env, 'MAX_DIRECTIVES', 50, 0, 10_000),
      maxIntrospectionFields: readInteger(env, 'MAX_INTROSPECTION_FIELDS', 3, 0, 100),
      maxUpstreamCalls: readInteger(env, 'MAX_UPSTREAM_CALLS_PER_OPERATION', 25, 1, 10_000),
      maxBodyBytes: readInteger(env, 'MAX_BODY_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
      maxBatchSize: readInteger(env, 'MAX_BATCH_SIZE', 0, 0, 100),
      // Two lists of the largest organizations seen in practice (a few thousand invites) fit; 25
      // aliases of a 5,000-invite list (44 MB, half a gigabyte of heap to build) do not.
      maxResponseItems: readInteger(env, 'MAX_RESPONSE_ITEMS', DEFAULT_MAX_RESPONSE_ITEMS, 1, 10_000_000),
      maxResponseBytes: readInteger(env, 'MAX_RESPONSE_BYTES', 8 * MiB, 1 * KiB, 1 * GiB),
      // A screenful or a few: frontends page 10 to 50 at a time; a whole list is `orgInvites`.
      maxPageSize: readInteger(env, 'MAX_PAGE_SIZE', 100, 1, 10_000),
    }),
    sockets: readSocketLimits(env),
    simulatorPort: readInteger(env, 'SIMULATOR_PORT', 0, 0, 65535),
    simulatorHost: env.SIMULATOR_HOST?.trim() || '127.0.0.1',
    introspection: readBoolean(env, 'INTROSPECTION', nodeEnv !== 'production'),
    playground: readBoolean(env, 'PLAYGROUND', nodeEnv !== 'production'),
    nodeEnv,
    logLevel: readChoice(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    redisUrl: readRedisUrl(env, 'REDIS_URL'),
    caches: Object.freeze({
      documentMaxBytes: readInteger(env, 'DOCUMENT_CACHE_MAX_BYTES', 32 * MiB, 64 * KiB, 16 * GiB),
      apqMaxBytes: readInteger(env, 'APQ_CACHE_MAX_BYTES', 16 * MiB, 64 * KiB, 16 * GiB),
      compiledMaxBytes: readInteger(env, 'COMPILED_CACHE_MAX_BYTES', 32 * MiB, 64 * KiB, 16 * GiB),
      maxEntryBytes: readInteger(env, 'CACHE_MAX_ENTRY_BYTES', 4 * MiB, 1 * KiB, 16 * GiB),
      redisTtlSeconds: readInteger(env, 'REDIS_CACHE_TTL_SECONDS', 24 * 60 * 60, 1, 30 * 24 * 60 * 60),
      // A cache lookup on the same network answers in a millisecond or two; a Redis that takes a
      // quarter of a second is as good as away, and a miss costs only a parse and a validation.
      redisCommandTimeoutMs: readInteger(env, 'REDIS_COMMAND_TIMEOUT_MS', 250, 1, 10_000),
    }),
    listCache: Object.freeze({
      // Off by default: a cached list is one a caller may see up to this long after another
      // replica's write it could not hear of (README, "For the router", "Caching").
      ttlMs: readInteger(env, 'LIST_CACHE_TTL_MS', 0, 0, 5 * 60_000),
      maxBytes: readInteger(env, 'LIST_CACHE_MAX_BYTES', 64 * MiB, 64 * KiB, 16 * GiB),
    }),
    shutdownTimeoutMs,
    shutdownDrainDelayMs: readDrainDelay(env, nodeEnv, shutdownTimeoutMs),
    metrics: readBoolean(env, 'METRICS', true),
    metricsPort: env.METRICS_PORT?.trim() ? readInteger(env, 'METRICS_PORT', 0, 1, 65535) : undefined,
    buildCommit: readBuildCommit(env),
    readinessTimeoutMs: readInteger(env, 'READINESS_TIMEOUT_MS', 1_000, 1, 60_000),
    readinessIncludesUpstream: readBoolean(env, 'READINESS_INCLUDES_UPSTREAM', false),
    compiledExecution: readBoolean(env, 'COMPILED_EXECUTION', true),
    // `off` in every environment: the setting decides which documents run at all, so a deployment
    // only narrows it on purpose (README: `only` is the recommended production setting).
    trustedDocuments: readChoice(env, 'TRUSTED_DOCUMENTS', TRUSTED_DOCUMENTS_MODES, 'off'),
    cors: readCorsOrigins(env, nodeEnv),
    tracing: readTracing(env),
    federatedTraces: readBoolean(env, 'FEDERATED_TRACES', true),
    configWarnings,
    router: readRouterAccess(env, nodeEnv),
    // Off by default: a fair share depends on the organization's Losant quota and on how many
    // tokens share it, which the gateway cannot know; a guessed default would either never bite or
    // refuse a legitimate batch job after an upgrade.
    rateLimit: Object.freeze({
      points: readInteger(env, 'RATE_LIMIT_POINTS', 0, 0, 10_000_000),
      windowSeconds: readInteger(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1, 24 * 60 * 60),
      // About 200 bytes each: 100,000 tokens hold some 20 MB at most, whatever a flood sends.
      maxKeys: readInteger(env, 'RATE_LIMIT_MAX_KEYS', 100_000, 1, 10_000_000),
    }),
  });
}

/**
 * Refuses (`CONFIG_CHECKS=strict`, the default) or answers as warnings (`warn`) the settings that
 * would start a gateway other than the one meant: a typo in a variable's name is otherwise silent.
 */
function checkEnvironment(env: Env): readonly string[] {
  const mode = readChoice(env, 'CONFIG_CHECKS', CONFIG_CHECK_MODES, 'strict');
  const findings = findMisconfigurations(env);
  if (findings.length === 0) return Object.freeze([]);
  if (mode === 'strict') {
    const [first, ...rest] = findings;
    const more = rest.length > 0 ? `; also ${rest.map(({ variable, detail }) => `${variable} ${detail}`).join('; ')}` : '';
    throw new ConfigError(first.variable, `${first.detail}${more} (CONFIG_CHECKS=warn starts anyway, with a warning)`);
  }
  return Object.freeze(findings.map(({ variable, detail }) => `${variable} ${detail}`));
}
