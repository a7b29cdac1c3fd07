import {
  BadUserInputError,
  FailFastError,
  ForbiddenError,
  GatewayError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  UpstreamError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '../../../src/errors/gatewayErrors';
import { errorFromUpstreamResponse } from '../../../src/errors/fromUpstreamResponse';
import { RetryOptions, isRetryableRead, retryDelayMs } from '../../../src/rest/resilience/retryPolicy';

const upstream = (status: number): UpstreamError => new UpstreamError(`HTTP ${status}`, { status });

describe('isRetryableRead', () => {
  test.each([
    ['502', upstream(502)],
    ['503', upstream(503)],
    ['504', upstream(504)],
    ['a connection failure after the request left', new UpstreamUnavailableError('reset', true)],
    ['a connection failure before the request left', new UpstreamUnavailableError('refused', false)],
    ['429 with Retry-After', new RateLimitedError('slow down', 2, { status: 429 })],
    ['429 without Retry-After', new RateLimitedError('slow down', undefined, { status: 429 })],
  ])('retries %s', (_name, error) => {
    expect(isRetryableRead(error)).toBe(true);
  });

  test.each([
    ['500', upstream(500)],
    ['501', upstream(501)],
    ['505', upstream(505)],
    ['a 2xx body that is not the contract', upstream(200)],
    ['an UPSTREAM_ERROR without status (body over the read limit)', new UpstreamError('too large')],
    ['a timeout', new UpstreamTimeoutError('slow')],
    ['a spent budget', new UpstreamTimeoutError('no time left', false)],
    ['an open circuit or a full gateway (FailFastError)', new FailFastError('circuit open')],
    ['400', new BadUserInputError('bad', undefined, { status: 400 })],
    ['401', new UnauthenticatedError('who', { status: 401 })],
    ['403', new ForbiddenError('no', { status: 403 })],
    ['404', new NotFoundError('gone', { status: 404 })],
    ['a plain Error', new Error('bug')],
    ['a TypeError', new TypeError('undefined is not a function')],
    ['undefined', undefined],
    ['a string', 'UPSTREAM_ERROR'],
    ['an object that looks like an error', { code: 'UPSTREAM_UNAVAILABLE', extensions: { upstreamStatus: 503 } }],
  ])('does not retry %s', (_name, error) => {
    expect(isRetryableRead(error)).toBe(false);
  });

  test('agrees with the upstream status mapping for every 4xx and 5xx', () => {
    const retried: number[] = [];
    for (let status = 400; status < 600; status++) {
      if (isRetryableRead(errorFromUpstreamResponse({ status, body: undefined }))) retried.push(status);
    }
    expect(retried).toStrictEqual([429, 502, 503, 504]);
  });
});

describe('retryDelayMs', () => {
  const options = (random: number, baseDelayMs = 100, maxDelayMs = 2000): RetryOptions => ({
    maxAttempts: 10,
    baseDelayMs,
    maxDelayMs,
    random: () => random,
  });

  test('full jitter: random × the ceiling, which doubles with each retry', () => {
    const half = options(0.5);
    expect([1, 2, 3, 4, 5].map((retry) => retryDelayMs(retry, upstream(503), half))).toStrictEqual([50, 100, 200, 400, 800]);
  });

  test('random 0 waits not at all; random just under 1 waits about the ceiling', () => {
    expect(retryDelayMs(3, upstream(503), options(0))).toBe(0);
    expect(retryDelayMs(3, upstream(503), options(0.9999))).toBe(400);
  });

  test('rounds to whole milliseconds', () => {
    expect(retryDelayMs(1, upstream(503), options(1 / 3, 10))).toBe(3);
    expect(Number.isInteger(retryDelayMs(2, upstream(503), options(0.123456, 7)))).toBe(true);
  });

  test('the ceiling stops at maxDelayMs', () => {
    const full = options(1, 100, 1000);
    expect(retryDelayMs(4, upstream(503), full)).toBe(800);
    expect(retryDelayMs(5, upstream(503), full)).toBe(1000);
    expect(retryDelayMs(10, upstream(503), full)).toBe(1000);
    // So far out that 2 ** (retry - 1) overflows to Infinity: still the cap.
    expect(retryDelayMs(2000, upstream(503), full)).toBe(1000);
  });

  test('maxDelayMs below baseDelayMs caps the first retry too', () => {
    expect(retryDelayMs(1, upstream(503), options(1, 500, 100))).toBe(100);
  });

  test('a zero base delay means immediate retries', () => {
    expect(retryDelayMs(1, upstream(503), options(1, 0))).toBe(0);
    expect(retryDelayMs(5, upstream(503), options(1, 0))).toBe(0);
  });

  test('never negative and never above the ceiling, whatever the random value in [0, 1)', () => {
    for (let i = 0; i <= 100; i++) {
      const random = Math.min(i / 100, 0.999999);
      for (let retry = 1; retry <= 8; retry++) {
        const delay = retryDelayMs(retry, upstream(503), options(random));
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(2000, 100 * 2 ** (retry - 1)));
      }
    }
  });

  test('uses Math.random when no source of jitter is given', () => {
    const spy = jest.spyOn(Math, 'random').mockReturnValue(0.25);
    try {
      expect(retryDelayMs(2, upstream(503), { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2000 })).toBe(50);
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  describe('Retry-After', () => {
    test('takes precedence over the backoff: seconds → milliseconds, no jitter', () => {
      const random = jest.fn(() => 0.5);
      const delay = retryDelayMs(1, new RateLimitedError('slow down', 2), { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2000, random });
      expect(delay).toBe(2000);
      expect(random).not.toHaveBeenCalled();
    });

    test('Retry-After: 0 still waits the base delay, on every retry, whatever the jitter', () => {
      for (const random of [0, 0.5, 0.9999]) {
        for (const retry of [1, 2, 3]) expect(retryDelayMs(retry, new RateLimitedError('slow down', 0), options(random))).toBe(100);
      }
    });

    test('the floor is the base delay, capped like the backoff by maxDelayMs', () => {
      expect(retryDelayMs(1, new RateLimitedError('slow down', 0), options(0.5, 250, 2000))).toBe(250);
      expect(retryDelayMs(1, new RateLimitedError('slow down', 0), options(0.5, 500, 100))).toBe(100);
      expect(retryDelayMs(1, new RateLimitedError('slow down', 0), options(0.5, 0))).toBe(0);
    });

    test('an HTTP-date Retry-After already past backs off the base delay too', () => {
      const error = errorFromUpstreamResponse({ status: 429, body: undefined, retryAfter: new Date(Date.now() - 60_000).toUTCString() });
      expect(retryDelayMs(1, error, options(0.5))).toBe(100);
    });

    test('is not cut to maxDelayMs (the operation budget decides whether it fits)', () => {
      expect(retryDelayMs(1, new RateLimitedError('slow down', 30), options(0.5, 100, 2000))).toBe(30_000);
    });

    test('a 429 without Retry-After backs off like any other retry', () => {
      expect(retryDelayMs(2, new RateLimitedError('slow down'), options(0.5))).toBe(100);
    });

    test('a 429 mapped from a response with an HTTP-date Retry-After', () => {
      const error = errorFromUpstreamResponse({ status: 429, body: undefined, retryAfter: new Date(Date.now() + 3000).toUTCString() });
      const delay = retryDelayMs(1, error, options(0.5));
      // An HTTP date has whole seconds: 2 or 3 s from now, rounded up.
      expect(delay).toBeGreaterThanOrEqual(2000);
      expect(delay).toBeLessThanOrEqual(3000);
    });

    test('only a RateLimitedError carries Retry-After; other errors back off', () => {
      expect(retryDelayMs(1, upstream(503), options(0.5))).toBe(50);
      expect(retryDelayMs(1, new UpstreamUnavailableError('reset'), options(0.5))).toBe(50);
    });
  });
});

describe('FailFastError', () => {
  // What a client and the resilience layer see of a refusal by the gateway itself (circuit open,
  // no free upstream slot); the breaker and write cases are in ResilientInvitesApi.test.ts.
  test('reaches clients as UPSTREAM_UNAVAILABLE and is never retried', () => {
    const error = new FailFastError('circuit open');
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.extensions.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toBe('circuit open');
    expect(isRetryableRead(error)).toBe(false);
  });
});
