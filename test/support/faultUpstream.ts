import http, { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { OrgInviteCollectionDto, OrgInviteDto } from '../../src/contract/types';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID } from '../../src/simulator/demoData';

/*
 * A real HTTP upstream for fault-injection tests: it listens on 127.0.0.1, counts and records every
 * request, and answers each one with the next behaviour of a script (a FIFO), or with a valid
 * answer when the script is empty. Unlike the simulator's fault queue it can also misbehave below
 * HTTP: reset the connection, trickle a body, send one larger than the gateway reads, or close
 * the connection before the promised body is complete.
 */

/** What the fault upstream does with one request. */
export type Behaviour =
  /** Answer with this status and JSON body (no body when `body` is undefined). */
  | { readonly kind: 'status'; readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> }
  /** Answer with a body taken as it is (an HTML error page, malformed JSON). */
  | { readonly kind: 'raw'; readonly status: number; readonly contentType: string; readonly text: string }
  /** Reset the connection (TCP RST) without answering. */
  | { readonly kind: 'reset' }
  /** Never answer; the connection stays open until the client gives up or `close()`. */
  | { readonly kind: 'hang' }
  /** Headers and the first chunk of a valid body at once, then one more chunk every `intervalMs`. */
  | { readonly kind: 'slowBody'; readonly chunks: number; readonly intervalMs: number }
  /** A 200 JSON body of `bytes` bytes (`Infinity`: never ends), streamed as fast as the client reads. */
  | { readonly kind: 'huge'; readonly bytes: number }
  /**
   * Headers promising a body (`Content-Length`, or chunked encoding), part of it, then the
   * connection is closed cleanly (FIN) before the rest.
   */
  | { readonly kind: 'closeEarly'; readonly framing: 'content-length' | 'chunked' }
  /** Wait `ms`, then behave as `then` (the default answer when absent). */
  | { readonly kind: 'delay'; readonly ms: number; readonly then?: Behaviour }
  /** The default answer: a valid `orgInviteCollection` (200 for GET, 201 for POST with the new invite). */
  | { readonly kind: 'ok' };

export const status = (code: number, jsonBody?: unknown, headers?: Readonly<Record<string, string>>): Behaviour => ({
  kind: 'status',
  status: code,
  body: jsonBody,
  headers,
});
export const raw = (code: number, contentType: string, text: string): Behaviour => ({ kind: 'raw', status: code, contentType, text });
export const reset: Behaviour = { kind: 'reset' };
export const hang: Behaviour = { kind: 'hang' };
export const slowBody = (chunks: number, intervalMs: number): Behaviour => ({ kind: 'slowBody', chunks, intervalMs });
export const huge = (bytes: number): Behaviour => ({ kind: 'huge', bytes });
export const closeEarly: Behaviour = { kind: 'closeEarly', framing: 'content-length' };
export const closeEarlyChunked: Behaviour = { kind: 'closeEarly', framing: 'chunked' };
export const delay = (ms: number, then?: Behaviour): Behaviour => ({ kind: 'delay', ms, then });
export const ok: Behaviour = { kind: 'ok' };

/** An HTML page as a proxy in front of an API sends when the API is down. */
export const HTML_ERROR_PAGE = '<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>';

