import http from 'node:http';
import https from 'node:https';
import type { Tracer } from '@opentelemetry/api';
import fetch, { FetchError, Response } from 'node-fetch';
import type {
  ListInvitesQuery,
  OrgInviteCollectionDto,
  OrgInviteDto,
  OrgInvitePostDto,
  OrgRoleInfoDto,
  SuccessDto,
} from '../contract/types';
import { errorFromUpstreamResponse } from '../errors/fromUpstreamResponse';
import {
  GatewayError,
  OperationTimeoutError,
  ResponseTooLargeError,
  UpstreamError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '../errors/gatewayErrors';
import { credentialSecrets } from '../errors/redact';
import { startUpstreamSpan, type UpstreamServer, type UpstreamSpan, upstreamServer } from '../observability/tracing/upstreamSpan';
import type { CallerCredentials, CallOptions, InviteRef, InvitesApi, OrgRef, UpstreamCallEvent } from './invitesApi';
import {
  flagsSearch,
  INVITE_PATH_TEMPLATE,
  invitePath,
  INVITES_PATH_TEMPLATE,
  invitesPath,
  listInvitesSearch,
  upstreamHeaders,
} from './requests';
import { EventLoopStalls } from './EventLoopStalls';
import { ACCEPTED_ENCODINGS, readBodyText, UnreadableBodyError } from './responseBody';
import { BodyCheck, orgInviteCollectionProblem, orgInviteProblem, successProblem } from './responseGuards';
import { UpstreamAction } from './upstreamActions';
import { startWireTimeout, type WireTimeout } from './wireTimeout';

export interface HttpInvitesApiOptions {
  /** Base URL of the REST API, without a trailing slash, e.g. `https://api.losant.com`. */
  readonly baseUrl: string;
  /** Milliseconds one call may take, body included, not counting the gateway's own event-loop stalls. */
  readonly timeoutMs: number;
  /** Told about every finished call (logs, metrics, tests counting calls). */
  readonly onCall?: (event: UpstreamCallEvent) => void;
  /** Largest response body read, in bytes; larger ones fail with UPSTREAM_ERROR. */
  readonly maxResponseBytes?: number;
  /**
   * Most invites one list answer may hold (`MAX_RESPONSE_ITEMS`: no answer could carry more);
   * a longer list fails with RESPONSE_TOO_LARGE before any of its items is checked.
   */
  readonly maxListItems?: number;
  /** When tracing is on: every call sent gets a client span, and the upstream its context. */
  readonly tracer?: Tracer;
}

/** The readiness ping's invite: well-formed ids no real invite has, asked for without a token. */
const PING_INVITE = { instanceId: '0'.repeat(24), orgId: '0'.repeat(24), inviteId: '0'.repeat(24) };

/** Transport errors raised before any byte of the request left: a write may safely be retried. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

interface CallSpec {
  readonly action: UpstreamAction;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  /** `path` with its parameters unfilled, for the span. */
  readonly template: string;
  readonly search: string;
  readonly body?: unknown;
  readonly credentials: CallerCredentials;
  readonly call?: CallOptions;
}

/** The real REST client: node-fetch over one keep-alive agent per process. */
export class HttpInvitesApi implements InvitesApi {
  private readonly agent: http.Agent;
  private readonly server: UpstreamServer;
  private readonly stalls = new EventLoopStalls();

  constructor(private readonly options: HttpInvitesApiOptions) {
    this.server = upstreamServer(options.baseUrl);
    const isHttps = options.baseUrl.startsWith('https:');
    // Keep-alive saves a TCP (and TLS) handshake on every call after the first.
    const agentOptions = { keepAlive: true, maxSockets: 256, maxFreeSockets: 64 };
    this.agent = isHttps ? new TruncationAwareHttpsAgent(agentOptions) : new TruncationAwareHttpAgent(agentOptions);
  }

