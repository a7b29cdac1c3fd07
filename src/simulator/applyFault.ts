import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/sendJson';
import type { Fault } from './faults';

/** A JSON answer not written yet. */
export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** One request a fault is played on, and what the server lends the fault to play it. */
export interface FaultExchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The answer the request gets without a fault; asked for only when the fault needs it, after any delay. */
  readonly answer: () => JsonAnswer;
  /** The server's timers, cancelled when it closes. */
  readonly timers: FaultTimers;
  /** Told of the bytes each `huge` body writes, and of each one the client dropped before its end. */
  readonly onHugeBytes?: (bytes: number) => void;
  readonly onHugeDropped?: () => void;
}

/** Timers of delays and trickled bodies, so that a closing server leaves none behind. */
export class FaultTimers {
  private readonly pending = new Set<NodeJS.Timeout>();
  private cancelled = false;

  later(ms: number, fn: () => void): void {
    if (this.cancelled) return;
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      fn();
    }, ms);
    this.pending.add(timer);
  }

  /** True after `cancelAll()`, until `resume()`: streams stop writing. */
  get stopped(): boolean {
    return this.cancelled;
  }

  /** Cancels the timers set so far; new ones still run. */
  clearPending(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }

  /** Cancels every timer, and refuses new ones until `resume()`. */
  cancelAll(): void {
    this.cancelled = true;
    this.clearPending();
  }

  resume(): void {
    this.cancelled = false;
  }
}

/** Plays `fault` on the exchange's response: answers, misanswers, or drops it. */
export function applyFault(fault: Fault, exchange: FaultExchange): void {
  const { req, res } = exchange;
  switch (fault.kind) {
    case 'ok': {
      const answer = exchange.answer();
      sendJson(res, answer.status, answer.body);
      return;
    }
    case 'status':
      sendJson(res, fault.status, fault.body ?? { type: 'Injected', message: `Injected HTTP ${fault.status}` }, fault.headers);
      return;
    case 'raw':
      res.writeHead(fault.status, { 'content-type': fault.contentType, 'content-length': Buffer.byteLength(fault.body) });
      res.end(fault.body);
      return;
    case 'encoded':
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': fault.encoding,
        'content-length': fault.body.byteLength,
      });
      res.end(fault.body);
      return;
    case 'reset':
      req.socket.resetAndDestroy();
      return;
    case 'hang':
      return;
    case 'delay':
      exchange.timers.later(fault.ms, () => {
        const then: Fault = fault.then ?? { kind: 'ok' };
        // The real answer is still worked out (a write the client gave up on may have happened),
        // but there is no connection left to misbehave on.
        if (then.kind === 'ok' || !req.socket.destroyed) applyFault(then, exchange);
      });
      return;
    case 'slowBody':
      trickle(fault.chunks, fault.intervalMs, exchange);
      return;
    case 'huge':
      sendHuge(fault.bytes, exchange);
      return;
    case 'closeEarly': {
      // Written on the raw socket so that nothing (neither node's http framing nor a final
      // chunk) completes the body: the client gets a clean FIN in the middle of it.
      const partial = '{"items":[{"id":"6b0000000000000000000001","email":"ada@';
      const head =
        fault.framing === 'content-length'
          ? `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${partial.length + 1000}\r\n\r\n${partial}`
          : `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${partial.length.toString(16)}\r\n${partial}\r\n`;
      const socket = req.socket;
      socket.write(head, () => socket.end());
      return;
    }
  }
}

/** The real answer in `chunks` parts (at least two), the first at once and one more every `intervalMs`. */
function trickle(chunks: number, intervalMs: number, { req, res, answer, timers }: FaultExchange): void {
  const { status, body } = answer();
  const text = JSON.stringify(body);
  const size = Math.ceil(text.length / Math.max(2, chunks));
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.write(parts.shift());
  const next = (): void => {
    if (req.socket.destroyed || res.destroyed) return;
    const part = parts.shift();
    if (part === undefined) return;
    if (parts.length === 0) res.end(part);
    else {
      res.write(part);
      timers.later(intervalMs, next);
    }
  };
  timers.later(intervalMs, next);
}

/** `{"items":[],"count":0,"padding":"      ..."}`, `bytes` long, written as fast as the client drains it. */
function sendHuge(bytes: number, { res, timers, onHugeBytes, onHugeDropped }: FaultExchange): void {
  const prefix = Buffer.from('{"items":[],"count":0,"padding":"');
  const suffix = Buffer.from('"}');
  const endless = !Number.isFinite(bytes);
  const total = endless ? Infinity : Math.max(bytes, prefix.length + suffix.length);
  const filler = Buffer.alloc(64 * 1024, 0x20);
  res.writeHead(200, { 'content-type': 'application/json', ...(endless ? {} : { 'content-length': String(total) }) });
  let sent = 0;
  res.on('close', () => {
    if (!res.writableFinished) onHugeDropped?.();
  });
  const write = (chunk: Buffer): boolean => {
    sent += chunk.length;
    onHugeBytes?.(chunk.length);
    return res.write(chunk);
  };
  write(prefix);
  const pump = (): void => {
    while (!res.destroyed && !timers.stopped) {
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
