import type { Context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { InviteLoader } from '../loaders/InviteLoader';
import type { GatewayContext, RequestLogFields } from './gatewayContext';
import type { ResponseBudget } from './responseBudget';
import type { UpstreamCallBudget } from './UpstreamCallBudget';

export interface RequestContextParts extends Omit<GatewayContext, 'logger'> {
  /** The process's logger; the request's child of it is made only when asked for. */
  readonly rootLogger: Logger;
}

/**
 * A request's `GatewayContext`. Its `logger` is a pino child made on first use: a child costs
 * about 1 KB that lives as long as the request (so, under load, survives a scavenge and is
 * promoted), and the one line most requests write, the operation's, is written with the root
 * logger and `logFields` instead, to the same bytes.
 *
 * Apollo runs each operation on a shallow copy of this object (`Object.assign` onto an object
 * with the same prototype), so the getter lives on the prototype and its cache in a plain field.
 */
export class RequestContext implements GatewayContext {
  readonly requestId: string;
  readonly authorization?: string;
  readonly losantdomain?: string;
  readonly inviteLoader: InviteLoader;
  readonly upstreamBudget: UpstreamCallBudget;
  readonly responseBudget: ResponseBudget;
  readonly maxPageSize: number;
  readonly trace: Context;
  readonly logFields: RequestLogFields;
  private readonly rootLogger: Logger;
  private childLogger: Logger | undefined;

  constructor(parts: RequestContextParts) {
    this.requestId = parts.requestId;
    this.authorization = parts.authorization;
    this.losantdomain = parts.losantdomain;
    this.inviteLoader = parts.inviteLoader;
    this.upstreamBudget = parts.upstreamBudget;
    this.responseBudget = parts.responseBudget;
    this.maxPageSize = parts.maxPageSize;
    this.trace = parts.trace;
    this.logFields = parts.logFields;
    this.rootLogger = parts.rootLogger;
    this.childLogger = undefined;
  }

  get logger(): Logger {
    return (this.childLogger ??= this.rootLogger.child(this.logFields));
  }
}
