import { ROOT_CONTEXT } from '@opentelemetry/api';
import { RequestContext } from '../../src/context/RequestContext';
import { ResponseBudget } from '../../src/context/responseBudget';
import { UpstreamCallBudget } from '../../src/context/UpstreamCallBudget';
import { InviteLoader } from '../../src/loaders/InviteLoader';
import type { InvitesApi } from '../../src/rest/invitesApi';
import type { Logger } from 'pino';
import { capturingLogger } from '../support/capturedLogs';

function contextOf(rootLogger: Logger): RequestContext {
  return new RequestContext({
    requestId: 'req-1',
    inviteLoader: InviteLoader.forRequest({} as InvitesApi),
    upstreamBudget: new UpstreamCallBudget(),
    responseBudget: new ResponseBudget(10_000, Date.now() + 15_000),
    maxPageSize: 100,
    trace: ROOT_CONTEXT,
    logFields: { requestId: 'req-1', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7' },
    rootLogger,
  });
}

test('the request logger is made on first use only, once, and carries the request fields', async () => {
  const { lines, logger } = capturingLogger('info');
  const child = jest.spyOn(logger, 'child');
  const context = contextOf(logger);
  expect(child).not.toHaveBeenCalled();
  context.logger.info('one');
  context.logger.info('two');
  expect(child).toHaveBeenCalledTimes(1);
  await new Promise((resolve) => setImmediate(resolve));
  expect(lines.map((line) => [line.msg, line.requestId, line.trace_id, line.span_id])).toEqual([
    ['one', 'req-1', '4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7'],
    ['two', 'req-1', '4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7'],
  ]);
});

test('the shallow copy Apollo runs each operation on has the logger too', () => {
  const { logger } = capturingLogger('info');
  const context = contextOf(logger);
  const copy = Object.assign(Object.create(Object.getPrototypeOf(context) as object) as RequestContext, context);
  expect(copy.logger.bindings()).toMatchObject({ requestId: 'req-1', span_id: '00f067aa0ba902b7' });
  expect(copy.logFields).toBe(context.logFields);
});
