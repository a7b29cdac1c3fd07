/**
 * The one place that reads `process.env`. Every setting is parsed and checked here, so a bad value
 * stops the process at start-up with a message that names the variable, instead of surfacing later
 * as a confusing runtime failure.
 *
 * Over 300 lines on purpose: one reader of the environment is the point, so every setting is here.
 */
import { CONFIG_CHECK_MODES, findMisconfigurations } from './environmentCheck';

export interface GatewayConfig {
  /** TCP port the gateway listens on. */
  readonly port: number;
  /** Interface the gateway binds to. */
  readonly host: string;
  /** Base URL of the Losant REST API; `undefined` means "start the embedded simulator". */
  readonly losantApiUrl: string | undefined;
  /** Milliseconds one upstream call may take before it fails with `UPSTREAM_TIMEOUT`. */
  readonly upstreamTimeoutMs: number;
  /** Most upstream calls one GraphQL request may have in flight at once. */
  readonly upstreamConcurrencyPerRequest: number;
  /** Time budget of one whole GraphQL operation, retries included; calls and retries stop there. */
  readonly operationTimeoutMs: number;
  /** Tries in all for an upstream read (1 turns retries off). */
  readonly upstreamMaxAttempts: number;
  /** First backoff ceiling; each retry doubles it up to `upstreamRetryMaxDelayMs` (full jitter). */
  readonly upstreamRetryBaseDelayMs: number;
  readonly upstreamRetryMaxDelayMs: number;
  /** Consecutive upstream failures that open the circuit breaker. */
  readonly breakerThreshold: number;
  /** Distinct tokens, and distinct organizations, those failures must come from. */
  readonly breakerMinCallers: number;
  /** The longest an open circuit fails fast before a probe call (the first comes after an eighth of it). */
  readonly breakerCooldownMs: number;
  /** Upstream calls this process makes at once, and how many more may wait. */
  readonly upstreamMaxConcurrency: number;
  readonly upstreamMaxQueue: number;
  /** Limits checked before any upstream call. */
  readonly limits: RequestLimits;
  /** How long a client may hold a connection, and how many it may hold at once. */
  readonly sockets: SocketLimits;
  /** Port of the embedded simulator (0 picks a free one); unused when `losantApiUrl` is set. */
  readonly simulatorPort: number;
  /** Interface the simulator binds to when run alone (`npm run simulator`). */
  readonly simulatorHost: string;
  /** Whether the schema may be introspected (defaults to on outside production). */
  readonly introspection: boolean;
  /** Whether browsers get the offline GraphiQL playground at `/` and `/graphql` (defaults to on outside production). */
  readonly playground: boolean;
  /** `development`, `production` or `test`; only used for defaults. */
  readonly nodeEnv: string;
  /** pino level of the structured logs. */
  readonly logLevel: LogLevel;
  /** Redis for the caches replicas share (APQ, documents); `undefined` keeps them in process. */
  readonly redisUrl: string | undefined;
  /** How much the document, APQ and compiled-operation caches may hold, and how long Redis keeps entries. */
  readonly caches: CacheLimits;
  /** The per-caller cache of invite lists (off unless LIST_CACHE_TTL_MS is set). */
  readonly listCache: ListCacheSettings;
  /** How long a shutdown may take from the signal to the exit, drain delay included; open requests are cut then. */
  readonly shutdownTimeoutMs: number;
  /**
   * After a signal, how long the gateway goes on accepting and serving while `/readyz` answers 503,
   * so load balancers stop routing to it before it stops listening. Part of `shutdownTimeoutMs`.
   */
  readonly shutdownDrainDelayMs: number;
  /** Whether Prometheus metrics are served at `/metrics`. */
  readonly metrics: boolean;
  /** A port of its own for `/metrics` (on `host`), off the API's port; `undefined` serves it beside the API. */
  readonly metricsPort: number | undefined;
  /** The commit the running build came from (`BUILD_COMMIT`, set by the image build), for the build-info metric. */
  readonly buildCommit: string;
  /** Time the readiness probe gives the upstream to answer. */
  readonly readinessTimeoutMs: number;
  /** Whether an unreachable upstream or an open circuit makes `/readyz` fail (off: they are only reported). */
  readonly readinessIncludesUpstream: boolean;
  /** Whether operations run compiled (graphql-jit); off runs graphql-js's interpreter. */
  readonly compiledExecution: boolean;
  /**
   * Which documents run: `off` any document (persisted-query hashes through APQ only); `allow` also
   * the trusted-documents manifest's, by `documentId` or hash; `only` the manifest's alone.
   */
  readonly trustedDocuments: TrustedDocumentsMode;
  /** Which web pages may call `/graphql` from a browser (CORS). */
  readonly cors: CorsOrigins;
  /** OpenTelemetry tracing, from the standard `OTEL_*` variables. */
  readonly tracing: TracingSettings;
  /** Whether a router's `apollo-federation-include-trace: ftv1` gets the inline trace. */
  readonly federatedTraces: boolean;
  /**
   * Settings that look mistaken (an unknown `NODE_ENV`, a misspelt variable), for start-up to log.
   * Only ever non-empty with `CONFIG_CHECKS=warn`: by default they stop the start instead.
   */
  readonly configWarnings: readonly string[];
  /** Who is the federation router: only it may run `_service`/`_entities` and ask for inline traces. */
  readonly router: RouterAccess;
  /** Each token's share of the upstream quota, counted in REST calls. */
  readonly rateLimit: RateLimitSettings;
}

