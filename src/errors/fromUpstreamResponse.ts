import { contractSchemas } from '../contract/validators';
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
import { Redactor, redactorFor } from './redact';

const MAX_UPSTREAM_MESSAGE_LENGTH = 500;
const MAX_UPSTREAM_TYPE_LENGTH = 100;

/**
 * What the upstream said, fit to show a client: its error body only when the contract's `error`
 * schema accepts it (an HTML page or a body of the wrong shape says nothing), and each string
 * scrubbed of the caller's secrets and of anything shaped like a credential, then cut short.
 */
function readErrorBody(body: unknown, redactor: Redactor): { type?: string; message?: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !contractSchemas.error(body)) return {};
  const { type, message } = body as { type?: string; message?: string };
  return {
    type: type !== undefined ? redactor.scrub(type, MAX_UPSTREAM_TYPE_LENGTH) : undefined,
    message: message !== undefined ? redactor.scrub(message, MAX_UPSTREAM_MESSAGE_LENGTH) : undefined,
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
  /**
   * Secrets to strip from upstream text before it reaches a client: the caller's `Authorization`
   * value and its token (see `credentialSecrets`).
   */
  secrets?: readonly (string | undefined)[];
}

/**
 * The one mapping from an upstream failure status to a typed GraphQL error. The upstream's error
 * `type` and `message` are kept in `extensions` so clients can show them; its status is kept as
 * `extensions.upstreamStatus`.
 */
export function errorFromUpstreamResponse({ status, body, retryAfter, secrets = [] }: UpstreamFailure): GatewayError {
  const redactor = redactorFor(secrets);
  const { type, message } = readErrorBody(body, redactor);
  const details: UpstreamDetails = { status, type, message };
  // The upstream's words joined to the gateway's could spell a secret across the seam.
  const said = message && !redactor.reveals(`${lead(status)}: ${message}`) ? `: ${message}` : '';

  switch (status) {
    case 400:
    case 409:
    case 422:
      return new BadUserInputError(`${lead(status)}${said}`, undefined, details);
    case 401:
      return new UnauthenticatedError(`${lead(status)}${said}`, details);
    case 403:
      return new ForbiddenError(`${lead(status)}${said}`, details);
    case 404:
      return new NotFoundError(`${lead(status)}${said}`, details);
    case 429: {
      const seconds = parseRetryAfter(retryAfter);
      const when = seconds !== undefined ? `; retry after ${seconds} s` : '';
      return new RateLimitedError(`${lead(status)}${when}`, seconds, details);
    }
    default:
      return new UpstreamError(`${lead(status)}${said}`, details);
  }
}

/** The gateway's own words for an upstream status, before what the upstream said. */
function lead(status: number): string {
  switch (status) {
    case 400:
    case 409:
    case 422:
      return 'The upstream rejected the request';
    case 401:
      return 'The upstream did not accept the credentials';
    case 403:
      return 'The token is not allowed to perform this action';
    case 404:
      return 'Not found';
    case 429:
      return 'The upstream is rate limiting requests';
    default:
      return `The upstream failed with HTTP ${status}`;
  }
}