  listInvites(org: OrgRef, query: ListInvitesQuery, credentials: CallerCredentials, call?: CallOptions): Promise<OrgInviteCollectionDto> {
    const spec: CallSpec = {
      action: UpstreamAction.listInvites,
      method: 'GET',
      path: invitesPath(org),
      template: INVITES_PATH_TEMPLATE,
      search: listInvitesSearch(query),
      credentials,
      call,
    };
    return this.call(spec, orgInviteCollectionProblem, 'an invite collection', (body) => this.tooManyItems(body));
  }

  inviteMember(org: OrgRef, invite: OrgInvitePostDto, credentials: CallerCredentials, call?: CallOptions): Promise<OrgInviteCollectionDto> {
    return this.call(
      {
        action: UpstreamAction.inviteMember,
        method: 'POST',
        path: invitesPath(org),
        template: INVITES_PATH_TEMPLATE,
        search: flagsSearch(),
        body: invite,
        credentials,
        call,
      },
      orgInviteCollectionProblem,
      'an invite collection',
    );
  }

  getInvite(invite: InviteRef, credentials: CallerCredentials, call?: CallOptions): Promise<OrgInviteDto> {
    return this.call(
      {
        action: UpstreamAction.getInvite,
        method: 'GET',
        path: invitePath(invite),
        template: INVITE_PATH_TEMPLATE,
        search: flagsSearch(),
        credentials,
        call,
      },
      orgInviteProblem,
      'an invite',
    );
  }

  revokeInvite(invite: InviteRef, credentials: CallerCredentials, call?: CallOptions): Promise<SuccessDto> {
    return this.call(
      {
        action: UpstreamAction.revokeInvite,
        method: 'DELETE',
        path: invitePath(invite),
        template: INVITE_PATH_TEMPLATE,
        search: flagsSearch(),
        credentials,
        call,
      },
      successProblem,
      'a success body',
    );
  }

  resendInvite(invite: InviteRef, roles: OrgRoleInfoDto, credentials: CallerCredentials, call?: CallOptions): Promise<OrgInviteDto> {
    return this.call(
      {
        action: UpstreamAction.resendInvite,
        method: 'POST',
        path: invitePath(invite),
        template: INVITE_PATH_TEMPLATE,
        search: flagsSearch(),
        body: roles,
        credentials,
        call,
      },
      orgInviteProblem,
      'an invite',
    );
  }

