/**
 * Every environment variable the gateway reads (`loadConfig`, and the OpenTelemetry variables it
 * reads to decide whether tracing is on). The list lets start-up tell a typo (`LOSANT_API_ULR`)
 * from a variable of something else; test/config/variables.test.ts keeps it equal to what
 * `loadConfig` really reads.
 */
export const GATEWAY_VARIABLES: ReadonlySet<string> = new Set([
  'NODE_ENV',
  'CONFIG_CHECKS',
  'PORT',
  'HOST',
  'LOG_LEVEL',
  'LOSANT_API_URL',
  'UPSTREAM_TIMEOUT_MS',
  'UPSTREAM_CONCURRENCY_PER_REQUEST',
  'OPERATION_TIMEOUT_MS',
  'UPSTREAM_MAX_ATTEMPTS',
  'UPSTREAM_RETRY_BASE_DELAY_MS',
  'UPSTREAM_RETRY_MAX_DELAY_MS',
  'BREAKER_THRESHOLD',
  'BREAKER_COOLDOWN_MS',
  'UPSTREAM_MAX_CONCURRENCY',
  'UPSTREAM_MAX_QUEUE',
  'MAX_TOKENS',
  'MAX_QUERY_DEPTH',
  'MAX_ALIASES',
  'MAX_DIRECTIVES',
  'MAX_INTROSPECTION_FIELDS',
  'MAX_UPSTREAM_CALLS_PER_OPERATION',
  'MAX_BODY_BYTES',
  'MAX_BATCH_SIZE',
  'REQUEST_TIMEOUT_MS',
  'HEADERS_TIMEOUT_MS',
  'KEEP_ALIVE_TIMEOUT_MS',
  'MAX_CONNECTIONS',
  'SIMULATOR_PORT',
  'SIMULATOR_HOST',
  'INTROSPECTION',
  'PLAYGROUND',
  'REDIS_URL',
  'DOCUMENT_CACHE_MAX_BYTES',
  'APQ_CACHE_MAX_BYTES',
  'COMPILED_CACHE_MAX_BYTES',
  'CACHE_MAX_ENTRY_BYTES',
  'REDIS_CACHE_TTL_SECONDS',
  'SHUTDOWN_TIMEOUT_MS',
  'SHUTDOWN_DRAIN_DELAY_MS',
  'METRICS',
  'METRICS_PORT',
  'BUILD_COMMIT',
  'READINESS_TIMEOUT_MS',
  'READINESS_INCLUDES_UPSTREAM',
  'COMPILED_EXECUTION',
  'TRUSTED_DOCUMENTS',
  'CORS_ORIGINS',
  'FEDERATED_TRACES',
  'OTEL_SDK_DISABLED',
  'OTEL_TRACES_EXPORTER',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
]);

/**
 * Prefixes only the gateway's own settings use. Another program's variables do not start with
 * them, so an unknown one is a misspelt setting, however far its spelling is from the right one.
 */
export const GATEWAY_PREFIXES: readonly string[] = ['LOSANT_', 'UPSTREAM_', 'BREAKER_', 'SHUTDOWN_', 'READINESS_', 'SIMULATOR_', 'TRUSTED_DOCUMENT'];
