import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { RedisHealth } from './RedisHealth';

/**
 * A Redis-backed cache whose every command is bounded by `RedisHealth`: a failure or a timeout
 * reads as a miss (a write is dropped), and while Redis is degraded no command is sent at all.
 * A request therefore never waits on Redis longer than REDIS_COMMAND_TIMEOUT_MS, and never fails
 * because of it: the document is parsed and validated here, as on a miss.
 */
export class HealthCheckedCache<V> implements KeyValueCache<V> {
  constructor(
    private readonly inner: KeyValueCache<V>,
    private readonly health: RedisHealth,
  ) {}

  async get(key: string): Promise<V | undefined> {
    if (!this.health.usable) return undefined;
    return this.health.run(() => this.inner.get(key));
  }

  async set(key: string, value: V, options?: KeyValueCacheSetOptions): Promise<void> {
    if (!this.health.usable) return;
    await this.health.run(() => this.inner.set(key, value, options));
  }

  async delete(key: string): Promise<boolean | void> {
    if (!this.health.usable) return false;
    return (await this.health.run(() => this.inner.delete(key))) ?? false;
  }
}
