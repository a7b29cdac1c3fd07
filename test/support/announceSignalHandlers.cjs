/**
 * Preloaded into a gateway process (`node --require`) by tests that signal it during start-up.
 * Writes one line to stderr the moment the process adds its own SIGINT listener, so a test can
 * send a signal once the gateway can handle it, instead of guessing how long that takes. Node
 * catches SIGINT from its first instruction (to reset the terminal), so /proc's SigCgt cannot tell.
 */
'use strict';

const MARKER = 'test: SIGINT listener added\n';
const addListener = process.on;
process.on = function announceSigint(event, listener) {
  const result = addListener.call(this, event, listener);
  if (event === 'SIGINT') {
    process.on = addListener;
    // stderr is a pipe here, and writes to pipes are synchronous on Linux: the line is out before
    // the gateway goes on loading its modules.
    process.stderr.write(MARKER);
  }
  return result;
};
