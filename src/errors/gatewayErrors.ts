import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from './errorCode';

/** What the upstream said about a failure, kept for the client where it helps. */
export interface UpstreamDetails {
  /** HTTP status the upstream answered with. */
  status?: number;
  /** The `type` of the upstream error body, such as `Validation`. */
  type?: string;
  /** The `message` of the upstream error body, with secrets removed. */
  message?: string;
}

/**
 * Base of every error the gateway raises on purpose. Its `extensions.code` is fixed per class, and
 * `extensions.upstreamStatus` carries the upstream's HTTP status when there was one. Errors of this
 * class reach clients as they are; anything else is masked by `maskUnexpectedErrors`.
 */
export abstract class GatewayError extends GraphQLError {
  abstract readonly code: ErrorCode;

  protected constructor(message: string, code: ErrorCode, upstream?: UpstreamDetails, extra: Record<string, unknown> = {}) {
    super(message, {
      extensions: {
        code,
        ...(upstream?.status !== undefined ? { upstreamStatus: upstream.status } : {}),
        ...(upstream?.type !== undefined ? { upstreamType: upstream.type } : {}),
        ...(upstream?.message !== undefined ? { upstreamMessage: upstream.message } : {}),
        ...extra,
      },
    });
  }
}

export class BadUserInputError extends GatewayError {
  readonly code = ErrorCode.BAD_USER_INPUT;
  /**
   * @param argumentPath where the bad value is, as `invite.applicationRoles[2].resourceId`; absent
   *   when the upstream rejected the request without saying which part.
   */
  constructor(
    message: string,
    readonly argumentPath?: string,
    upstream?: UpstreamDetails,
  ) {
    super(message, ErrorCode.BAD_USER_INPUT, upstream, argumentPath ? { argumentPath } : {});
  }
}

export class NotFoundError extends GatewayError {
  readonly code = ErrorCode.NOT_FOUND;
  constructor(message: string, upstream?: UpstreamDetails) {
    super(message, ErrorCode.NOT_FOUND, upstream);
  }
}

export class UnauthenticatedError extends GatewayError {
  readonly code = ErrorCode.UNAUTHENTICATED;
  constructor(message: string, upstream?: UpstreamDetails) {
    super(message, ErrorCode.UNAUTHENTICATED, upstream);
  }
}

export class ForbiddenError extends GatewayError {
  readonly code = ErrorCode.FORBIDDEN;
  constructor(message: string, upstream?: UpstreamDetails) {
    super(message, ErrorCode.FORBIDDEN, upstream);
  }
}

export class RateLimitedError extends GatewayError {
  readonly code = ErrorCode.RATE_LIMITED;
  /** @param retryAfterSeconds from the upstream's `Retry-After`, when it sent one. */
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
    upstream?: UpstreamDetails,
  ) {
    super(message, ErrorCode.RATE_LIMITED, upstream, retryAfterSeconds !== undefined ? { retryAfter: retryAfterSeconds } : {});
  }
}

export class UpstreamError extends GatewayError {
  readonly code = ErrorCode.UPSTREAM_ERROR;
  constructor(message: string, upstream?: UpstreamDetails) {
    super(message, ErrorCode.UPSTREAM_ERROR, upstream);
  }
}

export class UpstreamUnavailableError extends GatewayError {
  readonly code = ErrorCode.UPSTREAM_UNAVAILABLE;
  /**
   * @param requestSent false only when the request certainly never reached the upstream
   *   (connection refused, name not resolved): only then may a write be retried.
   */
  constructor(
    message: string,
    readonly requestSent: boolean = true,
  ) {
    super(message, ErrorCode.UPSTREAM_UNAVAILABLE);
  }
}

export class UpstreamTimeoutError extends GatewayError {
  readonly code = ErrorCode.UPSTREAM_TIMEOUT;
  /** @param requestSent false when the operation's time budget ran out before the call was made. */
  constructor(
    message: string,
    readonly requestSent: boolean = true,
  ) {
    super(message, ErrorCode.UPSTREAM_TIMEOUT);
  }
}

/**
 * The extensions of an error saying a limit was reached: which, its bound, the value that broke it
 * (when known), and HTTP 400 like any request error.
 */
function limitExtensions(limit: string, max: number, actual: number | undefined): Record<string, unknown> {
  return { limit, max, ...(actual !== undefined ? { actual } : {}), http: { status: 400 } };
}

