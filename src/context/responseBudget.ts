import { OperationTimeoutError, ResponseTooLargeError } from '../errors/gatewayErrors';

/**
 * What one HTTP request's answer may still carry, and until when it may be built. Made once per
 * request with its context, so the operations of a batch share it (as they share the upstream
 * budget): the invites of every list they read add up, and they have one deadline.
 */
export class ResponseBudget {
  private items = 0;
  /** Set when the answer must go out even if late (see `keepLateAnswer`). */
  private keptWhole = false;

  /**
   * @param maxItems invites the answer may carry over all its lists (`MAX_RESPONSE_ITEMS`)
   * @param deadline epoch milliseconds by which the answer must be built and serialised (`OPERATION_TIMEOUT_MS`)
   */
  constructor(
    readonly maxItems: number,
    readonly deadline: number,
  ) {}

  /** Invites counted so far. */
  get carriedItems(): number {
    return this.items;
  }

  /**
   * The answer is sent even if it is finished past the deadline: a write's says what happened
   * upstream, and one whose errors already report the spent budget at their paths keeps the
   * fields that were answered in time, as the schema promises.
   */
  keepLateAnswer(): void {
    this.keptWhole = true;
  }

  /**
   * Counts a list about to be put in the answer; refuses it, before any of its items is built,
   * once the request's lists would carry more than `maxItems`. A refused list is not counted.
   */
  carry(count: number): void {
    const total = this.items + count;
    if (total > this.maxItems) {
      throw new ResponseTooLargeError(`The answer would carry ${total} invites over all its lists; at most ${this.maxItems} are allowed`, 'items', this.maxItems, total);
    }
    this.items = total;
  }

  /** Whether the answer, finished now, is too late to send and is replaced by a timeout error. */
  replacesLateAnswer(now = Date.now()): boolean {
    return !this.keptWhole && now >= this.deadline;
  }

  /** Refuses to build more of the answer once the deadline has passed. */
  checkDeadline(): void {
    if (Date.now() >= this.deadline) throw lateAnswer();
  }
}

/** The error a late answer is replaced by. */
export function lateAnswer(): OperationTimeoutError {
  return new OperationTimeoutError("The operation's time budget (OPERATION_TIMEOUT_MS) ran out while its answer was being built", true);
}