/**
 * Each caller token's share of the organization's upstream quota: at most `points` REST calls per
 * `windowSeconds`, counted before the operation runs (across replicas when `REDIS_URL` is set).
 */
export interface RateLimitSettings {
  /** REST calls one token may cause per window; 0 turns the limit off. */
  readonly points: number;
  /** Length of the fixed window, in whole seconds (the store expires keys by the second). */
  readonly windowSeconds: number;
  /** Most tokens the in-process limiter keeps at once (the least recently seen are forgotten first). */
  readonly maxKeys: number;
}

/**
 * How the gateway tells its federation router from other callers. With a secret, a request whose
 * `header` carries it is the router's. Without one, nobody is in production; outside production
 * (the embedded simulator's demo), a request that asks for federation is served as the router's.
 */
export interface RouterAccess {
  /** Never logged nor echoed in an error. */
  readonly secret: string | undefined;
  /** Lower-case header name the router sends the secret in. */
  readonly header: string;
  /** No secret outside production: requests asking for federation need none. */
  readonly openWithoutSecret: boolean;
}

/** The origins whose pages may call the gateway from a browser; every other origin gets no CORS header. */
export interface CorsOrigins {
  /** Exact origins, as browsers send them in `Origin` (`scheme://host[:port]`, lower case, no default port). */
  readonly origins: readonly string[];
  /**
   * Whether every loopback origin (`http(s)://localhost`, `127.0.0.1` or `[::1]`, any port) is allowed
   * too: the development default, so a frontend's own dev server works without configuration.
   */
  readonly loopback: boolean;
}

/** OTLP over HTTP, in the two encodings the OpenTelemetry SDK exports (`grpc` is not shipped). */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** The samplers `OTEL_TRACES_SAMPLER` names in the OpenTelemetry specification that the SDK has built in. */
export const TRACE_SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
export type TraceSamplerName = (typeof TRACE_SAMPLERS)[number];

/**
 * Whether and how spans are recorded and exported. Only the decision and the choices that shape
 * it are read here; the exporter reads its own transport settings (`OTEL_EXPORTER_OTLP_*`
 * endpoint, headers, timeout, compression) and the batch processor its `OTEL_BSP_*`, as the
 * OpenTelemetry specification defines them, so that collector credentials in
 * `OTEL_EXPORTER_OTLP_HEADERS` never pass through the gateway's own settings.
 */
