/**
 * What the gateway's settings are, grouped by the part of the gateway they shape. `loadConfig`
 * (`./config`) builds them from the environment; the parts of the gateway take only their group.
 */
export interface GatewayConfig {
  /** TCP port the gateway listens on. */
  readonly port: number;
  /** Interface the gateway binds to. */
  readonly host: string;
  /** The Losant REST API and how calls to it are timed, retried, cut off and queued. */
  readonly upstream: UpstreamSettings;
  /** Time budget of one whole GraphQL operation: its upstream calls and retries, and building its answer, stop there. */
  readonly operationTimeoutMs: number;
  /** Limits checked before any upstream call. */
  readonly limits: RequestLimits;
  /** How long a client may hold a connection, and how many it may hold at once. */
  readonly sockets: SocketLimits;
  /** Port of the embedded simulator (0 picks a free one); unused when `upstream.url` is set. */
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

/** The REST upstream (`LOSANT_API_URL`) and the gateway's protections around every call to it. */
export interface UpstreamSettings {
  /** Base URL of the Losant REST API; `undefined` means "start the embedded simulator". */
  readonly url: string | undefined;
  /** Milliseconds one upstream call may take before it fails with `UPSTREAM_TIMEOUT`. */
  readonly timeoutMs: number;
  /** How reads are retried (full-jitter backoff, within the operation's time budget). */
  readonly retry: UpstreamRetry;
  /** When calls stop going out because the upstream keeps failing. */
  readonly breaker: UpstreamBreaker;
  /** Upstream calls this process makes at once, and how many more may wait. */
  readonly maxConcurrency: number;
  readonly maxQueue: number;
  /** Most upstream calls one GraphQL request may have in flight at once. */
  readonly concurrencyPerRequest: number;
}

export interface UpstreamRetry {
  /** Tries in all for an upstream read (1 turns retries off). */
  readonly maxAttempts: number;
  /** First backoff ceiling; each retry doubles it up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface UpstreamBreaker {
  /** Consecutive upstream failures that open the circuit. */
  readonly threshold: number;
  /** Distinct tokens, and distinct organizations, those failures must come from. */
  readonly minCallers: number;
  /** The longest an open circuit fails fast before a probe call (the first comes after an eighth of it). */
  readonly cooldownMs: number;
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
export const TRACE_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
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
  /**
   * Largest single entry any of these caches (and Redis) keeps; a larger document is parsed and validated on every request, and runs
   * interpreted.
   */
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
