/**
 * The upstream calls one HTTP request has been allowed so far. Made once per request with its
 * context; Apollo runs each operation of a batch on a shallow copy of that context, so the
 * operations of a batch share it and the limit holds for the whole request.
 */
export class UpstreamCallBudget {
  private planned = 0;

  /** Calls already allowed to earlier operations of the request. */
  get plannedCalls(): number {
    return this.planned;
  }

  /**
   * Allows an operation's calls when the request's total stays within `max` (nothing is added
   * otherwise); answers the total the request would reach.
   */
  plan(calls: number, max: number): { allowed: boolean; total: number } {
    const total = Math.min(Number.MAX_SAFE_INTEGER, this.planned + calls);
    const allowed = total <= max;
    if (allowed) this.planned = total;
    return { allowed, total };
  }
}
