import type { CircuitState, IBreaker } from 'cockatiel';
import type { CallerCredentials, OrgRef } from '../invitesApi';
import { tokenDigest } from '../tokenDigest';

/** Who a failed call was made for: a hash of its token, and its organization. */
export interface CallerKey {
  readonly token: string;
  readonly org: string;
}

/** The caller of one call; the token is hashed so the breaker never holds a credential. */
export function callerKey(org: OrgRef, credentials: CallerCredentials): CallerKey {
  return {
    token: tokenDigest(credentials.authorization).slice(0, 16),
    org: `${org.instanceId}/${org.orgId}`,
  };
}

/**
 * Cockatiel's consecutive-failures breaker with one more condition: the run of failures must come
 * from at least `minCallers` distinct tokens and `minCallers` distinct organizations. One caller
 * can make an upstream fail for itself (an org whose data the upstream chokes on, five aliases of
 * it in one request) without the upstream being unwell for anyone else; opening the process-wide
 * circuit on that evidence alone would let one caller take the gateway away from every other.
 * A real outage fails everyone's calls, so the run soon holds several callers.
 *
 * Cockatiel tells a breaker only that a call failed, not whose it was: `ResilientInvitesApi` calls
 * `failedFor` with the caller just before the failure reaches cockatiel, which then calls
 * `failure`. A success (any answer) ends the run and forgets its callers.
 */
export class CallerDiverseBreaker implements IBreaker {
  /** Failures in the current run (cockatiel's serialisable state). */
  state = 0;
  private readonly tokens = new Set<string>();
  private readonly orgs = new Set<string>();

  constructor(
    private readonly threshold: number,
    private readonly minCallers: number,
  ) {}

  /**
   * Records whose call is about to be reported as a failure. The caller is worked out (its token
   * hashed) only here, on a failure, and not at all when any one caller is enough.
   */
  failedFor(caller: () => CallerKey): void {
    if (this.minCallers <= 1) return;
    const { token, org } = caller();
    // Bounded: once the condition is met, more distinct callers change nothing.
    if (this.tokens.size < this.minCallers) this.tokens.add(token);
    if (this.orgs.size < this.minCallers) this.orgs.add(org);
  }

  success(_state: CircuitState): void {
    this.reset();
  }

  /**
   * Forgets the run of failures and its callers. Also called whenever the circuit closes: a
   * half-open probe that ends in an error cockatiel does not handle (the operation budget cut it
   * short) closes the circuit without calling `success`, and a count still full would let the
   * next single failure reopen it.
   */
  reset(): void {
    this.state = 0;
    this.tokens.clear();
    this.orgs.clear();
  }

  failure(_state: CircuitState): boolean {
    this.state++;
    return (
      this.state >= this.threshold && (this.minCallers <= 1 || (this.tokens.size >= this.minCallers && this.orgs.size >= this.minCallers))
    );
  }
}
