import type { Logger } from 'pino';

export type RedisState = 'ok' | 'degraded';
export type RedisFailure = 'timeout' | 'error';

export interface RedisHealthReport {
  readonly state: RedisState;
  /** Failed or timed-out commands (and connection errors) since the last success. */
  readonly consecutiveFailures: number;
  /** The last failure's message, or null when none happened yet. */
  readonly lastError: string | null;
}

export interface RedisHealthOptions {
  readonly logger: Logger;
  /** Bound of each command, the recovery ping included. */
  readonly commandTimeoutMs: number;
  /** Asks Redis whether it answers again (a PING); run every `recoveryPingMs` while degraded. */
  readonly ping: () => Promise<unknown>;
  /** How often a degraded Redis is pinged, in milliseconds: once a second unless given (tests). */
  readonly recoveryPingMs?: number;
  /** Whether the connection is up; until it first is, commands read as misses without counting as failures. */
  readonly connected: () => boolean;
  /** Told each change of state (metrics). */
  readonly onStateChange?: (state: RedisState) => void;
  /** Told each failed or timed-out command (metrics). */
  readonly onFailure?: (reason: RedisFailure) => void;
}

/** How often a degraded Redis is asked whether it answers again, unless the options say. */
const RECOVERY_PING_MS = 1000;

/**
 * Whether the shared caches should use Redis at all. A command that fails or outlasts
 * `commandTimeoutMs` makes Redis degraded: from then on commands do not go to Redis (they read as
 * misses at once, so a hung Redis costs each request nothing and piles no commands up in the
 * client), and one PING a second decides when it is back. The change of state is logged once, not
 * once per command.
 */
export class RedisHealth {
  private current: RedisState = 'ok';
  private failures = 0;
  private lastError: string | null = null;
  private recovery: NodeJS.Timeout | undefined;
  private pinging = false;

  constructor(private readonly options: RedisHealthOptions) {}

  get usable(): boolean {
    return this.current === 'ok' && this.options.connected();
  }

  report(): RedisHealthReport {
    return { state: this.current, consecutiveFailures: this.failures, lastError: this.lastError };
  }

  /** Runs a command within the timeout: its answer, or `undefined` once it failed or took too long (and Redis is then degraded). */
  async run<T>(command: () => Promise<T>): Promise<T | undefined> {
    const outcome = await bounded(command, this.options.commandTimeoutMs);
    if (outcome.ok) {
      this.succeeded();
      return outcome.value;
    }
    this.failed(outcome.reason, outcome.message);
    return undefined;
  }

  /** A failure seen outside a command: the client's connection errors. */
  failed(reason: RedisFailure, message: string): void {
    this.failures++;
    this.lastError = message;
    this.options.onFailure?.(reason);
    if (this.current === 'degraded') return;
    this.current = 'degraded';
    this.options.logger.warn(
      { cache: 'redis', redis: this.report(), reason },
      'redis degraded: shared caches read as misses until it answers again',
    );
    this.options.onStateChange?.('degraded');
    this.recovery = setInterval(() => void this.pingOnce(), this.options.recoveryPingMs ?? RECOVERY_PING_MS);
    this.recovery.unref();
  }

  /** Stops the recovery pings (on shutdown). */
  stop(): void {
    clearInterval(this.recovery);
    this.recovery = undefined;
  }

  private succeeded(): void {
    this.failures = 0;
    if (this.current === 'ok') return;
    this.current = 'ok';
    this.stop();
    this.options.logger.info({ cache: 'redis', redis: this.report() }, 'redis answers again: shared caches back in use');
    this.options.onStateChange?.('ok');
  }

  private async pingOnce(): Promise<void> {
    // A ping still waiting (Redis paused) is not doubled up.
    if (this.pinging) return;
    this.pinging = true;
    try {
      await this.run(this.options.ping);
    } finally {
      this.pinging = false;
    }
  }
}

type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: RedisFailure; readonly message: string };

/** The command's outcome, or a timeout once `timeoutMs` passed; a late answer is dropped. */
function bounded<T>(command: () => Promise<T>, timeoutMs: number): Promise<Outcome<T>> {
  return new Promise((resolve) => {
    // The answer may already be in the socket when the timer fires late (the event loop was busy
    // with other requests): one more I/O turn (setImmediate) lets it count before the timeout does.
    const timer = setTimeout(
      () => setImmediate(() => resolve({ ok: false, reason: 'timeout', message: `no answer within ${timeoutMs} ms` })),
      timeoutMs,
    );
    // A command that throws before it returns a promise is a failure like any other.
    Promise.resolve()
      .then(command)
      .then(
        (value) => {
          clearTimeout(timer);
          resolve({ ok: true, value });
        },
        (error: unknown) => {
          clearTimeout(timer);
          resolve({ ok: false, reason: 'error', message: error instanceof Error ? error.message : String(error) });
        },
      );
  });
}
