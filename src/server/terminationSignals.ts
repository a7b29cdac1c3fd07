/**
 * SIGTERM and SIGINT for the whole process. Imports nothing but Node, so the entry point can
 * install it before the rest of the gateway loads: until a handler exists, either signal ends
 * Node outright (exit 143 or 130) instead of shutting down.
 */

/** Exit code of a shutdown forced by a second signal (128 + SIGINT's number, as a shell reports Ctrl-C). */
export const FORCED_EXIT_CODE = 130;

export type TerminationSignal = 'SIGTERM' | 'SIGINT';

export interface TerminationSignals {
  /** Aborted by the first SIGTERM or SIGINT; its `reason` is the signal's name. */
  readonly stopRequested: AbortSignal;
  /** When the first signal came (`Date.now()`): shutdown deadlines count from it, not from when the code noticed. */
  readonly receivedAt: number | undefined;
  /** Replaces what a second signal does (by default: exit at once with `FORCED_EXIT_CODE`). */
  onSecondSignal(handler: (signal: TerminationSignal) => void): void;
}

/**
 * Installs the handlers. The first signal only aborts `stopRequested`; whoever runs the process
 * decides what stopping means. The second one forces the exit, for the operator who will not wait.
 */
export function watchTerminationSignals(target: NodeJS.Process = process): TerminationSignals {
  const controller = new AbortController();
  let receivedAt: number | undefined;
  let onSecond = (signal: TerminationSignal): void => {
    process.stderr.write(`${signal} again: forced exit\n`);
    target.exit(FORCED_EXIT_CODE);
  };
  const handle = (signal: TerminationSignal): void => {
    if (receivedAt === undefined) {
      receivedAt = Date.now();
      controller.abort(signal);
      return;
    }
    onSecond(signal);
  };
  target.on('SIGTERM', () => handle('SIGTERM'));
  target.on('SIGINT', () => handle('SIGINT'));
  return {
    stopRequested: controller.signal,
    get receivedAt() {
      return receivedAt;
    },
    onSecondSignal(handler) {
      onSecond = handler;
    },
  };
}
