import { diag, DiagLogLevel, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import type { Logger } from 'pino';
import type { TracingSettings } from '../../config/settings';
import { ATTR_SERVICE_NAME } from './attributes';

/** The service name spans carry unless `OTEL_SERVICE_NAME` (or `OTEL_RESOURCE_ATTRIBUTES`) says otherwise. */
const DEFAULT_SERVICE_NAME = 'invites-gateway';

/** Instrumentation scope of the gateway's own spans. */
const TRACER_NAME = 'invites-gateway';

export interface Tracing {
  /** Makes the gateway's spans; hand it to `startGateway`. */
  readonly tracer: Tracer;
  /** Exports the spans still queued, then stops; gives up after `timeoutMs` (the process is exiting). */
  shutdown(timeoutMs: number): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK for the gateway's traces: a tracer provider that batches spans and
 * exports them over OTLP/HTTP, as protobuf or JSON (`OTEL_EXPORTER_OTLP_PROTOCOL`). Loaded only
 * when `settings.enabled`: without an exporter configured, none of the SDK is even required.
 *
 * The exporter reads its endpoint, headers, timeout and compression from the standard
 * `OTEL_EXPORTER_OTLP_*` variables, the batch processor its `OTEL_BSP_*` ones and the resource
 * `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`, all as the specification defines them.
 * The provider is not registered globally: the gateway hands its tracer to what makes spans and
 * passes trace context explicitly, so no async context tracking (and its cost on every promise)
 * is needed, and no other library's instrumentation is picked up by surprise.
 */
export function startTracing(settings: TracingSettings, logger: Logger): Tracing {
  // The SDK reports export failures (a collector down, a refused batch) through `diag`: worth a
  // warning, never more, since requests go on. Only the message is logged, not the objects that
  // may come with it.
  diag.setLogger(
    {
      error: (message) => logger.warn(`OpenTelemetry: ${message}`),
      warn: (message) => logger.warn(`OpenTelemetry: ${message}`),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  const exporter = settings.protocol === 'http/json' ? new OtlpJsonExporter() : new OtlpProtobufExporter();
  const provider = new BasicTracerProvider({
    resource: defaultResource()
      .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: DEFAULT_SERVICE_NAME }))
      .merge(detectResources({ detectors: [envDetector] })),
    sampler: sampler(settings),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  return {
    tracer: provider.getTracer(TRACER_NAME),
    async shutdown(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, timeoutMs));
      });
      try {
        await Promise.race([provider.shutdown(), deadline]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function sampler({ sampler: name, samplerRatio }: TracingSettings): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(samplerRatio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(samplerRatio) });
  }
}
