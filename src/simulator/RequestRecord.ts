import { redacted } from './auth';

/**
 * One request as the simulator received it, for tests that count or inspect upstream calls. Its
 * `authorization` header is kept only when it holds one of the simulator's own (published) tokens;
 * any other credential is recorded as `<scheme> [redacted]`.
 */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body?: unknown;
}

export interface RequestRecordOptions {
  /** How many of the latest requests are kept (oldest dropped first); 0 keeps none. */
  readonly limit: number;
  /** Whether a credential may be kept as it came: the simulator's own tokens, or any under `recordUnknownCredentials`. */
  readonly keepsCredential: (authorization: string | string[]) => boolean;
}

/**
 * The simulator's bounded request record, test instrumentation. It keeps the caller's credential
 * only when it is one of the simulator's own tokens (which it holds anyway): the embedded
 * simulator runs inside the gateway, and must not keep every caller's token for as long as it runs.
 */
export class RequestRecord {
  /** The latest requests, oldest first, at most `limit` of them; tests may empty it (`length = 0`). */
  readonly requests: RecordedRequest[] = [];
  /** Every request received, recorded or not. */
  received = 0;

  constructor(private readonly options: RequestRecordOptions) {}

  add(request: RecordedRequest): void {
    this.received++;
    const { limit, keepsCredential } = this.options;
    if (limit === 0) return;
    const { authorization } = request.headers;
    const kept = authorization === undefined || keepsCredential(authorization);
    this.requests.push(kept ? request : { ...request, headers: { ...request.headers, authorization: redacted(authorization) } });
    if (this.requests.length > limit) this.requests.splice(0, this.requests.length - limit);
  }
}