/** An operation broke one of the gateway's limits before anything was sent upstream. */
export class OperationLimitError extends GatewayError {
  readonly code = ErrorCode.OPERATION_LIMIT_EXCEEDED;
  /** @param actual left out where it is not known (parsing stops at the first token over `max`). */
  constructor(message: string, limit: string, max: number, actual?: number) {
    // HTTP 400 like any request error: the operation never ran.
    super(message, ErrorCode.OPERATION_LIMIT_EXCEEDED, undefined, limitExtensions(limit, max, actual));
  }
}

/** Which bound of the answer was reached: invites over all its lists, or serialised bytes. */
export type ResponseLimit = 'items' | 'bytes';

/**
 * The answer would be over `MAX_RESPONSE_ITEMS` or `MAX_RESPONSE_BYTES`. Raised before the answer
 * is built (items) or instead of sending it (bytes); a query gets this error alone, no data.
 */
export class ResponseTooLargeError extends GatewayError {
  readonly code = ErrorCode.RESPONSE_TOO_LARGE;
  constructor(message: string, limit: ResponseLimit, max: number, actual?: number) {
    // 400 like the other limits: under the legacy JSON type the HTTP layer answers it 200.
    super(message, ErrorCode.RESPONSE_TOO_LARGE, undefined, limitExtensions(limit, max, actual));
  }
}

/** What a client sees instead of an unexpected fault: no detail, only an id to find the log line. */
export class InternalServerError extends GatewayError {
  readonly code = ErrorCode.INTERNAL_SERVER_ERROR;
  constructor(readonly correlationId: string) {
    super(`Internal server error (correlation id ${correlationId})`, ErrorCode.INTERNAL_SERVER_ERROR, undefined, {
      correlationId,
    });
  }
}

/**
 * The gateway refused to call the upstream: the circuit is open, or the gateway is at its limit of
 * concurrent upstream calls. Nothing was sent, so it is not a failure of the upstream (the circuit
 * breaker never counts it), a read is not retried (the refusal is on purpose), and a write refused
 * this way certainly did not happen. Clients get the code of an upstream they cannot reach.
 */
export class FailFastError extends GatewayError {
  readonly code = ErrorCode.UPSTREAM_UNAVAILABLE;
  constructor(message: string) {
    super(message, ErrorCode.UPSTREAM_UNAVAILABLE);
  }
}

/** A limit of the gateway's own that stopped an upstream call, named after its setting. */
export type GatewayLimit = 'OPERATION_TIMEOUT_MS' | 'UPSTREAM_MAX_QUEUE' | 'RATE_LIMIT_POINTS';

/**
 * The operation's time budget (`OPERATION_TIMEOUT_MS`) ran out before an upstream call could be
 * sent, or before the upstream had its full `UPSTREAM_TIMEOUT_MS`: the gateway's limit, not a
 * failure of the upstream, so the circuit breaker never counts it. Clients get the code they
 * already handle for a call that took too long, with `extensions.gatewayLimit` saying why.
 */
export class OperationTimeoutError extends GatewayError {
  readonly code = ErrorCode.UPSTREAM_TIMEOUT;
  /** @param requestSent false when the call was never sent (it waited in the gateway's queue, or earlier calls spent the budget). */
  constructor(
    message: string,
    readonly requestSent: boolean,
  ) {
    super(message, ErrorCode.UPSTREAM_TIMEOUT, undefined, { gatewayLimit: 'OPERATION_TIMEOUT_MS' satisfies GatewayLimit });
  }
}

/**
 * The caller's token has used its share of the upstream quota (`RATE_LIMIT_POINTS` REST calls
 * every `RATE_LIMIT_WINDOW_SECONDS`), or the operation alone needs more than the whole share.
 * Nothing was sent upstream. Clients get the code of an upstream 429, told apart by
 * `extensions.gatewayLimit`; HTTP 429 with `Retry-After`, as `extensions.retryAfter` says.
 */
export class QuotaShareSpentError extends GatewayError {
  readonly code = ErrorCode.RATE_LIMITED;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    const headers = new HeaderMap();
    headers.set('retry-after', String(retryAfterSeconds));
    super(message, ErrorCode.RATE_LIMITED, undefined, {
      retryAfter: retryAfterSeconds,
      gatewayLimit: 'RATE_LIMIT_POINTS' satisfies GatewayLimit,
      http: { status: 429, headers },
    });
  }
}
