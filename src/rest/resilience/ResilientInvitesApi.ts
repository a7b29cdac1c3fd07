import {
  BrokenCircuitError,
  BulkheadPolicy,
  BulkheadRejectedError,
  CircuitBreakerPolicy,
  CircuitState,
  ExponentialBackoff,
  bulkhead,
  circuitBreaker,
  handleWhen,
  noJitterGenerator,
} from 'cockatiel';
import type {
  ListInvitesQuery,
  OrgInviteCollectionDto,
  OrgInviteDto,
  OrgInvitePostDto,
  OrgRoleInfoDto,
  SuccessDto,
} from '../../contract/types';
import {
  FailFastError,
  GatewayError,
  GatewayLimit,
  OperationTimeoutError,
  UpstreamError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '../../errors/gatewayErrors';
import type { CallerCredentials, CallOptions, InviteRef, InvitesApi, OrgRef } from '../invitesApi';
import { CallerDiverseBreaker, CallerKey, callerKey } from './CallerDiverseBreaker';
import { isRetryableRead, RetryOptions, retryDelayMs } from './retryPolicy';
import { UpstreamAction } from '../upstreamActions';

export interface ResilienceOptions {
  readonly retry: RetryOptions;
  /** Consecutive upstream failures that open the circuit. */
  readonly breakerThreshold: number;
  /**
   * Distinct tokens, and distinct organizations, those failures must come from (see
   * `CallerDiverseBreaker`); 1 when absent: any caller's failures count.
   */
  readonly breakerMinCallers?: number;
  /**
   * The longest an open circuit fails fast before one probe call decides whether to close it. The
   * first probe comes after an eighth of it, each failed probe doubles the wait up to this.
   */
  readonly breakerCooldownMs: number;
  /** Upstream calls this process makes at once; more wait in a queue of `maxQueuedCalls`. */
  readonly maxConcurrentCalls: number;
  readonly maxQueuedCalls: number;
  /** Told about each retry (metrics). */
  readonly onRetry?: (event: { action: UpstreamAction; retry: number; delayMs: number; errorCode: string }) => void;
  /** Told about each call one of the gateway's own limits stopped or cut short (metrics). */
  readonly onGatewayLimit?: (event: { action: UpstreamAction; limit: GatewayLimit }) => void;
  /** Told when the circuit opens, half-opens or closes (logs, metrics). */
  readonly onBreakerStateChange?: (state: BreakerState) => void;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * Failures that say the upstream is unwell: it could not be reached, it did not answer in time, or
 * it answered 5xx. Any other answer says it is working: a 4xx (429 included), and a 2xx whose body
 * fails the contract check or is too large, which is one organization's data, not the upstream's
 * health. The gateway's own refusals (`FailFastError`, a spent operation budget) are other classes
 * and say nothing.
 */
function isUpstreamFailure(error: Error): boolean {
  if (error instanceof UpstreamUnavailableError || error instanceof UpstreamTimeoutError) return true;
  const status = error instanceof UpstreamError ? error.extensions.upstreamStatus : undefined;
  return typeof status === 'number' && status >= 500;
}

/** The first wait of an open circuit, as a share of `breakerCooldownMs`. */
const FIRST_PROBE_SHARE = 1 / 8;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends one try of a call, with that try's options. */
type Send<T> = (call: CallOptions | undefined) => Promise<T>;

/** The options of try number `attempt`: the first try's are the caller's own, later ones say which try they are (for their spans). */
function tryOf(call: CallOptions | undefined, attempt: number): CallOptions | undefined {
  return attempt === 1 ? call : { ...call, attempt };
}

/**
 * The REST client with the process-wide safety rails around it: a cap on concurrent calls, a
 * circuit breaker per upstream, and retries. Reads are retried with backoff within the
 * operation's time budget; writes are retried only when the request certainly never left, and
 * their errors say whether the write may have happened (`extensions.mayHaveSucceeded`).
 */
export class ResilientInvitesApi implements InvitesApi {
  private readonly bulkhead: BulkheadPolicy;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly failures: CallerDiverseBreaker;

  constructor(
    private readonly inner: InvitesApi,
    private readonly options: ResilienceOptions,
  ) {
    this.bulkhead = bulkhead(options.maxConcurrentCalls, options.maxQueuedCalls);
    this.failures = new CallerDiverseBreaker(options.breakerThreshold, options.breakerMinCallers ?? 1);
    this.breaker = circuitBreaker(handleWhen(isUpstreamFailure), {
      // Waiting the whole cooldown before each probe kept clients out for up to that long after
      // the upstream was back; probing soon, then less often while it stays down, bounds both the
      // recovery time and the load the probes add to an upstream that is struggling.
      halfOpenAfter: new ExponentialBackoff({
        generator: noJitterGenerator,
        initialDelay: Math.max(1, Math.round(options.breakerCooldownMs * FIRST_PROBE_SHARE)),
        maxDelay: options.breakerCooldownMs,
      }),
      breaker: this.failures,
    });
    // Cockatiel closes the circuit without telling the breaker when the probe ends in an error it
    // does not handle (a budget cut): the run of failures must end with the circuit all the same.
    this.breaker.onReset(() => this.failures.reset());
    this.breaker.onStateChange((state) => options.onBreakerStateChange?.(breakerStateName(state)));
  }

  /** The circuit's state now, for readiness checks and metrics. */
  get breakerState(): BreakerState {
    return breakerStateName(this.breaker.state);
  }

  /** Upstream calls running and waiting now; `saturated` when the next one would be refused at once. */
  get load(): { readonly running: number; readonly queued: number; readonly saturated: boolean } {
    const { executionSlots, queueSlots } = this.bulkhead;
    return {
      running: this.options.maxConcurrentCalls - executionSlots,
      queued: this.options.maxQueuedCalls - queueSlots,
      saturated: executionSlots === 0 && queueSlots === 0,
    };
  }

  listInvites(org: OrgRef, query: ListInvitesQuery, credentials: CallerCredentials, call?: CallOptions): Promise<OrgInviteCollectionDto> {
    return this.read(
      UpstreamAction.listInvites,
      () => callerKey(org, credentials),
      call,
      (thisTry) => this.inner.listInvites(org, query, credentials, thisTry),
    );
  }

  getInvite(invite: InviteRef, credentials: CallerCredentials, call?: CallOptions): Promise<OrgInviteDto> {
    return this.read(
      UpstreamAction.getInvite,
      () => callerKey(invite, credentials),
      call,
      (thisTry) => this.inner.getInvite(invite, credentials, thisTry),
    );
  }

  inviteMember(org: OrgRef, invite: OrgInvitePostDto, credentials: CallerCredentials, call?: CallOptions): Promise<OrgInviteCollectionDto> {
    return this.write(
      UpstreamAction.inviteMember,
      () => callerKey(org, credentials),
      call,
      (thisTry) => this.inner.inviteMember(org, invite, credentials, thisTry),
    );
  }

  revokeInvite(invite: InviteRef, credentials: CallerCredentials, call?: CallOptions): Promise<SuccessDto> {
    return this.write(
      UpstreamAction.revokeInvite,
      () => callerKey(invite, credentials),
      call,
      (thisTry) => this.inner.revokeInvite(invite, credentials, thisTry),
    );
  }

  resendInvite(invite: InviteRef, roles: OrgRoleInfoDto, credentials: CallerCredentials, call?: CallOptions): Promise<OrgInviteDto> {
    return this.write(
      UpstreamAction.resendInvite,
      () => callerKey(invite, credentials),
      call,
      (thisTry) => this.inner.resendInvite(invite, roles, credentials, thisTry),
    );
  }

  private async read<T>(action: UpstreamAction, caller: () => CallerKey, call: CallOptions | undefined, send: Send<T>): Promise<T> {
    let upstreamError: unknown;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.guarded(action, caller, call, () => send(tryOf(call, attempt)));
      } catch (error) {
        // When the circuit opens during the retries, the client learns what the upstream said.
        if (error instanceof FailFastError && attempt > 1) throw upstreamError;
        upstreamError = error;
        if (attempt >= this.options.retry.maxAttempts || !isRetryableRead(error)) throw error;
        const delayMs = retryDelayMs(attempt, error, this.options.retry);
        // A retry that could not finish within the operation's budget is not worth starting.
        if (call?.deadline !== undefined && Date.now() + delayMs >= call.deadline) throw error;
        this.options.onRetry?.({ action, retry: attempt, delayMs, errorCode: (error as GatewayError).code });
        await sleep(delayMs);
      }
    }
  }

  private async write<T>(action: UpstreamAction, caller: () => CallerKey, call: CallOptions | undefined, send: Send<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.guarded(action, caller, call, () => send(tryOf(call, attempt)));
      } catch (error) {
        // Only a request that certainly never left may be sent again: anything else could apply twice.
        const neverLeft = error instanceof UpstreamUnavailableError && !error.requestSent;
        const delayMs = retryDelayMs(attempt, error, this.options.retry);
        const withinBudget = call?.deadline === undefined || Date.now() + delayMs < call.deadline;
        if (neverLeft && attempt < this.options.retry.maxAttempts && withinBudget) {
          this.options.onRetry?.({ action, retry: attempt, delayMs, errorCode: error.code });
          await sleep(delayMs);
          continue;
        }
        if (error instanceof GatewayError) error.extensions.mayHaveSucceeded = mayHaveSucceeded(error);
        throw error;
      }
    }
  }

  private async guarded<T>(
    action: UpstreamAction,
    caller: () => CallerKey,
    call: CallOptions | undefined,
    send: () => Promise<T>,
  ): Promise<T> {
    let outcome: { value: T } | { answered: unknown };
    const queuedAt = Date.now();
    try {
      outcome = await this.bulkhead.execute(() => {
        // A call whose budget is gone (typically while it waited for a slot) is not sent, and the
        // breaker never sees it: neither as a failure nor as the probe that would decide to close it.
        if (call?.deadline !== undefined && Date.now() >= call.deadline) {
          const waited = queuedAt < call.deadline ? ' (it waited for a free upstream slot)' : '';
          throw new OperationTimeoutError(`The operation's time budget ran out before ${action} could be sent${waited}`, false);
        }
        return this.breaker.execute(async () => {
          try {
            return { value: await send() };
          } catch (error) {
            if (error instanceof Error && isUpstreamFailure(error)) {
              // The breaker learns whose call failed before cockatiel reports the failure to it.
              this.failures.failedFor(caller);
              throw error;
            }
            // A call the budget cut short proves nothing either way: thrown as an error the
            // breaker does not handle, it neither counts nor resets the run of failures (if it
            // was the probe of a half-open circuit, cockatiel closes the circuit, as on an answer,
            // and the onReset listener above empties the run).
            if (error instanceof OperationTimeoutError) throw error;
            // An upstream that answers at all (a 4xx included) is healthy: the breaker must see
            // that call as a success, which resets its count of consecutive failures, so the
            // answer's error travels through it as a value and is thrown again outside.
            return { answered: error };
          }
        });
      });
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new FailFastError('The upstream is failing; calls are suspended for a moment (circuit open)');
      }
      if (error instanceof BulkheadRejectedError) {
        this.options.onGatewayLimit?.({ action, limit: 'UPSTREAM_MAX_QUEUE' });
        const atCapacity = new FailFastError('The gateway is at its limit of concurrent upstream calls');
        atCapacity.extensions.gatewayLimit = 'UPSTREAM_MAX_QUEUE' satisfies GatewayLimit;
        throw atCapacity;
      }
      if (error instanceof OperationTimeoutError) this.options.onGatewayLimit?.({ action, limit: 'OPERATION_TIMEOUT_MS' });
      throw error;
    }
    if ('answered' in outcome) throw outcome.answered;
    return outcome.value;
  }
}

/**
 * Whether a failed write may still have happened upstream, for the client to decide between
 * retrying and checking first: yes after a timeout, a dropped connection, a 5xx or an unreadable
 * answer; no when the request never left or the upstream refused it with a 4xx.
 */
function mayHaveSucceeded(error: GatewayError): boolean {
  if (error instanceof UpstreamUnavailableError || error instanceof UpstreamTimeoutError || error instanceof OperationTimeoutError) {
    return error.requestSent;
  }
  return error instanceof UpstreamError;
}

function breakerStateName(state: CircuitState): BreakerState {
  switch (state) {
    case CircuitState.Closed:
      return 'closed';
    case CircuitState.HalfOpen:
      return 'half-open';
    default:
      return 'open';
  }
}
