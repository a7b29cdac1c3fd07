/** How often the event loop is sampled. */
const SAMPLE_INTERVAL_MS = 20;
/** Lateness of the sampler below this is a timer's ordinary jitter, not a stall. */
const JITTER_MS = 2;

/**
 * Counts the time this process's event loop could not run timers or read sockets, from a sampling
 * timer that fires late by as long as the loop was held. An upstream call's timeout subtracts the
 * stalls that happened while it waited: an answer that sat in the socket while the gateway was busy
 * parsing other answers is the gateway's queue, not an upstream that failed to answer in time.
 */
export class EventLoopStalls {
  private stalledMs = 0;
  private lastTick = performance.now();
  private readonly sampler: NodeJS.Timeout;

  constructor() {
    this.sampler = setInterval(() => {
      this.stalledMs += this.currentStallMs();
      this.lastTick = performance.now();
    }, SAMPLE_INTERVAL_MS);
    // Sampling must never keep the process alive.
    this.sampler.unref();
  }

  /** Milliseconds stalled since this was created, the stall that just ended included. */
  total(): number {
    return this.stalledMs + this.currentStallMs();
  }

  stop(): void {
    clearInterval(this.sampler);
  }

  /**
   * How late the sampler is now. Many short stalls count as much as one long one: on a loaded
   * machine the process is often descheduled for a few milliseconds at a time.
   */
  private currentStallMs(): number {
    const late = performance.now() - this.lastTick - SAMPLE_INTERVAL_MS;
    return late > JITTER_MS ? late : 0;
  }
}
