import type { BreakerState } from '../rest/resilience/ResilientInvitesApi';

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: {
    readonly upstream: { readonly ok: boolean; readonly detail: string };
    readonly breaker: { readonly ok: boolean; readonly state: BreakerState };
    readonly draining: { readonly ok: boolean };
  };
}

export interface ReadinessSources {
  readonly ping: () => Promise<{ reachable: boolean; detail: string }>;
  readonly breakerState: () => BreakerState;
  readonly draining: () => boolean;
}

/** Probes closer together than this share one upstream ping, so a probe storm is one call. */
const PING_REUSE_MS = 1000;

/**
 * `/readyz`: ready when the upstream answers within the probe's budget, the circuit is closed,
 * and the process is not shutting down. A load balancer stops sending traffic while it is not.
 */
export function readinessCheck(sources: ReadinessSources): () => Promise<ReadinessReport> {
  let last: { at: number; result: Promise<{ reachable: boolean; detail: string }> } | undefined;
  return async () => {
    const now = Date.now();
    if (!last || now - last.at > PING_REUSE_MS) last = { at: now, result: sources.ping() };
    const upstream = await last.result;
    const state = sources.breakerState();
    const draining = sources.draining();
    return {
      ready: upstream.reachable && state === 'closed' && !draining,
      checks: {
        upstream: { ok: upstream.reachable, detail: upstream.detail },
        breaker: { ok: state === 'closed', state },
        draining: { ok: !draining },
      },
    };
  };
}