  /**
   * Whether the upstream answers the invite routes within `timeoutMs`. Asks for an invite that
   * cannot exist, without credentials: where the route is, the API answers 401 (any status below
   * 500 but 404 counts); a 404 means the base URL's path is wrong (`.../v1`), which would otherwise
   * turn every call into NOT_FOUND while the upstream looked healthy. Used by the readiness probe.
   */
  async ping(timeoutMs: number): Promise<{ reachable: boolean; detail: string }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      // Only the status matters: the body is drained undecoded (so the socket can be reused), and
      // a long one drops the connection rather than being read.
      const url = `${this.options.baseUrl}${invitePath(PING_INVITE)}`;
      const response = await fetch(url, { agent: this.agent, signal: controller.signal, redirect: 'manual', compress: false });
      await readBodyText(response.body, null, PING_MAX_BODY_BYTES).catch(() => controller.abort());
      if (response.status === 404) {
        return {
          reachable: false,
          detail: `HTTP 404 on ${INVITE_PATH_TEMPLATE}: no invite routes under LOSANT_API_URL; it should be the API's root (e.g. https://api.losant.com)`,
        };
      }
      return { reachable: response.status < 500, detail: `HTTP ${response.status}` };
    } catch (cause) {
      const name = (cause as { name?: string } | null)?.name;
      return {
        reachable: false,
        detail: name === 'AbortError' ? `no answer within ${timeoutMs} ms` : ((cause as FetchError).code ?? 'unreachable'),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes idle keep-alive sockets so the process can exit. */
  close(): void {
    this.stalls.stop();
    this.agent.destroy();
  }

  /**
   * Sends one request and answers its parsed JSON body once `check` finds nothing wrong with it
   * (so it is a `T`), or throws a typed `GatewayError`: a 2xx body off the contract is
   * UPSTREAM_ERROR, which for a write means it may have succeeded. Every outcome is reported to
   * `onCall` exactly once.
   */
  private async call<T>(
    spec: CallSpec,
    check: BodyCheck,
    expected: string,
    refuse?: (body: unknown) => GatewayError | undefined,
  ): Promise<T> {
    const started = performance.now();
    let span: UpstreamSpan | undefined;
    const report = (status: number | undefined, error?: GatewayError): void => {
      span?.end(status, error?.code);
      this.options.onCall?.({
        action: spec.action,
        method: spec.method,
        path: spec.path,
        status,
        durationMs: performance.now() - started,
        errorCode: error?.code,
        requestId: spec.call?.requestId,
        trace: span?.context ?? spec.call?.trace,
      });
    };

    // The call gets its own timeout, cut short by what is left of the operation's budget.
    const remaining = spec.call?.deadline !== undefined ? spec.call.deadline - Date.now() : Infinity;
    if (remaining <= 0) {
      const error = new OperationTimeoutError(`The operation's time budget ran out before ${spec.action} could be sent`, false);
      report(undefined, error);
      throw error;
    }
    // Running out of the budget says nothing about the upstream; only its own timeout does.
    const controller = new AbortController();
    const timeout = startWireTimeout(() => controller.abort(), this.options.timeoutMs, remaining, this.stalls);
    if (this.options.tracer) {
      span = startUpstreamSpan(this.options.tracer, spec.call?.trace, this.server, {
        action: spec.action,
        method: spec.method,
        template: spec.template,
        attempt: spec.call?.attempt ?? 1,
      });
    }
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.options.baseUrl}${spec.path}?${spec.search}`, {
        method: spec.method,
        // Asked for explicitly, since the body is decoded here (only in these codings), not by node-fetch.
        headers: {
          ...upstreamHeaders(spec.credentials, spec.body !== undefined, spec.call, span?.context),
          'Accept-Encoding': ACCEPTED_ENCODINGS,
        },
        body: spec.body !== undefined ? JSON.stringify(spec.body) : undefined,
        agent: this.agent,
        signal: controller.signal,
        // Redirects could carry the caller's token to another host; the API does not redirect.
        redirect: 'manual',
        compress: false,
      });
      text = await readBodyText(
        response.body,
        response.headers.get('content-encoding'),
        this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      );
    } catch (cause) {
      // Drop the connection: an oversized or broken body must not go on downloading.
      controller.abort();
      const error = this.transportError(cause, spec, timeout);
      report(undefined, error);
      throw error;
    } finally {
      timeout.cancel();
    }

    const parsed = parseJson(text);
    if (response.status >= 200 && response.status < 300) {
      // Before the contract check, whose cost grows with every item of the body.
      const refusal = parsed === NOT_JSON ? undefined : refuse?.(parsed);
      if (refusal) {
        report(response.status, refusal);
        throw refusal;
      }
      const problem = parsed === NOT_JSON ? 'that is not JSON' : check(parsed);
      if (problem !== undefined) {
        const what = parsed === NOT_JSON ? problem : `that is not ${expected} (${problem})`;
        const error = new UpstreamError(`The upstream answered ${spec.action} with a body ${what}`, { status: response.status });
        report(response.status, error);
        throw error;
      }
      report(response.status);
      // `check` found the body to be what the contract and the GraphQL layer need.
      return parsed as T;
    }
    const error = errorFromUpstreamResponse({
      status: response.status,
      body: parsed === NOT_JSON ? undefined : parsed,
      retryAfter: response.headers.get('retry-after'),
      secrets: credentialSecrets(spec.credentials.authorization),
    });
    report(response.status, error);
    throw error;
  }

  /**
   * A list longer than any answer may carry (the contract check of 120,000 items alone would cost
   * more than serving a real list). A refusal of the gateway's, not a fault of the upstream's:
   * the circuit breaker sees an answer, and it is not retried.
   */
  private tooManyItems(body: unknown): GatewayError | undefined {
    const max = this.options.maxListItems;
    const items = (body as { items?: unknown } | null)?.items;
    if (max === undefined || !Array.isArray(items) || items.length <= max) return undefined;
    return new ResponseTooLargeError(
      `The upstream's list holds ${items.length} invites; an answer may carry at most ${max}`,
      'items',
      max,
      items.length,
    );
  }

  private transportError(cause: unknown, spec: CallSpec, timeout: WireTimeout): GatewayError {
    const name = (cause as { name?: string } | null)?.name;
    if (name === 'AbortError' && timeout.expired === 'budget') {
      return new OperationTimeoutError(
        `The operation's time budget ran out ${Math.round(timeout.elapsedMs())} ms into ${spec.action}, before the upstream's own timeout`,
        true,
      );
    }
    if (name === 'AbortError') {
      return new UpstreamTimeoutError(`The upstream did not answer ${spec.action} within ${this.options.timeoutMs} ms`);
    }
    if (cause instanceof UnreadableBodyError) return unreadableBodyError(cause, spec.action);
    const code = cause instanceof FetchError ? cause.code : undefined;
    // The message says which action failed and how, never the URL's query or any header.
    return new UpstreamUnavailableError(
      `The upstream could not be reached for ${spec.action}${code ? ` (${code})` : ''}`,
      !(code !== undefined && NOT_SENT_CODES.has(code)),
    );
  }
}

