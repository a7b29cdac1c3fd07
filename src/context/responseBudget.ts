import { OperationTimeoutError, ResponseTooLargeError } from '../errors/gatewayErrors';

/**
 * What one HTTP request's answer may still carry, and until when it may be built. Made once per
 * request with its context, so the operations of a batch share it (as they share the upstream
 * budget): the invites of every list they read add up, and they have one deadline.
 */
export class ResponseBudget {
  private items = 0;
  /** Set once an operation of the request writes: its answer is then sent even when late. */
  private writes = false;

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

  /** Whether an operation of the request is a mutation (see `markWrite`). */
  get carriesWrite(): boolean {
    return this.writes;
  }

  /** A write's answer says what happened upstream: it is never swapped for a timeout. */
  markWrite(): void {
    this.writes = true;
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

  /** Whether the time to build and serialise the answer has run out. */
  isLate(now = Date.now()): boolean {
    return now >= this.deadline;
  }

  /** Refuses to build more of the answer once the deadline has passed. */
  checkDeadline(): void {
    if (this.isLate()) throw lateAnswer();
  }
}

/** The error a late answer is replaced by. */
export function lateAnswer(): OperationTimeoutError {
  return new OperationTimeoutError("The operation's time budget (OPERATION_TIMEOUT_MS) ran out while its answer was being built", true);
}
