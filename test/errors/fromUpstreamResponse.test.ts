import { ErrorCode } from '../../src/errors/errorCode';
import { errorFromUpstreamResponse, parseRetryAfter } from '../../src/errors/fromUpstreamResponse';
import {
  BadUserInputError,
  ForbiddenError,
  NotFoundError,
  OperationLimitError,
  RateLimitedError,
  UnauthenticatedError,
  UpstreamError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '../../src/errors/gatewayErrors';

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-05-01T12:00:00.000Z');

  test('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  test('reads an HTTP date as whole seconds from now, rounding up', () => {
    expect(parseRetryAfter('Wed, 01 May 2024 12:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Wed, 01 May 2024 12:00:30 GMT', now + 500)).toBe(30);
  });

  test('a date in the past means retry now', () => {
    expect(parseRetryAfter('Wed, 01 May 2024 11:00:00 GMT', now)).toBe(0);
  });

  test.each([null, undefined, '', 'soon', '120s'])('answers undefined for %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  // Neither delay-seconds nor an HTTP date; V8's lenient Date.parse reads each as a date (the first
  // two in 2001, the last by skipping the word in front of the weekday).
  test.each(['-5', '1.5', 'soon: Wed, 01 May 2024 12:00:30 GMT'])('answers undefined for the malformed value %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('errorFromUpstreamResponse', () => {
  const body = { type: 'Validation', message: 'email is invalid' };

  test.each([
    [400, BadUserInputError, ErrorCode.BAD_USER_INPUT],
    [409, BadUserInputError, ErrorCode.BAD_USER_INPUT],
    [422, BadUserInputError, ErrorCode.BAD_USER_INPUT],
    [401, UnauthenticatedError, ErrorCode.UNAUTHENTICATED],
    [403, ForbiddenError, ErrorCode.FORBIDDEN],
    [404, NotFoundError, ErrorCode.NOT_FOUND],
    [429, RateLimitedError, ErrorCode.RATE_LIMITED],
    [500, UpstreamError, ErrorCode.UPSTREAM_ERROR],
    [502, UpstreamError, ErrorCode.UPSTREAM_ERROR],
    [503, UpstreamError, ErrorCode.UPSTREAM_ERROR],
    [418, UpstreamError, ErrorCode.UPSTREAM_ERROR],
    [302, UpstreamError, ErrorCode.UPSTREAM_ERROR],
  ])('%i maps to %p', (status, errorClass, code) => {
    const error = errorFromUpstreamResponse({ status, body });
    expect(error).toBeInstanceOf(errorClass);
    expect(error.code).toBe(code);
    expect(error.extensions).toMatchObject({
      code,
      upstreamStatus: status,
      upstreamType: 'Validation',
      upstreamMessage: 'email is invalid',
    });
  });

  test('puts the upstream message in the error message', () => {
    expect(errorFromUpstreamResponse({ status: 404, body: { type: 'NotFound', message: 'Org was not found' } }).message).toBe(
      'Not found: Org was not found',
    );
    expect(errorFromUpstreamResponse({ status: 500, body: undefined }).message).toBe('The upstream failed with HTTP 500');
  });

  test('a 400 from the upstream names no argument path', () => {
    const error = errorFromUpstreamResponse({ status: 400, body }) as BadUserInputError;
    expect(error.argumentPath).toBeUndefined();
    expect(error.extensions).not.toHaveProperty('argumentPath');
  });

  test.each([
    ['no body', undefined],
    ['null', null],
    ['a string', 'Bad Gateway'],
    ['an array', ['x']],
    ['non-string fields', { type: 7, message: { nested: true } }],
  ])('tolerates %s', (_name, weird) => {
    const error = errorFromUpstreamResponse({ status: 503, body: weird });
    expect(error.extensions).toStrictEqual({ code: ErrorCode.UPSTREAM_ERROR, upstreamStatus: 503 });
  });

  test('keeps only the known fields of the error body', () => {
    const error = errorFromUpstreamResponse({ status: 403, body: { type: 'Forbidden', message: 'no', stack: 'at x', token: 't' } });
    expect(error.extensions).toStrictEqual({
      code: ErrorCode.FORBIDDEN,
      upstreamStatus: 403,
      upstreamType: 'Forbidden',
      upstreamMessage: 'no',
    });
  });

  test('429 carries retryAfter from Retry-After', () => {
    const error = errorFromUpstreamResponse({ status: 429, body: { type: 'RateLimited', message: 'later' }, retryAfter: '42' });
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBe(42);
    expect(error.extensions.retryAfter).toBe(42);
    expect(error.message).toContain('42');
  });

  test('429 without a usable Retry-After has no retryAfter', () => {
    for (const retryAfter of [undefined, null, 'whenever']) {
      const error = errorFromUpstreamResponse({ status: 429, body: undefined, retryAfter });
      expect(error.extensions).toStrictEqual({ code: ErrorCode.RATE_LIMITED, upstreamStatus: 429 });
    }
  });

  test('redacts the given secrets, bearer tokens and JWTs from the upstream message', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    const error = errorFromUpstreamResponse({
      status: 401,
      body: { type: 'Unauthorized', message: `secret-token-123 rejected; Bearer other-token; jwt ${jwt}` },
      secrets: ['secret-token-123', undefined],
    });
    const json = JSON.stringify(error.toJSON());
    expect(json).not.toContain('secret-token-123');
    expect(json).not.toContain('other-token');
    expect(json).not.toContain(jwt);
    expect(error.extensions.upstreamMessage).toBe('[REDACTED] rejected; Bearer [REDACTED]; jwt [REDACTED]');
  });

  test('scrubs the upstream type like the message, and cuts it to 100 characters', () => {
    const error = errorFromUpstreamResponse({
      status: 401,
      body: { type: `Bad token s3cret-"tok ${'x'.repeat(200)}`, message: 'no' },
      secrets: ['s3cret-"tok'],
    });
    const type = error.extensions.upstreamType as string;
    expect(type).toMatch(/^Bad token \[REDACTED\] x{60,}$/);
    expect(type.length).toBeLessThanOrEqual(100);
  });

  test('an error body off the contract says nothing, even in its fields of the right type', () => {
    const error = errorFromUpstreamResponse({ status: 400, body: { type: 7, message: 'readable' } });
    expect(error.extensions).toStrictEqual({ code: ErrorCode.BAD_USER_INPUT, upstreamStatus: 400 });
  });

  test("a message that would spell the secret next to the gateway's own words stays out of the message", () => {
    const error = errorFromUpstreamResponse({ status: 400, body: { message: 'ab12 was refused' }, secrets: ['request: ab12'] });
    expect(error.message).toBe('The upstream rejected the request');
    expect(error.extensions.upstreamMessage).toBe('ab12 was refused');
  });

  test('cuts very long upstream messages to 500 characters', () => {
    const error = errorFromUpstreamResponse({ status: 400, body: { type: 'Validation', message: 'x'.repeat(5000) } });
    expect(error.extensions.upstreamMessage).toBe('x'.repeat(500));
    expect(error.message.length).toBeLessThan(600);
  });
});