export interface TracingSettings {
  /**
   * On when an OTLP exporter is configured: an `OTEL_EXPORTER_OTLP_ENDPOINT` or
   * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, or `OTEL_TRACES_EXPORTER=otlp` (the SDK's default
   * endpoint, a collector on localhost:4318). `OTEL_SDK_DISABLED=true` or
   * `OTEL_TRACES_EXPORTER=none` turn it off. Off, the OpenTelemetry SDK is not even loaded.
   */
  readonly enabled: boolean;
  /** `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`; `http/protobuf` by default. */
  readonly protocol: OtlpProtocol;
  /** `OTEL_TRACES_SAMPLER`; `parentbased_always_on` by default. */
  readonly sampler: TraceSamplerName;
  /** `OTEL_TRACES_SAMPLER_ARG` for the ratio samplers, from 0 to 1; 1 by default. */
  readonly samplerRatio: number;
}

/**
 * `MAX_RESPONSE_ITEMS` unless set: also the longest invite list the subgraph SDL tells the router
 * to assume (`@listSize`), which, committed with the SDL, cannot follow a deployment's setting.
 */
export const DEFAULT_MAX_RESPONSE_ITEMS = 10_000;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const TRUSTED_DOCUMENTS_MODES = ['off', 'allow', 'only'] as const;
export type TrustedDocumentsMode = (typeof TRUSTED_DOCUMENTS_MODES)[number];

export interface RequestLimits {
  /** Most lexical tokens in one document; parsing stops past it. */
  readonly maxTokens: number;
  /** Deepest selection nesting allowed, every field counted (`__typename` and introspection too). */
  readonly maxDepth: number;
  /** Most aliased fields in one operation, every field counted. */
  readonly maxAliases: number;
  /** Most directives in one operation. */
  readonly maxDirectives: number;
  /** Most `__schema` and `__type` fields in one operation (each answers from the whole schema). */
  readonly maxIntrospectionFields: number;
  /**
   * Most upstream calls one HTTP request may ask for (fields that read or write upstream, entity
   * references); the operations of a batch add up.
   */
  readonly maxUpstreamCalls: number;
  /** Largest request body, in bytes. */
  readonly maxBodyBytes: number;
  /** Most operations in one batched HTTP request; 0 turns batching off. */
  readonly maxBatchSize: number;
  /**
   * Most invites one HTTP request's answer may carry, counted over every list it reads (each alias
   * and entity list on its own, the operations of a batch added up); also the most items one
   * upstream list may hold.
   */
  readonly maxResponseItems: number;
  /** Largest response body, in bytes, as serialised (extensions such as an inline trace included). */
  readonly maxResponseBytes: number;
  /** Most invites one page of a connection (`first` or `last`) may ask for. */
  readonly maxPageSize: number;
}

/**
 * The caches that grow with the distinct documents clients send. Each is capped by bytes, never by
 * entry count alone: one 900 KB document costs as much as a thousand ordinary ones.
 */
export interface CacheLimits {
  /** Estimated heap bytes of parsed, validated documents kept in process (see `documentBytes`). */
  readonly documentMaxBytes: number;
  /** Heap bytes of automatic-persisted-query text kept in process, two a character (only without Redis). */
  readonly apqMaxBytes: number;
  /** Estimated heap bytes of compiled operations kept, the documents they hold included. */
  readonly compiledMaxBytes: number;
  /** Largest single entry any of these caches (and Redis) keeps; a larger document is parsed and validated on every request, and runs interpreted. */
  readonly maxEntryBytes: number;
  /** Seconds an APQ or document entry lives in Redis. */
  readonly redisTtlSeconds: number;
  /** Longest a request waits for one Redis command; past it the command reads as a miss and Redis as degraded. */
  readonly redisCommandTimeoutMs: number;
}

/** The short-lived per-caller list cache (`src/rest/listCache`). */
export interface ListCacheSettings {
  /** How long a list is answered from the cache, in milliseconds; 0 turns the cache off. */
  readonly ttlMs: number;
  /** Estimated heap bytes of lists kept; the least recently used are dropped past this. */
  readonly maxBytes: number;
}

