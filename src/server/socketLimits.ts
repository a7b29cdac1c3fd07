import http from 'node:http';
import type { Logger } from 'pino';
import type { SocketLimits } from '../config/settings';

/** Refused connections are reported at most this often: a flood must not flood the logs too. */
const DROP_REPORT_INTERVAL_MS = 10_000;

/**
 * A `node:http` server that slow or idle clients cannot hold open: headers and the whole request
 * (body included) must arrive in time, or Node answers 408 and closes the socket; idle keep-alive
 * sockets are closed; past `maxConnections`, new connections are closed as soon as they are accepted.
 */
export function createSocketLimitedServer(
  limits: SocketLimits,
  logger: Logger,
  listener: http.RequestListener,
  onRefused?: () => void,
): http.Server {
  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: checkingIntervalMs(limits),
    },
    listener,
  );
  if (limits.maxConnections > 0) {
    server.maxConnections = limits.maxConnections;
    const report = dropReporter(logger, limits.maxConnections);
    server.on('drop', () => {
      onRefused?.();
      report();
    });
  }
  return server;
}

/**
 * Node checks the headers and request timeouts on a timer, every 30 s by default, so a 10 s
 * timeout could hold a socket for 40 s. Checking every second (or twice per timeout, when it is
 * shorter) enforces them promptly; each check only walks the connections still receiving a request.
 */
export function checkingIntervalMs(limits: SocketLimits): number {
  return Math.max(1, Math.min(1_000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 2)));
}

function dropReporter(logger: Logger, maxConnections: number): () => void {
  let refused = 0;
  let lastReport = -Infinity;
  return () => {
    refused++;
    const now = Date.now();
    if (now - lastReport < DROP_REPORT_INTERVAL_MS) return;
    logger.warn({ maxConnections, refused }, 'connection cap reached; new connections are being closed');
    lastReport = now;
    refused = 0;
  };
}
