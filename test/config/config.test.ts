import { ConfigError, loadConfig } from '../../src/config/config';
import { thrownBy } from '../support/thrown';

const configError = (env: Record<string, string>): ConfigError => thrownBy(() => loadConfig(env), ConfigError);

describe('loadConfig', () => {
  test('applies the documented defaults to an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 4000,
      host: '0.0.0.0',
      upstream: {
        url: undefined,
        timeoutMs: 10_000,
        retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2_000 },
        breaker: { threshold: 5, minCallers: 2, cooldownMs: 1_000 },
        maxConcurrency: 64,
        maxQueue: 1_000,
        concurrencyPerRequest: 8,
      },
      operationTimeoutMs: 15_000,
      simulatorPort: 0,
      simulatorHost: '127.0.0.1',
      limits: {
        maxTokens: 1000,
        maxDepth: 15,
        maxAliases: 30,
        maxDirectives: 50,
        maxIntrospectionFields: 3,
        maxUpstreamCalls: 25,
        maxBodyBytes: 1024 * 1024,
        maxBatchSize: 0,
        maxResponseItems: 10_000,
        maxResponseBytes: 8 * 1024 * 1024,
        maxPageSize: 100,
      },
      sockets: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnections: 1_024 },
      introspection: true,
      playground: true,
      nodeEnv: 'development',
      listCache: { ttlMs: 0, maxBytes: 64 * 1024 * 1024 },
      logLevel: 'info',
      redisUrl: undefined,
      caches: {
        documentMaxBytes: 32 * 1024 * 1024,
        apqMaxBytes: 16 * 1024 * 1024,
        compiledMaxBytes: 32 * 1024 * 1024,
        maxEntryBytes: 4 * 1024 * 1024,
        redisTtlSeconds: 86_400,
        redisCommandTimeoutMs: 250,
      },
      shutdownTimeoutMs: 10_000,
      shutdownDrainDelayMs: 0,
      metrics: true,
      metricsPort: undefined,
      buildCommit: 'unknown',
      readinessTimeoutMs: 1_000,
      readinessIncludesUpstream: false,
      compiledExecution: true,
      trustedDocuments: 'off',
      cors: { origins: [], loopback: true },
      tracing: { enabled: false, protocol: 'http/protobuf', sampler: 'parentbased_always_on', samplerRatio: 1 },
      federatedTraces: true,
      configWarnings: [],
      router: { secret: undefined, header: 'router-authorization', openWithoutSecret: true },
      rateLimit: { points: 0, windowSeconds: 60, maxKeys: 100_000 },
    });
  });

  test('the rate limit: off unless RATE_LIMIT_POINTS is set, a window in whole seconds, a bounded number of tokens kept', () => {
    const config = loadConfig({ RATE_LIMIT_POINTS: '600', RATE_LIMIT_WINDOW_SECONDS: '60', RATE_LIMIT_MAX_KEYS: '5000' });
    expect(config.rateLimit).toEqual({ points: 600, windowSeconds: 60, maxKeys: 5000 });
    expect(Object.isFrozen(config.rateLimit)).toBe(true);
    expect(configError({ RATE_LIMIT_POINTS: '-1' }).variable).toBe('RATE_LIMIT_POINTS');
    expect(configError({ RATE_LIMIT_POINTS: 'lots' }).message).toContain('must be a whole number');
    // The store expires keys by the second: a window of 1.5 s or of none is refused.
    expect(configError({ RATE_LIMIT_WINDOW_SECONDS: '0' }).variable).toBe('RATE_LIMIT_WINDOW_SECONDS');
    expect(configError({ RATE_LIMIT_WINDOW_SECONDS: '1.5' }).variable).toBe('RATE_LIMIT_WINDOW_SECONDS');
    expect(configError({ RATE_LIMIT_WINDOW_SECONDS: '86401' }).variable).toBe('RATE_LIMIT_WINDOW_SECONDS');
    expect(configError({ RATE_LIMIT_MAX_KEYS: '0' }).variable).toBe('RATE_LIMIT_MAX_KEYS');
    // A misspelt setting stops the start like any other of the gateway's prefixes.
    expect(configError({ RATE_LIMIT_POINT: '10' }).variable).toBe('RATE_LIMIT_POINT');
  });

  test('CORS_ORIGINS: loopback origins by default outside production, none in production, exact origins when set', () => {
    const production = { NODE_ENV: 'production', LOSANT_API_URL: 'https://api.losant.com' };
    expect(loadConfig({ NODE_ENV: 'test' }).cors).toEqual({ origins: [], loopback: true });
    expect(loadConfig(production).cors).toEqual({ origins: [], loopback: false });
    expect(loadConfig({ ...production, CORS_ORIGINS: ' https://app.example.com , http://localhost:5173,' }).cors).toEqual({
      origins: ['https://app.example.com', 'http://localhost:5173'],
      loopback: false,
    });
    expect(loadConfig({ CORS_ORIGINS: '  ' }).cors).toEqual({ origins: [], loopback: true });
    // Written as browsers send it: lower-case host, default port left out, duplicates dropped.
    expect(loadConfig({ CORS_ORIGINS: 'HTTPS://App.Example.com:443,https://app.example.com,http://[::1]:8080' }).cors.origins).toEqual([
      'https://app.example.com',
      'http://[::1]:8080',
    ]);
    expect(Object.isFrozen(loadConfig({ CORS_ORIGINS: 'https://app.example.com' }).cors.origins)).toBe(true);
  });

  test.each([
    ['*', 'wildcard'],
    ['https://*.example.com', 'wildcard'],
    ['https://app.example.com/', 'scheme://host[:port]'],
    ['https://app.example.com/path', 'scheme://host[:port]'],
    ['https://app.example.com?x=1', 'scheme://host[:port]'],
    ['app.example.com', 'scheme://host[:port]'],
    ['ftp://app.example.com', 'scheme://host[:port]'],
    ['null', 'scheme://host[:port]'],
    ['https://user:pw@app.example.com', 'scheme://host[:port]'],
    ['https://app.example.com:99999', 'scheme://host[:port]'],
    [',', 'at least one origin'],
  ])('CORS_ORIGINS=%j is refused (%s)', (value, reason) => {
    const error = configError({ CORS_ORIGINS: value });
    expect(error.variable).toBe('CORS_ORIGINS');
    expect(error.message).toContain(reason);
    expect(error.message).not.toContain('pw@');
  });

  test('the drain delay: none outside production, 5 s in production, always inside SHUTDOWN_TIMEOUT_MS', () => {
    const production = { NODE_ENV: 'production', LOSANT_API_URL: 'https://api.losant.com' };
    expect(loadConfig({}).shutdownDrainDelayMs).toBe(0);
    expect(loadConfig(production).shutdownDrainDelayMs).toBe(5_000);
    // A shorter timeout shrinks the default instead of being refused.
    expect(loadConfig({ ...production, SHUTDOWN_TIMEOUT_MS: '3000' }).shutdownDrainDelayMs).toBe(1_500);
    expect(loadConfig({ ...production, SHUTDOWN_TIMEOUT_MS: '0' }).shutdownDrainDelayMs).toBe(0);
    expect(loadConfig({ SHUTDOWN_DRAIN_DELAY_MS: '2000', SHUTDOWN_TIMEOUT_MS: '2001' }).shutdownDrainDelayMs).toBe(2_000);
    expect(loadConfig({ SHUTDOWN_DRAIN_DELAY_MS: '0', SHUTDOWN_TIMEOUT_MS: '0' }).shutdownDrainDelayMs).toBe(0);
    // An explicit delay must leave time for in-flight requests within the timeout it is part of.
    expect(configError({ SHUTDOWN_DRAIN_DELAY_MS: '10000' }).message).toBe(
      'Invalid configuration: SHUTDOWN_DRAIN_DELAY_MS must be less than SHUTDOWN_TIMEOUT_MS (10000), which it is part of; got 10000',
    );
    expect(configError({ ...production, SHUTDOWN_DRAIN_DELAY_MS: '5000', SHUTDOWN_TIMEOUT_MS: '4000' }).variable).toBe(
      'SHUTDOWN_DRAIN_DELAY_MS',
    );
    expect(configError({ SHUTDOWN_DRAIN_DELAY_MS: '-1' }).variable).toBe('SHUTDOWN_DRAIN_DELAY_MS');
  });

  test('READINESS_INCLUDES_UPSTREAM brings back readiness that follows the upstream', () => {
    expect(loadConfig({ READINESS_INCLUDES_UPSTREAM: 'true' }).readinessIncludesUpstream).toBe(true);
    expect(configError({ READINESS_INCLUDES_UPSTREAM: 'maybe' }).variable).toBe('READINESS_INCLUDES_UPSTREAM');
  });

  test('COMPILED_EXECUTION=false switches to the graphql-js interpreter', () => {
    expect(loadConfig({ COMPILED_EXECUTION: 'false' }).compiledExecution).toBe(false);
    expect(() => loadConfig({ COMPILED_EXECUTION: 'sometimes' })).toThrow('COMPILED_EXECUTION');
  });

  test('TRUSTED_DOCUMENTS is off unless set, in production too, and takes only off, allow or only', () => {
    expect(loadConfig({ NODE_ENV: 'production', LOSANT_API_URL: 'https://api.losant.com' }).trustedDocuments).toBe('off');
    expect(loadConfig({ TRUSTED_DOCUMENTS: 'allow' }).trustedDocuments).toBe('allow');
    expect(loadConfig({ TRUSTED_DOCUMENTS: ' Only ' }).trustedDocuments).toBe('only');
    expect(configError({ TRUSTED_DOCUMENTS: 'on' }).message).toBe(
      'Invalid configuration: TRUSTED_DOCUMENTS must be one of off, allow, only, got "on"',
    );
  });

  test('FEDERATED_TRACES=false stops answering ftv1', () => {
    expect(loadConfig({ FEDERATED_TRACES: 'false' }).federatedTraces).toBe(false);
    expect(configError({ FEDERATED_TRACES: 'ftv1' }).variable).toBe('FEDERATED_TRACES');
  });

  describe('ROUTER_SECRET and ROUTER_SECRET_HEADER', () => {
    const production = { NODE_ENV: 'production', LOSANT_API_URL: 'https://api.losant.com' };
    const secret = 'k3Yp2VqN8wXz4RtL6mBc9DfGh1JsA5Ue7';

    test('without a secret, nobody is the router in production; outside production, requests asking for federation are', () => {
      expect(loadConfig(production).router).toEqual({ secret: undefined, header: 'router-authorization', openWithoutSecret: false });
      expect(loadConfig({ NODE_ENV: 'test' }).router.openWithoutSecret).toBe(true);
    });

    test('a secret closes the demo door outside production too; the header name is read in lower case', () => {
      expect(loadConfig({ ROUTER_SECRET: ` ${secret} `, ROUTER_SECRET_HEADER: 'X-Router-Secret' }).router).toEqual({
        secret,
        header: 'x-router-secret',
        openWithoutSecret: false,
      });
    });

    test('a short or unprintable secret stops start-up without echoing it', () => {
      const short = configError({ ...production, ROUTER_SECRET: 'hunter2-hunter2' });
      expect(short.variable).toBe('ROUTER_SECRET');
      expect(short.message).toContain('at least 32 characters');
      expect(short.message).not.toContain('hunter2');
      const spaced = configError({ ROUTER_SECRET: `${secret} ${secret}` });
      expect(spaced.variable).toBe('ROUTER_SECRET');
      expect(spaced.message).not.toContain(secret);
    });

    test('the header must be a header name the gateway does not already read', () => {
      expect(configError({ ROUTER_SECRET_HEADER: 'router secret' }).variable).toBe('ROUTER_SECRET_HEADER');
      expect(configError({ ROUTER_SECRET_HEADER: 'Authorization' }).message).toContain(
        'must not be a header the gateway or proxies already use',
      );
    });
  });

  describe('tracing, from the standard OTEL_* variables', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };

    test('is on once an OTLP exporter is configured: an endpoint (either variable), or OTEL_TRACES_EXPORTER=otlp alone', () => {
      expect(loadConfig({}).tracing.enabled).toBe(false);
      expect(loadConfig(endpoint).tracing.enabled).toBe(true);
      expect(loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example.com/v1/traces' }).tracing.enabled).toBe(true);
      // The specification's default endpoint then: a collector on localhost.
      expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp' }).tracing.enabled).toBe(true);
      expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }).tracing.enabled).toBe(false);
    });

    test('OTEL_SDK_DISABLED=true and OTEL_TRACES_EXPORTER=none turn it off whatever else is set', () => {
      expect(loadConfig({ ...endpoint, OTEL_SDK_DISABLED: 'true' }).tracing.enabled).toBe(false);
      expect(loadConfig({ ...endpoint, OTEL_SDK_DISABLED: 'TRUE' }).tracing.enabled).toBe(false);
      expect(loadConfig({ ...endpoint, OTEL_SDK_DISABLED: 'false' }).tracing.enabled).toBe(true);
      expect(loadConfig({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }).tracing.enabled).toBe(false);
      expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' }).tracing.enabled).toBe(false);
    });

    test('the protocol: http/protobuf by default, http/json, the traces variable first; grpc is refused with the reason', () => {
      expect(loadConfig(endpoint).tracing.protocol).toBe('http/protobuf');
      expect(loadConfig({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).tracing.protocol).toBe('http/json');
      expect(
        loadConfig({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' }).tracing
          .protocol,
      ).toBe('http/protobuf');
      expect(configError({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }).message).toBe(
        'Invalid configuration: OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf or http/json: the gateway does not ship the gRPC exporter (collectors take OTLP over HTTP on port 4318)',
      );
      expect(
        configError({ ...endpoint, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).variable,
      ).toBe('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL');
      expect(configError({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http' }).message).toBe(
        'Invalid configuration: OTEL_EXPORTER_OTLP_PROTOCOL must be one of http/protobuf, http/json, got "http"',
      );
    });

    test('the sampler: parent-based always-on by default; the ratio only for the ratio samplers, from 0 to 1', () => {
      expect(
        loadConfig({ ...endpoint, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }).tracing,
      ).toMatchObject({ sampler: 'parentbased_traceidratio', samplerRatio: 0.25 });
      expect(loadConfig({ ...endpoint, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }).tracing.samplerRatio).toBe(0);
      expect(loadConfig({ ...endpoint, OTEL_TRACES_SAMPLER: 'traceidratio' }).tracing.samplerRatio).toBe(1);
      // The specification ignores the argument of samplers that take none.
      expect(loadConfig({ ...endpoint, OTEL_TRACES_SAMPLER: 'always_off', OTEL_TRACES_SAMPLER_ARG: 'anything' }).tracing).toMatchObject({
        sampler: 'always_off',
        samplerRatio: 1,
      });
      for (const arg of ['1.5', '-0.1', 'half', '1e-3']) {
        expect(configError({ ...endpoint, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: arg }).variable).toBe(
          'OTEL_TRACES_SAMPLER_ARG',
        );
      }
      expect(configError({ ...endpoint, OTEL_TRACES_SAMPLER: 'jaeger_remote' }).message).toContain(
        'OTEL_TRACES_SAMPLER must be one of always_on, always_off, traceidratio',
      );
    });

    test('a mistyped switch or an endpoint that is not an http(s) URL stops the start, named', () => {
      expect(configError({ OTEL_SDK_DISABLED: 'yes please' }).variable).toBe('OTEL_SDK_DISABLED');
      expect(configError({ OTEL_TRACES_EXPORTER: 'zipkin' }).message).toBe(
        'Invalid configuration: OTEL_TRACES_EXPORTER must be one of otlp, none, got "zipkin"',
      );
      expect(configError({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }).variable).toBe('OTEL_EXPORTER_OTLP_ENDPOINT');
      expect(configError({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://collector:4317' }).variable).toBe(
        'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
      );
      // Collector credentials go in OTEL_EXPORTER_OTLP_HEADERS, which the gateway never reads.
      const withCredentials = configError({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:s3cret@collector.example.com' });
      expect(withCredentials.message).not.toContain('s3cret');
    });
  });

  test('reads the operations settings', () => {
    expect(
      loadConfig({
        LOG_LEVEL: 'DEBUG',
        REDIS_URL: 'redis://:secret@127.0.0.1:6390/0',
        SHUTDOWN_TIMEOUT_MS: '2500',
        METRICS: 'false',
        READINESS_TIMEOUT_MS: '300',
      }),
    ).toMatchObject({
      logLevel: 'debug',
      redisUrl: 'redis://:secret@127.0.0.1:6390/0',
      shutdownTimeoutMs: 2500,
      metrics: false,
      readinessTimeoutMs: 300,
    });
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ REDIS_URL: 'not a url' })).toThrow(/REDIS_URL/);
  });

  test('reads the list cache: off by default, its TTL and byte bound range-checked', () => {
    expect(loadConfig({ LIST_CACHE_TTL_MS: '5000', LIST_CACHE_MAX_BYTES: '1048576' }).listCache).toEqual({
      ttlMs: 5000,
      maxBytes: 1048576,
    });
    expect(configError({ LIST_CACHE_TTL_MS: '-1' }).message).toMatch(/LIST_CACHE_TTL_MS/);
    expect(configError({ LIST_CACHE_TTL_MS: '600000' }).message).toMatch(/LIST_CACHE_TTL_MS/);
    expect(configError({ LIST_CACHE_TTL_MS: 'soon' }).message).toMatch(/LIST_CACHE_TTL_MS/);
    expect(configError({ LIST_CACHE_MAX_BYTES: '100' }).message).toMatch(/LIST_CACHE_MAX_BYTES/);
  });

  test('reads the cache budgets, the Redis TTL and command timeout, each range-checked', () => {
    expect(
      loadConfig({
        DOCUMENT_CACHE_MAX_BYTES: '1048576',
        APQ_CACHE_MAX_BYTES: '65536',
        COMPILED_CACHE_MAX_BYTES: '2097152',
        CACHE_MAX_ENTRY_BYTES: '1024',
        REDIS_CACHE_TTL_SECONDS: '600',
        REDIS_COMMAND_TIMEOUT_MS: '100',
      }).caches,
    ).toEqual({
      documentMaxBytes: 1_048_576,
      apqMaxBytes: 65_536,
      compiledMaxBytes: 2_097_152,
      maxEntryBytes: 1024,
      redisTtlSeconds: 600,
      redisCommandTimeoutMs: 100,
    });
    for (const [variable, value] of [
      ['DOCUMENT_CACHE_MAX_BYTES', '65535'],
      ['APQ_CACHE_MAX_BYTES', '32 MiB'],
      ['COMPILED_CACHE_MAX_BYTES', '0'],
      ['CACHE_MAX_ENTRY_BYTES', '1023'],
      ['REDIS_CACHE_TTL_SECONDS', '0'],
      ['REDIS_CACHE_TTL_SECONDS', '2592001'],
      ['REDIS_COMMAND_TIMEOUT_MS', '0'],
      ['REDIS_COMMAND_TIMEOUT_MS', '10001'],
    ]) {
      expect(configError({ [variable]: value }).variable).toBe(variable);
    }
    expect(Object.isFrozen(loadConfig({}).caches)).toBe(true);
  });

  test('reads the reliability settings and request limits', () => {
    const config = loadConfig({
      OPERATION_TIMEOUT_MS: '5000',
      UPSTREAM_MAX_ATTEMPTS: '1',
      UPSTREAM_RETRY_BASE_DELAY_MS: '50',
      UPSTREAM_RETRY_MAX_DELAY_MS: '400',
      BREAKER_THRESHOLD: '3',
      BREAKER_MIN_CALLERS: '1',
      BREAKER_COOLDOWN_MS: '2000',
      UPSTREAM_MAX_CONCURRENCY: '16',
      UPSTREAM_MAX_QUEUE: '0',
      MAX_TOKENS: '500',
      MAX_QUERY_DEPTH: '6',
      MAX_ALIASES: '0',
      MAX_DIRECTIVES: '0',
      MAX_INTROSPECTION_FIELDS: '0',
      MAX_UPSTREAM_CALLS_PER_OPERATION: '4',
      MAX_BODY_BYTES: '2048',
      MAX_BATCH_SIZE: '5',
      MAX_RESPONSE_ITEMS: '500',
      MAX_RESPONSE_BYTES: '65536',
      MAX_PAGE_SIZE: '25',
    });
    expect(config).toMatchObject({
      operationTimeoutMs: 5000,
      upstream: {
        retry: { maxAttempts: 1, baseDelayMs: 50, maxDelayMs: 400 },
        breaker: { threshold: 3, minCallers: 1, cooldownMs: 2000 },
        maxConcurrency: 16,
        maxQueue: 0,
      },
      limits: {
        maxTokens: 500,
        maxDepth: 6,
        maxAliases: 0,
        maxDirectives: 0,
        maxIntrospectionFields: 0,
        maxUpstreamCalls: 4,
        maxBodyBytes: 2048,
        maxBatchSize: 5,
        maxResponseItems: 500,
        maxResponseBytes: 65_536,
        maxPageSize: 25,
      },
    });
    for (const group of [config.limits, config.upstream, config.upstream.retry, config.upstream.breaker])
      expect(Object.isFrozen(group)).toBe(true);
    expect(() => loadConfig({ UPSTREAM_MAX_ATTEMPTS: '0' })).toThrow(/UPSTREAM_MAX_ATTEMPTS/);
    expect(() => loadConfig({ BREAKER_MIN_CALLERS: '0' })).toThrow(/BREAKER_MIN_CALLERS/);
    expect(() => loadConfig({ BREAKER_COOLDOWN_MS: '4' })).toThrow(/BREAKER_COOLDOWN_MS/);
    expect(() => loadConfig({ MAX_BODY_BYTES: '10' })).toThrow(/MAX_BODY_BYTES/);
    expect(() => loadConfig({ MAX_RESPONSE_ITEMS: '0' })).toThrow(/MAX_RESPONSE_ITEMS/);
    expect(() => loadConfig({ MAX_RESPONSE_BYTES: '100' })).toThrow(/MAX_RESPONSE_BYTES/);
    expect(() => loadConfig({ MAX_PAGE_SIZE: '0' })).toThrow(/MAX_PAGE_SIZE/);
    expect(() => loadConfig({ MAX_PAGE_SIZE: '10001' })).toThrow(/MAX_PAGE_SIZE/);
    expect(() => loadConfig({ MAX_PAGE_SIZE: 'many' })).toThrow(/MAX_PAGE_SIZE/);
  });

  test('reads the socket timeouts and the connection cap', () => {
    const config = loadConfig({
      HEADERS_TIMEOUT_MS: '2000',
      REQUEST_TIMEOUT_MS: '2000',
      KEEP_ALIVE_TIMEOUT_MS: '65000',
      MAX_CONNECTIONS: '0',
    });
    expect(config.sockets).toEqual({ headersTimeoutMs: 2000, requestTimeoutMs: 2000, keepAliveTimeoutMs: 65_000, maxConnections: 0 });
    expect(Object.isFrozen(config.sockets)).toBe(true);
    // Node would refuse to create the server; the variable is named at start-up instead.
    const tooLong = configError({ HEADERS_TIMEOUT_MS: '40000' });
    expect(tooLong.variable).toBe('HEADERS_TIMEOUT_MS');
    expect(tooLong.message).toContain('REQUEST_TIMEOUT_MS (30000)');
    expect(configError({ HEADERS_TIMEOUT_MS: '6000', REQUEST_TIMEOUT_MS: '5000' }).variable).toBe('HEADERS_TIMEOUT_MS');
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '5000' }).sockets).toMatchObject({ headersTimeoutMs: 5000, requestTimeoutMs: 5000 });
    for (const variable of ['HEADERS_TIMEOUT_MS', 'REQUEST_TIMEOUT_MS', 'KEEP_ALIVE_TIMEOUT_MS']) {
      expect(configError({ [variable]: '0' }).variable).toBe(variable);
      expect(configError({ [variable]: '600001' }).variable).toBe(variable);
    }
    expect(configError({ MAX_CONNECTIONS: '-1' }).variable).toBe('MAX_CONNECTIONS');
    expect(configError({ MAX_CONNECTIONS: '1000001' }).variable).toBe('MAX_CONNECTIONS');
  });

  test('treats blank values as unset', () => {
    const config = loadConfig({ PORT: '  ', HOST: '', LOSANT_API_URL: ' ', UPSTREAM_TIMEOUT_MS: '', INTROSPECTION: '' });
    expect(config.port).toBe(4000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.upstream.url).toBeUndefined();
    expect(config.upstream.timeoutMs).toBe(10_000);
    expect(config.introspection).toBe(true);
  });

  test('reads valid values', () => {
    const config = loadConfig({
      PORT: ' 8080 ',
      HOST: '127.0.0.1',
      LOSANT_API_URL: 'https://api.losant.com',
      UPSTREAM_TIMEOUT_MS: '2500',
      SIMULATOR_PORT: '4010',
      INTROSPECTION: 'no',
      PLAYGROUND: 'false',
      NODE_ENV: 'test',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      upstream: { url: 'https://api.losant.com', timeoutMs: 2500, concurrencyPerRequest: 8 },
      simulatorPort: 4010,
      introspection: false,
      playground: false,
      nodeEnv: 'test',
    });
  });

  test('accepts the limits of each range', () => {
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
    expect(loadConfig({ UPSTREAM_TIMEOUT_MS: '1' }).upstream.timeoutMs).toBe(1);
    expect(loadConfig({ UPSTREAM_TIMEOUT_MS: '300000' }).upstream.timeoutMs).toBe(300_000);
  });

  test.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['UPSTREAM_TIMEOUT_MS', '0'],
    ['UPSTREAM_TIMEOUT_MS', '300001'],
    ['UPSTREAM_TIMEOUT_MS', '1e3'],
    ['SIMULATOR_PORT', '65536'],
    ['LOSANT_API_URL', 'ftp://x'],
    ['LOSANT_API_URL', 'not a url'],
    ['LOSANT_API_URL', 'https://user:secret@api.losant.com'],
    ['LOSANT_API_URL', 'https://user@api.losant.com'],
    ['INTROSPECTION', 'maybe'],
    ['MAX_TOKENS', '49'],
    ['MAX_TOKENS', '1000001'],
    ['MAX_QUERY_DEPTH', '0'],
    ['MAX_DIRECTIVES', '10001'],
    ['MAX_DIRECTIVES', '-1'],
    ['MAX_INTROSPECTION_FIELDS', '101'],
    ['MAX_INTROSPECTION_FIELDS', 'none'],
  ])('%s=%s throws a ConfigError naming the variable', (variable, value) => {
    const error = configError({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain(variable);
  });

  test('does not echo URL credentials in the error message', () => {
    const error = configError({ LOSANT_API_URL: 'https://user:hunter22@api.losant.com' });
    expect(error.message).not.toContain('hunter22');
  });

  test.each([
    ['https://api.losant.com/', 'https://api.losant.com'],
    ['http://localhost:8080/base//', 'http://localhost:8080/base'],
    ['  http://127.0.0.1:9000  ', 'http://127.0.0.1:9000'],
  ])('strips trailing slashes from LOSANT_API_URL %j', (raw, expected) => {
    expect(loadConfig({ LOSANT_API_URL: raw }).upstream.url).toBe(expected);
  });

  test.each([
    ['true', true],
    ['1', true],
    ['YES', true],
    ['False', false],
    ['0', false],
    ['no', false],
  ])('INTROSPECTION=%s reads as %s', (raw, expected) => {
    expect(loadConfig({ INTROSPECTION: raw }).introspection).toBe(expected);
  });

  test('NODE_ENV=production turns introspection off by default, but INTROSPECTION still wins', () => {
    const production = { NODE_ENV: 'production', LOSANT_API_URL: 'https://api.losant.com' };
    expect(loadConfig(production)).toMatchObject({ nodeEnv: 'production', introspection: false });
    expect(loadConfig({ ...production, INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).introspection).toBe(true);
  });

  test('NODE_ENV=production turns the playground off by default, but PLAYGROUND still wins', () => {
    const production = { NODE_ENV: 'production', LOSANT_API_URL: 'https://api.losant.com' };
    expect(loadConfig(production).playground).toBe(false);
    expect(loadConfig({ ...production, PLAYGROUND: 'yes' }).playground).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).playground).toBe(true);
    expect(configError({ PLAYGROUND: 'maybe' }).variable).toBe('PLAYGROUND');
  });

  test('NODE_ENV=production without LOSANT_API_URL is refused (no simulator in production)', () => {
    expect(configError({ NODE_ENV: 'production' }).variable).toBe('LOSANT_API_URL');
    expect(configError({ NODE_ENV: 'production', LOSANT_API_URL: '  ' }).variable).toBe('LOSANT_API_URL');
  });

  test('answers a frozen object', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(config.port).toBe(4000);
  });
});
