import type { BreakerState } from '../rest/resilience/ResilientInvitesApi';
import type { RedisHealthReport, RedisState } from './RedisHealth';

export interface UpstreamPing {
  readonly reachable: boolean;
  readonly detail: string;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: {
    readonly started: { readonly ok: boolean };
    readonly draining: { readonly ok: boolean };
    readonly capacity: { readonly ok: boolean; readonly running: number; readonly queued: number };
    /** `ok: null` until the first ping has answered. */
    readonly upstream: { readonly ok: boolean | null; readonly detail: string; readonly affectsReadiness: boolean };
    readonly breaker: { readonly ok: boolean; readonly state: BreakerState; readonly affectsReadiness: boolean };
    /** With REDIS_URL only. A degraded Redis costs cache misses, not answers: it never makes the replica unready. */
    readonly redis?: {
      readonly ok: boolean;
      readonly state: RedisState;
      readonly consecutiveFailures: number;
      readonly lastError: string | null;
      readonly affectsReadiness: false;
    };
  };
}

export interface ReadinessSources {
  readonly ping: () => Promise<UpstreamPing>;
  readonly breakerState: () => BreakerState;
  /** True once the gateway has finished starting. */
  readonly started: () => boolean;
  /** True from the shutdown signal on. */
  readonly draining: () => boolean;
  /** The process-wide upstream call queue; `saturated` when new calls would be refused. */
  readonly load: () => { readonly running: number; readonly queued: number; readonly saturated: boolean };
  /** Told each ping's outcome (metrics). */
  readonly onPing?: (ping: UpstreamPing) => void;
  /** The shared caches' Redis, when there is one. */
  readonly redis?: () => RedisHealthReport;
}

export interface ReadinessOptions {
  /** Whether an unreachable upstream or an open circuit makes the replica not ready. */
  readonly includeUpstream: boolean;
}

/** Probes closer together than this share one upstream ping, so a probe storm is one call. */
const PING_REUSE_MS = 1000;

/**
 * `/readyz`: whether THIS replica should get traffic: it has started, is not shutting down, and
 * its upstream call queue has room. The upstream's health (a ping, the circuit breaker) is in the
 * report but does not decide it: every replica shares that upstream, so failing readiness on it
 * would empty the load balancer at once, and clients would get the balancer's error page instead
 * of the gateway's typed `UPSTREAM_UNAVAILABLE`. `includeUpstream` brings that behaviour back.
 *
 * When the upstream does not decide, the probe never waits for the ping: it reports the last one
 * that answered and starts a fresh one in the background, so a hanging upstream cannot make the
 * probe itself time out.
 */
export function readinessCheck(sources: ReadinessSources, { includeUpstream }: ReadinessOptions): () => Promise<ReadinessReport> {
  let latest: UpstreamPing | undefined;
  let current: { at: number; result: Promise<UpstreamPing> } | undefined;
  const ping = (): Promise<UpstreamPing> => {
    const now = Date.now();
    if (!current || now - current.at > PING_REUSE_MS) {
      const result = sources.ping().then(
        (answer) => answer,
        (error: unknown): UpstreamPing => ({ reachable: false, detail: error instanceof Error ? error.message : 'ping failed' }),
      );
      void result.then((answer) => {
        latest = answer;
        sources.onPing?.(answer);
      });
      current = { at: now, result };
    }
    return current.result;
  };

  return async () => {
    const pending = ping();
    const upstream = includeUpstream ? await pending : latest;
    const state = sources.breakerState();
    const started = sources.started();
    const draining = sources.draining();
    const load = sources.load();
    const upstreamOk = upstream?.reachable ?? null;
    const replicaReady = started && !draining && !load.saturated;
    const upstreamReady = upstreamOk === true && state === 'closed';
    const redis = sources.redis?.();
    return {
      ready: replicaReady && (!includeUpstream || upstreamReady),
      checks: {
        started: { ok: started },
        draining: { ok: !draining },
        capacity: { ok: !load.saturated, running: load.running, queued: load.queued },
        upstream: { ok: upstreamOk, detail: upstream?.detail ?? 'no answer yet', affectsReadiness: includeUpstream },
        breaker: { ok: state === 'closed', state, affectsReadiness: includeUpstream },
        ...(redis && { redis: { ok: redis.state === 'ok', ...redis, affectsReadiness: false as const } }),
      },
    };
  };
}