/**
 * node-fetch 2 notices a body cut short only when it is chunked: with a Content-Length, a
 * connection closed early leaves the body waiting until the timeout. Every request of these agents
 * reports such a response as an error on the request, which node-fetch passes to the body.
 */
function watchForTruncation(request: http.ClientRequest): void {
  request.once('response', (response: http.IncomingMessage) => {
    response.once('close', () => {
      if (response.complete) return;
      request.emit('error', Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    });
  });
}

/** `Agent#addRequest` is where Node hands every request to its agent; @types/node does not declare it. */
type AddRequest = { addRequest: (request: http.ClientRequest, options: http.RequestOptions) => void };

class TruncationAwareHttpAgent extends http.Agent {
  addRequest(request: http.ClientRequest, options: http.RequestOptions): void {
    watchForTruncation(request);
    (http.Agent.prototype as unknown as AddRequest).addRequest.call(this, request, options);
  }
}

class TruncationAwareHttpsAgent extends https.Agent {
  addRequest(request: http.ClientRequest, options: http.RequestOptions): void {
    watchForTruncation(request);
    (https.Agent.prototype as unknown as AddRequest).addRequest.call(this, request, options);
  }
}

/** Says why a body was not read, without quoting what the upstream sent. */
function unreadableBodyError(cause: UnreadableBodyError, action: UpstreamAction): UpstreamError {
  switch (cause.reason) {
    case 'too-large':
      return new UpstreamError(`The upstream's answer to ${action} is larger than the gateway reads`);
    case 'unrequested-encoding':
      return new UpstreamError(
        `The upstream answered ${action} in a content encoding the gateway did not ask for (it asks for ${ACCEPTED_ENCODINGS})`,
      );
    case 'undecodable':
      return new UpstreamError(`The upstream's answer to ${action} does not decode as its Content-Encoding says`);
  }
}

const NOT_JSON = Symbol('not json');

/** The ping's answer (an error for an invite that cannot exist) is a few hundred bytes. */
const PING_MAX_BODY_BYTES = 64 * 1024;

/** A 500-invite list is about 150 KB; anything near this limit is not a real answer. */
const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

function parseJson(text: string): unknown {
  if (text.length === 0) return NOT_JSON;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}
