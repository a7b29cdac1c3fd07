import { randomUUID } from 'node:crypto';
import type * as KeyvRedisModule from '@keyv/redis';
import type { Logger } from 'pino';
import type { InvalidationBus, InvalidationListener } from '../rest/listCache/LocalInvalidationBus';
import { RedisHealth } from './RedisHealth';

/** The channel replicas share; other gateways of other deployments on the same Redis use the same one harmlessly (an extra clear). */
export const LIST_CACHE_CHANNEL = 'invites-gateway:list-cache';

/** How often each replica says it is there, in milliseconds, unless the options say. */
const HEARTBEAT_MS = 1000;

/** Missed heartbeats after which a replica counts itself deaf. */
const DEAF_AFTER_HEARTBEATS = 3;

/** How long one attempt to connect to Redis may take. */
const CONNECT_TIMEOUT_MS = 5000;

export interface RedisInvalidationBusOptions {
  readonly url: string;
  readonly logger: Logger;
  /** Bound of a publish: past it the mutation's answer goes back without waiting (REDIS_COMMAND_TIMEOUT_MS). */
  readonly commandTimeoutMs: number;
  /** How often a heartbeat is published (tests shorten it). */
  readonly heartbeatMs?: number;
}

type RedisClient = ReturnType<typeof KeyvRedisModule.createClient>;

/**
 * Invalidations between replicas over Redis pub/sub, and proof that they arrive.
 *
 * Pub/sub delivers only to connections subscribed at that moment, and a subscription that has
 * silently stopped (a hung Redis, a half-open connection) looks like a quiet one. So each replica
 * publishes a heartbeat every `heartbeatMs` on the channel, and counts itself hearing only while
 * its subscription has brought some message (anyone's heartbeat, its own included) within the last
 * three heartbeats, and has not dropped since. When it hears again after any gap, whatever its
 * cache holds may have missed an invalidation: the listener is told to `reset`.
 *
 * Reads never touch Redis: a hung Redis costs them nothing, they only stop being served from the
 * cache (within three heartbeats). A publish (once per mutation) is bounded by the command timeout
 * and skipped while Redis is degraded (`RedisHealth`), so it delays at most one mutation by that.
 */
export class RedisInvalidationBus implements InvalidationBus {
  private readonly replica = randomUUID();
  private readonly publisher: RedisClient;
  private readonly subscriber: RedisClient;
  private readonly health: RedisHealth;
  private readonly heartbeatMs: number;
  private readonly heartbeat: NodeJS.Timeout;
  private listener: InvalidationListener | undefined;
  /** When a message last arrived; 0 while the subscription is not known to work. */
  private lastHeard = 0;
  private beating = false;

  constructor(options: RedisInvalidationBusOptions) {
    // Loaded only when asked for, as in `sharedCaches.ts`.
    const { createClient } = require('@keyv/redis') as typeof KeyvRedisModule;
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    const socket = { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5000) };
    // No offline queue: a publish while Redis is away fails at once rather than waiting for it.
    this.publisher = createClient({ url: options.url, disableOfflineQueue: true, socket });
    this.subscriber = createClient({ url: options.url, socket });
    this.health = new RedisHealth({
      logger: options.logger,
      commandTimeoutMs: options.commandTimeoutMs,
      ping: () => this.publisher.ping(),
      connected: () => this.publisher.isReady,
    });
    this.publisher.on('error', (error: Error) => this.health.failed('error', error.message));
    // Whatever interrupts the subscription may have cost a message.
    const deafen = (): void => {
      this.lastHeard = 0;
    };
    this.subscriber.on('error', deafen);
    this.subscriber.on('reconnecting', deafen);
    this.subscriber.on('end', deafen);
    this.publisher.connect().catch(() => undefined);
    // The client subscribes again by itself after a reconnection.
    this.subscriber
      .connect()
      .then(() => this.subscriber.subscribe(LIST_CACHE_CHANNEL, (message) => this.heard(message)))
      .catch((error: unknown) =>
        options.logger.warn(
          { cache: 'list', reason: error instanceof Error ? error.message : String(error) },
          'list cache cannot subscribe to invalidations: it serves nothing until it can',
        ),
      );
    this.heartbeat = setInterval(() => void this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
    void this.beat();
  }

  get hearing(): boolean {
    return this.lastHeard !== 0 && Date.now() - this.lastHeard <= this.deafAfterMs && this.subscriber.isReady;
  }

  listen(listener: InvalidationListener): void {
    this.listener = listener;
  }

  async publish(org: string): Promise<void> {
    if (!this.health.usable) return;
    await this.health.run(() => this.publisher.publish(LIST_CACHE_CHANNEL, `org ${this.replica} ${org}`));
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.health.stop();
    await Promise.all(
      [this.publisher, this.subscriber].map(async (client) => {
        if (client.isOpen) await client.close().catch(() => client.destroy());
      }),
    );
  }

  private get deafAfterMs(): number {
    return this.heartbeatMs * DEAF_AFTER_HEARTBEATS;
  }

  private heard(message: string): void {
    const now = Date.now();
    const wasDeaf = this.lastHeard === 0 || now - this.lastHeard > this.deafAfterMs;
    this.lastHeard = now;
    if (wasDeaf) this.listener?.reset();
    const [kind, replica] = message.split(' ', 2);
    const org = message.slice(`${kind} ${replica} `.length);
    if (kind === 'org' && org && replica !== this.replica) this.listener?.invalidated(org);
  }

  private async beat(): Promise<void> {
    // A heartbeat still waiting (Redis hung) is not doubled up.
    if (this.beating || !this.health.usable) return;
    this.beating = true;
    try {
      await this.health.run(() => this.publisher.publish(LIST_CACHE_CHANNEL, `beat ${this.replica}`));
    } finally {
      this.beating = false;
    }
  }
}