export interface SocketLimits {
  /** Time from a connection's or request's first byte until its headers must be in; also cuts connections that send nothing. */
  readonly headersTimeoutMs: number;
  /** Time from a request's first byte until its whole body must be in (execution is not counted: that is `operationTimeoutMs`). */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept between requests. */
  readonly keepAliveTimeoutMs: number;
  /** Most connections open at once; further ones are closed as soon as they are accepted. 0 means no cap. */
  readonly maxConnections: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

type Env = Readonly<Record<string, string | undefined>>;

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) {
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  switch (raw.trim().toLowerCase()) {
    case 'true':
    case '1':
    case 'yes':
      return true;
    case 'false':
    case '0':
    case 'no':
      return false;
    default:
      throw new ConfigError(name, `must be true or false, got "${raw}"`);
  }
}

function readUrl(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(name, `must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(name, `must use http or https, got "${url.protocol}"`);
  }
  if (url.username || url.password) {
    // Credentials in the URL would end up in logs; tokens travel in the Authorization header.
    throw new ConfigError(name, 'must not contain credentials');
  }
  return url.toString().replace(/\/+$/, '');
}

/** A Redis URL may carry a password (it is never logged); only its scheme is checked. */
function readRedisUrl(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be a redis:// or rediss:// URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new ConfigError(name, `must use redis or rediss, got "${url.protocol}"`);
  return raw;
}

/** Long enough that guessing it over HTTP is hopeless (`openssl rand -base64 32` gives 44). */
const MIN_ROUTER_SECRET_LENGTH = 32;
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
/** Headers the gateway reads for other purposes, or that proxies rewrite. */
const RESERVED_HEADERS: ReadonlySet<string> = new Set(['authorization', 'losantdomain', 'cookie', 'host', 'content-type', 'content-length', 'apollo-federation-include-trace']);

function readRouterAccess(env: Env, nodeEnv: string): RouterAccess {
  const secret = env.ROUTER_SECRET?.trim() || undefined;
  // The secret's value never appears in an error: start-up errors reach logs.
  if (secret !== undefined && secret.length < MIN_ROUTER_SECRET_LENGTH) {
    throw new ConfigError('ROUTER_SECRET', `must be at least ${MIN_ROUTER_SECRET_LENGTH} characters long (a random value, e.g. \`openssl rand -base64 32\`), got ${secret.length}`);
  }
  if (secret !== undefined && !/^[\x21-\x7e]+$/.test(secret)) throw new ConfigError('ROUTER_SECRET', 'must be printable ASCII without spaces (it travels in an HTTP header)');
  const header = (env.ROUTER_SECRET_HEADER?.trim() || 'router-authorization').toLowerCase();
  if (!HEADER_NAME.test(header)) throw new ConfigError('ROUTER_SECRET_HEADER', `must be an HTTP header name, got "${header}"`);
  if (RESERVED_HEADERS.has(header)) throw new ConfigError('ROUTER_SECRET_HEADER', `must not be a header the gateway or proxies already use, got "${header}"`);
  return Object.freeze({ secret, header, openWithoutSecret: secret === undefined && nodeEnv !== 'production' });
}

