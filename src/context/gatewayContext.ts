import type { Context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { ResponseBudget } from './responseBudget';
import type { UpstreamCallBudget } from './UpstreamCallBudget';
import type { InviteLoader } from '../loaders/InviteLoader';

/** What every resolver receives; built fresh for each HTTP request, so nothing leaks between callers. */
export interface GatewayContext {
  /** Id of this request in logs (the incoming `x-request-id` when one was sent). */
  readonly requestId: string;
  /** The incoming `Authorization` header, forwarded to the upstream as is. */
  readonly authorization?: string;
  /** The incoming `losantdomain` header; a `losantdomain` argument takes precedence. */
  readonly losantdomain?: string;
  /** The request's loader: every upstream read and write of a resolver goes through it. */
  readonly inviteLoader: InviteLoader;
  /** Upstream calls the request's operations have been allowed; shared by the operations of a batch. */
  readonly upstreamBudget: UpstreamCallBudget;
  /** Invites the answer may still carry and its deadline; shared by the operations of a batch. */
  readonly responseBudget: ResponseBudget;
  /** Most invites one connection page may ask for (`MAX_PAGE_SIZE`). */
  readonly maxPageSize: number;
  /** The trace the request is part of: its server span when tracing is on, else the caller's context (or none). */
  readonly trace: Context;
  /** `requestId`, and `trace_id` and `span_id` when the request is part of a trace: what every log line of the request carries. */
  readonly logFields: RequestLogFields;
  /** A logger whose lines carry `logFields` (made on first use: most requests log one line, with the root logger and `logFields`). */
  readonly logger: Logger;
}

export interface RequestLogFields {
  readonly requestId: string;
  readonly trace_id?: string;
  readonly span_id?: string;
}