/** One request as the fault upstream received it. */
export interface FaultRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed JSON body, the raw text when it is not JSON, `undefined` when empty or not read yet. */
  body?: unknown;
  /** The behaviour it got. */
  readonly behaviour: Behaviour['kind'];
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

  private readonly script: Behaviour[] = [];
  private fallback: Behaviour = ok;
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
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
    this.server.on('connection', (socket: Socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      // Clients that give up (timeouts, resets) make writes fail; that is the point, not a fault.
      socket.on('error', () => undefined);
    });
  }

  /** `http://127.0.0.1:PORT`, valid after `listen()`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.listening = true;
    this.closed = false;
    return this.url;
  }

  /** Queues behaviours for the next requests, in order. */
  enqueue(...behaviours: Behaviour[]): this {
    this.script.push(...behaviours);
    return this;
  }

  /** Queues `behaviour` for the next `times` requests. */
  repeat(behaviour: Behaviour, times: number): this {
    for (let i = 0; i < times; i++) this.script.push(behaviour);
    return this;
  }

  /** What requests get once the script is used up (the valid answer unless set). */
  always(behaviour: Behaviour): this {
    this.fallback = behaviour;
    return this;
  }

  /** Behaviours still queued. */
  get pending(): number {
    return this.script.length;
  }

  /** Forgets the script, the fallback and every count (not the open connections). */
  reset(): void {
    this.script.length = 0;
    this.fallback = ok;
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
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.destroyAll();
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
    if (!this.listening) {
      this.destroyAll();
      return;
    }
    this.listening = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.destroyAll();
    await closed;
  }

  /** Destroys every open connection (the server keeps listening). */
  destroyConnections(): void {
    this.destroyAll();
  }

  private destroyAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const behaviour = this.script.length > 0 ? (this.script.shift() as Behaviour) : this.fallback;
    const url = new URL(req.url ?? '/', 'http://upstream.invalid');
    const record: FaultRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      behaviour: behaviour.kind,
      at: Date.now(),
    };
    this.requests.push(record);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    let done = false;
    const finished = (): void => {
      if (done) return;
      done = true;
      this.inFlight = Math.max(0, this.inFlight - 1);
    };
    // Fires when the answer is complete and when the connection goes first (reset, hang, abort).
    res.on('close', finished);

    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => undefined);
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.length > 0) {
        try {
          record.body = JSON.parse(text);
        } catch {
          record.body = text;
        }
      }
      if (this.closed) return;
      this.behave(behaviour, record, req, res);
    });
  }

  private behave(behaviour: Behaviour, record: FaultRequest, req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket;
    switch (behaviour.kind) {
      case 'ok': {
        const isPost = record.method === 'POST';
        const body = record.body as { email?: unknown } | undefined;
        const extra = isPost && typeof body?.email === 'string' ? [upstreamInvite(body.email, 3)] : [];
        sendJson(res, isPost ? 201 : 200, upstreamCollection(extra));
        return;
      }
      case 'status':
        if (behaviour.body === undefined) {
          res.writeHead(behaviour.status, { 'content-length': '0', ...behaviour.headers });
          res.end();
        } else {
          sendJson(res, behaviour.status, behaviour.body, behaviour.headers);
        }
        return;
      case 'raw':
        res.writeHead(behaviour.status, {
          'content-type': behaviour.contentType,
          'content-length': String(Buffer.byteLength(behaviour.text)),
        });
        res.end(behaviour.text);
        return;
      case 'reset':
        socket.resetAndDestroy();
        return;
      case 'hang':
        return;
      case 'delay':
        this.later(behaviour.ms, () => {
          if (!socket.destroyed) this.behave(behaviour.then ?? ok, record, req, res);
        });
        return;
      case 'slowBody': {
        const text = JSON.stringify(upstreamCollection());
        const count = Math.max(2, behaviour.chunks);
        const size = Math.ceil(text.length / count);
        const parts: string[] = [];
        for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
        res.write(parts.shift());
        const next = (): void => {
          if (socket.destroyed || res.destroyed) return;
          const part = parts.shift();
          if (part === undefined) return;
          if (parts.length === 0) res.end(part);
          else {
            res.write(part);
            this.later(behaviour.intervalMs, next);
          }
        };
        this.later(behaviour.intervalMs, next);
        return;
      }
      case 'huge':
        this.sendHuge(behaviour.bytes, res);
        return;
      case 'closeEarly': {
        // Written on the raw socket so that nothing (neither node's http framing nor a final
        // chunk) completes the body: the client gets a clean FIN in the middle of it.
        const partial = '{"items":[{"id":"6b0000000000000000000001","email":"ada@';
        const head =
          behaviour.framing === 'content-length'
            ? `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${partial.length + 1000}\r\n\r\n${partial}`
            : `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${partial.length.toString(16)}\r\n${partial}\r\n`;
        socket.write(head, () => socket.end());
        return;
      }
    }
  }

  /** `{"items":[],"count":0,"padding":"      ..."}`, `bytes` long, written as fast as the client drains it. */
  private sendHuge(bytes: number, res: ServerResponse): void {
    const prefix = Buffer.from('{"items":[],"count":0,"padding":"');
    const suffix = Buffer.from('"}');
    const endless = !Number.isFinite(bytes);
    const total = endless ? Infinity : Math.max(bytes, prefix.length + suffix.length);
    const filler = Buffer.alloc(64 * 1024, 0x20);
    res.writeHead(200, { 'content-type': 'application/json', ...(endless ? {} : { 'content-length': String(total) }) });
    let sent = 0;
    let clientDropped = false;
    res.on('close', () => {
      if (!res.writableFinished && !clientDropped) {
        clientDropped = true;
        this.hugeClosedByClient++;
      }
    });
    const write = (chunk: Buffer): boolean => {
      sent += chunk.length;
      this.hugeBytesSent += chunk.length;
      return res.write(chunk);
    };
    write(prefix);
    const pump = (): void => {
      while (!res.destroyed && !this.closed) {
        const left = total - sent - suffix.length;
        if (left <= 0) {
          res.end(suffix);
          return;
        }
        const chunk = left >= filler.length ? filler : filler.subarray(0, left);
        if (!write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
    };
    pump();
  }
}

function sendJson(res: ServerResponse, code: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** Starts a fault upstream on a free loopback port. */
export async function startFaultUpstream(): Promise<FaultUpstream> {
  const upstream = new FaultUpstream();
  await upstream.listen();
  return upstream;
}

/** A loopback URL on which nothing listens (a port just freed): connections are refused. */
export async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
