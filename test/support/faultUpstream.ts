import http, { IncomingMessage, ServerResponse } from 'node:http';
import type { OrgInviteCollectionDto, OrgInviteDto } from '../../src/contract/types';
import { baseUrl, listen } from '../../src/http/listen';
import { OpenSockets, stopListening } from '../../src/http/openSockets';
import { readBodyText } from '../../src/http/requestBody';
import { FaultTimers, JsonAnswer, applyFault } from '../../src/simulator/applyFault';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID } from '../../src/simulator/demoData';
import { Fault, FaultQueue, ok } from '../../src/simulator/faults';

/*
 * A real HTTP upstream for fault-injection tests: it listens on 127.0.0.1, counts and records every
 * request, and answers each one with the next fault of a script (a FIFO, in the simulator's fault
 * language), or with a valid answer when the script is empty. What it adds to the simulator is
 * test-only: a fallback fault, arrival times, connection counts, and refusing connections on its
 * port. The faults below HTTP (resets, trickled, huge or truncated bodies) are the simulator's.
 */

/** An HTML page as a proxy in front of an API sends when the API is down. */
export const HTML_ERROR_PAGE =
  '<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>';

/** One request as the fault upstream received it. */
export interface FaultRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed JSON body, the raw text when it is not JSON, `undefined` when empty or not read yet. */
  body?: unknown;
  /** The fault it got. */
  readonly fault: Fault['kind'];
  /** `Date.now()` when it arrived. */
  readonly at: number;
}

/** Wire-valid invite, as the upstream sends it. */
export function upstreamInvite(email: string, n = 1): OrgInviteDto {
  return {
    id: `6b00000000000000000000${n.toString(16).padStart(2, '0')}`,
    email,
    role: 'view',
    applicationRoles: [],
    dashboardRoles: [],
    inviteDate: new Date(Date.UTC(2024, 0, 1)).toISOString(),
    ttl: 7 * 24 * 60 * 60 * 1000,
    hasExpired: false,
    disallowTransfer: false,
  };
}

/** The collection the default answer holds (with `extra` appended for a POST). */
export function upstreamCollection(extra: readonly OrgInviteDto[] = []): OrgInviteCollectionDto {
  const items = [upstreamInvite('ada@example.com', 1), upstreamInvite('grace@example.com', 2), ...extra];
  return { items, count: items.length, instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID, sortField: 'email', sortDirection: 'asc' };
}

/** The valid answer: the collection, 200 for GET, 201 for POST with the new invite. */
function validAnswer(request: FaultRequest): JsonAnswer {
  const isPost = request.method === 'POST';
  const body = request.body as { email?: unknown } | undefined;
  const extra = isPost && typeof body?.email === 'string' ? [upstreamInvite(body.email, 3)] : [];
  return { status: isPost ? 201 : 200, body: upstreamCollection(extra) };
}

export class FaultUpstream {
  /** Every request received since the last `reset()`, in arrival order. */
  readonly requests: FaultRequest[] = [];
  /** Requests being answered right now, and the most there have been at once. */
  inFlight = 0;
  maxInFlight = 0;
  /** Connections accepted since the last `reset()`. */
  connections = 0;
  /** Bytes of `huge` bodies written since the last `reset()`, and whether each such connection was dropped by the client. */
  hugeBytesSent = 0;
  hugeClosedByClient = 0;

  private readonly script = new FaultQueue();
  private fallback: Fault = ok;
  private readonly orgFaults = new Map<string, Fault>();
  private readonly server: http.Server;
  private readonly sockets: OpenSockets;
  private readonly timers = new FaultTimers();
  private port = 0;
  private listening = false;
  private closed = false;

  constructor() {
    this.server = http.createServer((req, res) => this.handle(req, res));
    // Keep-alive connections stay open for the whole test: an idle timeout racing a reused
    // socket would show up as a spurious reset and an extra attempt.
    this.server.keepAliveTimeout = 60_000;
    this.server.headersTimeout = 61_000;
    this.server.requestTimeout = 0;
    this.sockets = new OpenSockets(this.server);
    this.server.on('connection', (socket) => {
      this.connections++;
      // Clients that give up (timeouts, resets) make writes fail; that is the point, not a fault.
      socket.on('error', () => undefined);
    });
  }

  /** `http://127.0.0.1:PORT`, valid after `listen()`. */
  get url(): string {
    return baseUrl({ address: '127.0.0.1', family: 'IPv4', port: this.port });
  }

