import http, { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { baseUrl, listen } from '../http/listen';
import { OpenSockets, closeNow } from '../http/openSockets';
import { BodyTooLargeError, readBodyText } from '../http/requestBody';
import { sendJson } from '../http/sendJson';
import { FaultTimers, JsonAnswer, applyFault } from './applyFault';
import { TokenAuth } from './auth';
import { DEMO_TOKEN_SCOPES, SeedOrg, demoSeed } from './demoData';
import { FaultQueue } from './faults';
import { HttpProblem } from './HttpProblem';
import { InviteStore } from './InviteStore';
import { RecordedRequest, RequestRecord } from './RequestRecord';
import type { RequestBody } from './requestValidation';
import { InviteRoutes } from './InviteRoutes';

export type { RecordedRequest } from './RequestRecord';

export interface SimulatorOptions {
  /** Organizations and invites to start with; the demo world by default. */
  readonly seed?: readonly SeedOrg[];
  /** Token → scopes; the demo tokens by default. */
  readonly tokens?: Readonly<Record<string, readonly string[]>>;
  /** Clock, for tests that need invites to expire. */
  readonly now?: () => Date;
  /** Largest request body accepted, in bytes. */
  readonly maxBodyBytes?: number;
  /** How many of the latest requests `requests` keeps (oldest dropped first); 0 keeps none. */
  readonly recordLimit?: number;
  /**
   * Records credentials the simulator did not issue as they came, for a test that checks any token
   * is forwarded verbatim; by default they are redacted.
   */
  readonly recordUnknownCredentials?: boolean;
}

/** Enough for any one test's calls; a test simulator never grows past it whatever runs through it. */
const DEFAULT_RECORD_LIMIT = 1000;

/** A bug in the simulator should be loud in tests (logged), not look like an upstream 500. */
const FAILURE: JsonAnswer = { status: 500, body: { type: 'InternalError', message: 'simulator failure' } };

/**
 * A stand-in for the Losant REST API's invite actions: same paths, status codes, bodies, scope
 * checks and validation (against the contract's own JSON schemas), with state in memory. It backs
 * the gateway's zero-configuration mode and every integration test. This class only wires the
 * parts: `InviteRoutes.ts` answers, `auth.ts` checks tokens, `requestValidation.ts` checks input,
 * `faults.ts` says how to misbehave and `RequestRecord.ts` remembers what came in.
 */
export class SimulatorServer {
  readonly store: InviteStore;
  readonly faults = new FaultQueue();
  /** The latest requests, oldest first, at most `recordLimit` of them; tests may empty it (`length = 0`). */
  readonly requests: RecordedRequest[];
  /** Requests being handled right now, and the most there have been at once (for concurrency caps). */
  inFlight = 0;
  maxInFlight = 0;
  private readonly server: http.Server;
  private readonly sockets: OpenSockets;
  private readonly timers = new FaultTimers();
  private readonly record: RequestRecord;
  private readonly routes: InviteRoutes;
  private readonly maxBodyBytes: number;

  constructor(options: SimulatorOptions = {}) {
    const now = options.now ?? (() => new Date());
    this.store = new InviteStore(options.seed ?? demoSeed(now()), now);
    const auth = new TokenAuth(options.tokens ?? DEMO_TOKEN_SCOPES);
    this.routes = new InviteRoutes(this.store, auth);
    const recordUnknownCredentials = options.recordUnknownCredentials ?? false;
    this.record = new RequestRecord({
      limit: options.recordLimit ?? DEFAULT_RECORD_LIMIT,
      keepsCredential: (authorization) => recordUnknownCredentials || auth.scopesOf(authorization) !== undefined,
    });
    this.requests = this.record.requests;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.server = http.createServer((req, res) => {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      res.on('close', () => this.inFlight--);
      this.handle(req, res).catch((error: unknown) => this.fail(error, res));
    });
    this.sockets = new OpenSockets(this.server);
  }

  /** Every request received since start, recorded or not. */
  get received(): number {
    return this.record.received;
  }

  /** Starts listening; answers the base URL to give the gateway as `LOSANT_API_URL`. */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await listen(this.server, port, host);
    this.timers.resume();
    return this.url;
  }

  get url(): string {
    return baseUrl(this.server.address() as AddressInfo);
  }

  /** Stops listening and drops every open connection, including ones held by a `hang` fault. */
  async close(): Promise<void> {
    this.timers.cancelAll();
    await closeNow(this.server, this.sockets);
  }

  /** Requests received for one action, e.g. `callsTo('GET')`. */
  callsTo(method: string): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const body = await this.readBody(req);
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: body.parsed,
    };
    this.record.add(request);
    const answer = (): JsonAnswer => {
      try {
        if (body.tooLarge) throw new HttpProblem(413, 'PayloadTooLarge', 'Request body is too large');
        return this.routes.answer(request, body);
      } catch (error) {
        if (error instanceof HttpProblem) return error.answer;
        console.error('simulator failure', error);
        return FAILURE;
      }
    };
    applyFault(this.faults.take(request.method) ?? { kind: 'ok' }, { req, res, answer, timers: this.timers });
  }

  private fail(error: unknown, res: ServerResponse): void {
    console.error('simulator failure', error);
    if (!res.headersSent) sendJson(res, FAILURE.status, FAILURE.body);
  }

  /** The whole body, read even past the limit so the connection stays usable for the 413. */
  private async readBody(req: IncomingMessage): Promise<RequestBody & { tooLarge: boolean }> {
    let text: string;
    try {
      text = await readBodyText(req, this.maxBodyBytes, { drainExcess: true });
    } catch (error) {
      if (error instanceof BodyTooLargeError) return { invalidJson: false, tooLarge: true };
      throw error;
    }
    if (text.length === 0) return { invalidJson: false, tooLarge: false };
    try {
      return { parsed: JSON.parse(text), invalidJson: false, tooLarge: false };
    } catch {
      return { invalidJson: true, tooLarge: false };
    }
  }
}
