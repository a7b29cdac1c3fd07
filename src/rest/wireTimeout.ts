import type { EventLoopStalls } from './EventLoopStalls';

/** Why a call's timer aborted it: the upstream had its whole timeout, or the operation's budget ran out first. */
export type TimeoutCause = 'upstream' | 'budget';

export interface WireTimeout {
  /** Set once the timer has aborted the call. */
  readonly expired: TimeoutCause | undefined;
  /** Milliseconds since the call started. */
  elapsedMs(): number;
  cancel(): void;
}

/** Re-arming closer than this to the end is not worth a timer. */
const TOLERANCE_MS = 2;

/**
 * Aborts a call once the upstream has had `timeoutMs` in which the gateway was listening, i.e.
 * not counting the time the event loop stalled (see `EventLoopStalls`), or once `budgetMs` of
 * wall-clock time has gone, whichever comes first. Counting the gateway's own stalls against the
 * upstream made calls whose answers had long arrived time out, and opened the circuit breaker.
 */
export function startWireTimeout(abort: () => void, timeoutMs: number, budgetMs: number, stalls: EventLoopStalls): WireTimeout {
  const started = performance.now();
  const stalledBefore = stalls.total();
  let expired: TimeoutCause | undefined;
  let timer: NodeJS.Timeout;
  const elapsedMs = (): number => performance.now() - started;
  const check = (): void => {
    const elapsed = elapsedMs();
    const leftToListen = timeoutMs - (elapsed - (stalls.total() - stalledBefore));
    const leftInBudget = budgetMs - elapsed;
    if (leftToListen <= TOLERANCE_MS || leftInBudget <= TOLERANCE_MS) {
      expired = leftToListen <= TOLERANCE_MS ? 'upstream' : 'budget';
      abort();
      return;
    }
    timer = setTimeout(check, Math.min(leftToListen, leftInBudget));
  };
  timer = setTimeout(check, Math.min(timeoutMs, budgetMs));
  return {
    get expired() {
      return expired;
    },
    elapsedMs,
    cancel: () => clearTimeout(timer),
  };
}