  async listen(port = 0): Promise<string> {
    this.port = (await listen(this.server, port, '127.0.0.1')).port;
    this.listening = true;
    this.closed = false;
    this.timers.resume();
    return this.url;
  }

  /** Queues faults for the next requests, in order. */
  enqueue(...faults: Fault[]): this {
    for (const fault of faults) this.script.inject(fault);
    return this;
  }

  /** Queues `fault` for the next `times` requests. */
  repeat(fault: Fault, times: number): this {
    this.script.inject(fault, { times });
    return this;
  }

  /** What requests get once the script is used up (the valid answer unless set). */
  always(fault: Fault): this {
    this.fallback = fault;
    return this;
  }

  /**
   * What every request whose path lies under `/orgs/<orgId>` gets (any such path, not only the
   * invite routes), ahead of the script and the fallback.
   */
  alwaysForOrg(orgId: string, fault: Fault): this {
    this.orgFaults.set(orgId, fault);
    return this;
  }

  /** Faults still queued. */
  get pending(): number {
    return this.script.size;
  }

  /** Forgets the script, the fallback and every count (not the open connections). */
  reset(): void {
    this.script.clear();
    this.fallback = ok;
    this.orgFaults.clear();
    this.requests.length = 0;
    this.inFlight = 0;
    this.maxInFlight = 0;
    this.connections = 0;
    this.hugeBytesSent = 0;
    this.hugeClosedByClient = 0;
  }

  /**
   * Waits until nothing is in flight and no request has arrived for `quietMs` (at most `maxMs`):
   * a request the gateway wrote just before aborting it can arrive late, and must not be counted
   * in the next test.
   */
  async settle(quietMs = 100, maxMs = 2000): Promise<void> {
    const giveUp = Date.now() + maxMs;
    for (;;) {
      const last = this.requests.length > 0 ? this.requests[this.requests.length - 1].at : 0;
      const quiet = this.inFlight === 0 && Date.now() - last >= quietMs;
      if (quiet || Date.now() >= giveUp) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Requests received, of one method or all. */
  count(method?: string): number {
    return method === undefined ? this.requests.length : this.requests.filter((r) => r.method === method.toUpperCase()).length;
  }

  /**
   * Stops listening (connections to the port are refused from now on) but keeps the port, so
   * `acceptConnections()` can take it again. Open connections are destroyed.
   */
  async refuseConnections(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    const closed = stopListening(this.server);
    this.destroyConnections();
    await closed;
  }

  /** Listens again on the same port after `refuseConnections()`. */
  async acceptConnections(): Promise<void> {
    if (this.listening) return;
    await this.listen(this.port);
  }

  /** Stops listening and destroys every connection, hanging and trickling ones included. */
  async close(): Promise<void> {
    this.closed = true;
    this.reset();
    this.timers.cancelAll();
    await this.refuseConnections();
  }

  /** Destroys every open connection and the trickles and delays still pending on them (the server keeps listening). */
  destroyConnections(): void {
    this.timers.clearPending();
    this.sockets.destroyAll();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://upstream.invalid');
    const orgId = /\/orgs\/([^/]+)/.exec(url.pathname)?.[1];
    const fault = (orgId !== undefined ? this.orgFaults.get(orgId) : undefined) ?? this.script.take(req.method ?? 'GET') ?? this.fallback;
    const record: FaultRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      fault: fault.kind,
      at: Date.now(),
    };
    this.requests.push(record);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    let done = false;
    // Fires when the answer is complete and when the connection goes first (reset, hang, abort).
    res.on('close', () => {
      if (done) return;
      done = true;
      this.inFlight = Math.max(0, this.inFlight - 1);
    });

    readBodyText(req, Infinity)
      .then((text) => {
        if (text.length > 0) {
          try {
            record.body = JSON.parse(text);
          } catch {
            record.body = text;
          }
        }
        if (this.closed) return;
        applyFault(fault, {
          req,
          res,
          answer: () => validAnswer(record),
          timers: this.timers,
          onHugeBytes: (bytes) => (this.hugeBytesSent += bytes),
          onHugeDropped: () => this.hugeClosedByClient++,
        });
      })
      // A client that goes away mid-body is not a fault of the upstream's.
      .catch(() => undefined);
  }
}

/** Starts a fault upstream on a free loopback port. */
export async function startFaultUpstream(): Promise<FaultUpstream> {
  const upstream = new FaultUpstream();
  await upstream.listen();
  return upstream;
}