describe('the words of each refusal, and what a client is told to wait', () => {
  test.each<[number, string]>([
    [401, 'The upstream did not accept the credentials'],
    [403, 'The token is not allowed to perform this action'],
    [429, 'The upstream is rate limiting requests'],
  ])('HTTP %i without a readable body: "%s"', (status, message) => {
    expect(errorFromUpstreamResponse({ status, body: undefined }).message).toBe(message);
  });

  test('a 429 with Retry-After says when to retry; without one it says nothing of it', () => {
    expect(errorFromUpstreamResponse({ status: 429, body: undefined, retryAfter: '7' }).message).toBe(
      'The upstream is rate limiting requests; retry after 7 s',
    );
    expect(errorFromUpstreamResponse({ status: 429, body: undefined, retryAfter: null }).message).toBe(
      'The upstream is rate limiting requests',
    );
  });

  test('a JSON body of null, a string or an array says nothing, and breaks nothing', () => {
    for (const body of [null, 'Service Unavailable', [{ type: 'X', message: 'in a list' }]]) {
      const error = errorFromUpstreamResponse({ status: 503, body });
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error.message).toBe('The upstream failed with HTTP 503');
      expect(error.extensions).not.toHaveProperty('upstreamMessage');
    }
  });

  test('a Retry-After shaped like a date that is none is no delay at all', () => {
    expect(parseRetryAfter('Foo, not a date', 0)).toBeUndefined();
  });
});

describe('the errors that say whether a request left', () => {
  test('a connection failure or a timeout counts as sent unless told otherwise (a write is then never retried)', () => {
    expect(new UpstreamUnavailableError('reset').requestSent).toBe(true);
    expect(new UpstreamTimeoutError('slow').requestSent).toBe(true);
  });

  test('a limit refused while parsing has no actual count', () => {
    expect(new OperationLimitError('too many tokens', 'tokens', 5).extensions).not.toHaveProperty('actual');
    expect(new OperationLimitError('too deep', 'depth', 5, 6).extensions).toMatchObject({ limit: 'depth', max: 5, actual: 6 });
  });
});
