import { capturingLogger } from '../support/capturedLogs';

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('createLogger', () => {
  it('censors authorization, token and headers.authorization at the top of a line', async () => {
    const { logger, lines } = capturingLogger();
    logger.info({ authorization: 'Bearer a', token: 'b', headers: { authorization: 'Bearer c', accept: 'x' }, kept: 1 }, 'top');
    await flush();
    expect(lines[0]).toMatchObject({
      authorization: '[REDACTED]',
      token: '[REDACTED]',
      headers: { authorization: '[REDACTED]', accept: 'x' },
      kept: 1,
      msg: 'top',
    });
  });

  it('censors them one level down, and leaves the logged objects as they were', async () => {
    const { logger, lines } = capturingLogger();
    const upstream = { authorization: 'Bearer d', token: 'e', headers: { authorization: 'Bearer f' }, path: '/p' };
    logger.info({ upstream, other: { deeper: { token: 'kept: two levels down is not a path' } } }, 'nested');
    await flush();
    expect(lines[0]).toMatchObject({
      upstream: { authorization: '[REDACTED]', token: '[REDACTED]', headers: { authorization: '[REDACTED]' }, path: '/p' },
      other: { deeper: { token: 'kept: two levels down is not a path' } },
    });
    expect(upstream).toEqual({ authorization: 'Bearer d', token: 'e', headers: { authorization: 'Bearer f' }, path: '/p' });
  });

  it("censors a child logger's bindings", async () => {
    const { logger, lines } = capturingLogger();
    logger.child({ requestId: 'r1', token: 'g', caller: { authorization: 'Bearer h' } }).info('child');
    await flush();
    expect(lines[0]).toMatchObject({ requestId: 'r1', token: '[REDACTED]', caller: { authorization: '[REDACTED]' } });
    expect(JSON.stringify(lines[0])).not.toMatch(/Bearer|"g"/);
  });

  it("keeps an error's message and stack when it censors a field of it", async () => {
    const { logger, lines } = capturingLogger();
    const err = Object.assign(new Error('upstream refused'), { token: 'i' });
    logger.error({ err }, 'failed');
    await flush();
    expect(lines[0]).toMatchObject({ err: { message: 'upstream refused', token: '[REDACTED]' } });
    expect((lines[0].err as { stack?: string }).stack).toContain('upstream refused');
  });
});
