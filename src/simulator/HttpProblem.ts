import type { JsonAnswer } from './applyFault';

/** A refusal the simulator answers as the real API does: a status and a `{ type, message }` body. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }

  get answer(): JsonAnswer {
    return { status: this.status, body: { type: this.type, message: this.message } };
  }
}
