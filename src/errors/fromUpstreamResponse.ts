import type { UpstreamErrorDto } from '../contract/types';
import {
  BadUserInputError,
  ForbiddenError,
  GatewayError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  UpstreamDetails,
  UpstreamError,
} from './gatewayErrors';
import { redactSecrets } from './redact';

const MAX_UPSTREAM_MESSAGE_LENGTH = 500;

/** Reads `{type, message}` from an upstream error body, tolerating anything else. */
function readErrorBody(body: unknown): UpstreamErrorDto {
  if (typeof body !== 'object' || body === null) return {};
  const { type, message } = body as Record<string, unknown>;
  return {
    type: typeof type === 'string' ? type : undefined,
    message: typeof message === 'string' ? message : undefined,
  };
}

/** `Retry-After` is either delay-seconds or an HTTP date; answers whole seconds from `now`. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // Only an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`) is a date; Date.parse would also take "-5".
  if (!/^[A-Za-z]{3},\s/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

export interface UpstreamFailure {
  status: number;
  /** The parsed JSON body, or `undefined` when the body was not JSON. */
  body: unknown;
  retryAfter?: string | null;
  /** Secrets to strip from upstream text before it reaches a client (the caller's token). */
  secrets?: readonly (string | undefined)[];
}

/**
 * The one mapping from an upstream failure status to a typed GraphQL error. The upstream's error
 * `type` and `message` are kept in `extensions` so clients can show them; its status is kept as
 * `extensions.upstreamStatus`.
 */
export function errorFromUpstreamResponse({ status, body, retryAfter, secrets = [] }: UpstreamFailure): GatewayError {
  const parsed = readErrorBody(body);
  const message =
    parsed.message !== undefined ? redactSecrets(parsed.message, secrets).slice(0, MAX_UPSTREAM_MESSAGE_LENGTH) : undefined;
  const details: UpstreamDetails = { status, type: parsed.type, message };
  const said = message ? `: ${message}` : '';

  switch (status) {
    case 400:
    case 409:
    case 422:
      return new BadUserInputError(`The upstream rejected the request${said}`, undefined, details);
    case 401:
      return new UnauthenticatedError(`The upstream did not accept the credentials${said}`, details);
    case 403:
      return new ForbiddenError(`The token is not allowed to perform this action${said}`, details);
    case 404:
      return new NotFoundError(`Not found${said}`, details);
    case 429: {
      const seconds = parseRetryAfter(retryAfter);
      const when = seconds !== undefined ? `; retry after ${seconds} s` : '';
      return new RateLimitedError(`The upstream is rate limiting requests${when}`, seconds, details);
    }
    default:
      return new UpstreamError(`The upstream failed with HTTP ${status}${said}`, details);
  }
}