function readSocketLimits(env: Env): SocketLimits {
  const requestTimeoutMs = readInteger(env, 'REQUEST_TIMEOUT_MS', 30_000, 1, 600_000);
  // Node refuses a server whose headers may take longer than the whole request: the default follows a shorter request timeout.
  const headersTimeoutMs = readInteger(env, 'HEADERS_TIMEOUT_MS', Math.min(10_000, requestTimeoutMs), 1, 600_000);
  if (headersTimeoutMs > requestTimeoutMs) throw new ConfigError('HEADERS_TIMEOUT_MS', `must not exceed REQUEST_TIMEOUT_MS (${requestTimeoutMs}), got ${headersTimeoutMs}`);
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
      throw new ConfigError('CORS_ORIGINS', `must list exact origins; "${entry}" is a wildcard, which would let any website call the gateway`);
    }
    // Browsers send an origin without path, query or trailing slash; anything more would never match.
    const url = /^https?:\/\/[^/?#\s]+$/i.test(entry) ? parseUrl(entry) : undefined;
    // Not echoed: what looks like credentials may be real ones.
    if (url && (url.username || url.password)) throw new ConfigError('CORS_ORIGINS', 'must list origins as scheme://host[:port], without credentials');
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
    throw new ConfigError('SHUTDOWN_DRAIN_DELAY_MS', `must be less than SHUTDOWN_TIMEOUT_MS (${shutdownTimeoutMs}), which it is part of; got ${value}`);
  }
  return value;
}

function readChoice<T extends string>(env: Env, name: string, choices: readonly T[], fallback: T): T {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (!(choices as readonly string[]).includes(raw)) throw new ConfigError(name, `must be one of ${choices.join(', ')}, got "${env[name]}"`);
  return raw as T;
}

function readTracing(env: Env): TracingSettings {
  // Stricter than the specification, which reads anything but "true" as false: a typo stops the start.
  const disabled = readBoolean(env, 'OTEL_SDK_DISABLED', false);
  const exporter = env.OTEL_TRACES_EXPORTER?.trim() ? readChoice(env, 'OTEL_TRACES_EXPORTER', ['otlp', 'none'] as const, 'otlp') : undefined;
  const endpoints = ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'].filter((name) => readUrl(env, name) !== undefined);
  const protocolVariable = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL?.trim() ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  if (env[protocolVariable]?.trim().toLowerCase() === 'grpc') {
    throw new ConfigError(protocolVariable, 'must be http/protobuf or http/json: the gateway does not ship the gRPC exporter (collectors take OTLP over HTTP on port 4318)');
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
  if (!/^[\w.+-]{1,64}$/.test(raw)) throw new ConfigError('BUILD_COMMIT', `must be a commit hash or tag (letters, digits, . _ + -, at most 64), got "${raw}"`);
  return raw;
}

function readRatio(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(raw.trim()) || value > 1) throw new ConfigError(name, `must be a number from 0 to 1, got "${raw}"`);
  return value;
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
    losantApiUrl,
    upstreamTimeoutMs: readInteger(env, 'UPSTREAM_TIMEOUT_MS', 10_000, 1, 300_000),
    upstreamConcurrencyPerRequest: readInteger(env, 'UPSTREAM_CONCURRENCY_PER_REQUEST', 8, 1, 256),
    operationTimeoutMs: readInteger(env, 'OPERATION_TIMEOUT_MS', 15_000, 1, 600_000),
    upstreamMaxAttempts: readInteger(env, 'UPSTREAM_MAX_ATTEMPTS', 3, 1, 10),
    upstreamRetryBaseDelayMs: readInteger(env, 'UPSTREAM_RETRY_BASE_DELAY_MS', 100, 0, 60_000),
    upstreamRetryMaxDelayMs: readInteger(env, 'UPSTREAM_RETRY_MAX_DELAY_MS', 2_000, 0, 600_000),
    breakerThreshold: readInteger(env, 'BREAKER_THRESHOLD', 5, 1, 1000),
    // 2: one caller's failures alone (one token, or one organization) never open the circuit for all.
    breakerMinCallers: readInteger(env, 'BREAKER_MIN_CALLERS', 2, 1, 100),
    // 1 s: clients are served again within about a second of the upstream's return.
    breakerCooldownMs: readInteger(env, 'BREAKER_COOLDOWN_MS', 1_000, 8, 600_000),
    upstreamMaxConcurrency: readInteger(env, 'UPSTREAM_MAX_CONCURRENCY', 64, 1, 10_000),
    upstreamMaxQueue: readInteger(env, 'UPSTREAM_MAX_QUEUE', 1_000, 0, 1_000_000),
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
