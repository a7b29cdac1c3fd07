import { OperationTimeoutError, ResponseTooLargeError } from '../errors/gatewayErrors';

/**
 * How late an answer may still be sent: a small answer finished a few milliseconds past the
 * deadline was built in time, and replacing it would turn a read that succeeded into a failure
 * for scheduling noise alone. An answer late for its size is late by seconds.
 */
const LATE_ANSWER_TOLERANCE_MS = 100;

/**
 * What one HTTP request's answer may still carry, and until when it may be built. Made once per
 * request with its context, so the operations of a batch share it (as they share the upstream
 * budget): the invites of every list they read add up, and they have one deadline.
 */
export class ResponseBudget {
  private items = 0;
  /** Set when the answer must go out even if late (see `keepLateAnswer`). */
  private keptWhole = false;
  /** Operations whose answer the response-limits plugin has seen, and how many it replaced as late. */
  private answersSeen = 0;
  private answersReplaced = 0;
  /**
   * From when building the answer is late: the deadline, or when the last list that came after
   * it arrived (its answer was built from then on).
   */
  private lateSince: number;

  /**
   * @param maxItems invites the answer may carry over all its lists (`MAX_RESPONSE_ITEMS`)
   * @param deadline epoch milliseconds by which the answer must be built and serialised (`OPERATION_TIMEOUT_MS`)
   */
  constructor(
    private readonly maxItems: number,
    deadline: number,
  ) {
    this.lateSince = deadline;
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
   * A list read upstream has arrived. If the budget was already spent, the call took it (the
   * budget had cut its timeout as short as it could), so building the answer is late only from
   * now: a small answer built at once is sent, one that then takes seconds to build is not.
   */
  listArrived(now = Date.now()): void {
    this.lateSince = Math.max(this.lateSince, now);
  }

  /**
   * Counts a list about to be put in the answer; refuses it, before any of its items is built,
   * once the request's lists would carry more than `maxItems`. A refused list is not counted.
   */
  carry(count: number): void {
    const total = this.items + count;
    if (total > this.maxItems) {
      throw new ResponseTooLargeError(
        `The answer would carry ${total} invites over all its lists; at most ${this.maxItems} are allowed`,
        'items',
        this.maxItems,
        total,
      );
    }
    this.items = total;
  }

  /**
   * Whether the answer, finished now, is too late to send and is replaced by a timeout error:
   * past the deadline (or past a list's late arrival) by more than event-loop jitter, and not kept.
   */
  replacesLateAnswer(now = Date.now()): boolean {
    return !this.keptWhole && now >= this.lateSince + LATE_ANSWER_TOLERANCE_MS;
  }

  /**
   * One operation's answer is about to be serialised; `replaced` when it was found late and
   * replaced by `lateAnswer()` already (before serialisation, so a late answer's size is never
   * serialised).
   */
  answerSeen(replaced: boolean): void {
    this.answersSeen++;
    if (replaced) this.answersReplaced++;
  }

  /**
   * Whether the whole answer is the late-answer error already: every operation's answer (one, or
   * each of a batch) was replaced before serialisation, so checking the serialised answer again
   * would only replace that error by itself.
   */
  get lateAnswerReplaced(): boolean {
    return this.answersSeen > 0 && this.answersReplaced === this.answersSeen;
  }
}

/** The error a late answer is replaced by. */
export function lateAnswer(): OperationTimeoutError {
  return new OperationTimeoutError("The operation's time budget (OPERATION_TIMEOUT_MS) ran out while its answer was being built", true);
}
