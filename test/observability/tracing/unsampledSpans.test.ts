import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  type Sampler,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { startOperationSpan } from '../../../src/observability/tracing/operationSpan';
import { startRequestSpan } from '../../../src/observability/tracing/requestSpan';

function tracerWith(sampler: Sampler): { tracer: ReturnType<BasicTracerProvider['getTracer']>; exporter: InMemorySpanExporter } {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ sampler, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { tracer: provider.getTracer('test'), exporter };
}

const req = { method: 'POST', httpVersion: '1.1' } as IncomingMessage;

// A span the sampler drops still carries ids (for the upstream's traceparent and the log lines),
// but nothing the request does may be spent on it: no listener on the response that would live as
// long as the request, no attributes worked out at the end.
describe('spans the sampler drops', () => {
  test('a dropped request span adds no listener to the response, and still has ids', () => {
    const { tracer } = tracerWith(new AlwaysOffSampler());
    const res = new EventEmitter() as unknown as ServerResponse;
    const context = startRequestSpan(tracer, ROOT_CONTEXT, req, res);
    expect(res.listenerCount('close')).toBe(0);
    expect(trace.isSpanContextValid(trace.getSpanContext(context)!)).toBe(true);
  });

  test('a sampled request span still ends with the response', () => {
    const { tracer, exporter } = tracerWith(new AlwaysOnSampler());
    const res = Object.assign(new EventEmitter(), { statusCode: 200, writableFinished: true }) as unknown as ServerResponse;
    startRequestSpan(tracer, ROOT_CONTEXT, req, res);
    expect(res.listenerCount('close')).toBe(1);
    res.emit('close');
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['POST /graphql']);
  });

  test('a dropped operation span is not given its outcome', () => {
    const { tracer } = tracerWith(new AlwaysOffSampler());
    const operation = startOperationSpan(tracer, ROOT_CONTEXT);
    const span = trace.getSpan(operation.context)!;
    const setAttribute = jest.spyOn(span, 'setAttribute');
    operation.end({ type: 'query', name: 'ListInvites', document: undefined, codes: [], upstreamCalls: 1 });
    expect(setAttribute).not.toHaveBeenCalled();
  });
});
