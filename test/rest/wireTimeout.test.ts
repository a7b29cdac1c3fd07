import { EventLoopStalls } from '../../src/rest/EventLoopStalls';
import { startWireTimeout, WireTimeout } from '../../src/rest/wireTimeout';

/** Holds the event loop, as parsing a large answer does. */
function holdEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy on purpose
  }
}

/** Resolves when the timeout aborts, with how long that took. */
function aborted(start: (abort: () => void) => WireTimeout): Promise<{ timeout: WireTimeout; afterMs: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const timeout: WireTimeout = start(() => setImmediate(() => resolve({ timeout, afterMs: performance.now() - started })));
  });
}

let stalls: EventLoopStalls;
beforeEach(() => {
  stalls = new EventLoopStalls();
});
afterEach(() => stalls.stop());

test('a call on a free event loop is aborted after its timeout, as the upstream', async () => {
  const { timeout, afterMs } = await aborted((abort) => startWireTimeout(abort, 100, Infinity, stalls));

  expect(timeout.expired).toBe('upstream');
  expect(afterMs).toBeGreaterThanOrEqual(99);
});

test('time the event loop was held is not counted against the upstream', async () => {
  const pending = aborted((abort) => startWireTimeout(abort, 100, Infinity, stalls));
  holdEventLoop(300);
  const { timeout, afterMs } = await pending;

  expect(timeout.expired).toBe('upstream');
  // The 300 ms stall, then the upstream's own 100 ms (less what it had before the stall).
  expect(afterMs).toBeGreaterThanOrEqual(350);
});

test("the budget still ends the call in wall-clock time, as the gateway's limit", async () => {
  const pending = aborted((abort) => startWireTimeout(abort, 100, 250, stalls));
  holdEventLoop(300);
  const { timeout } = await pending;

  expect(timeout.expired).toBe('budget');
});

test('a cancelled timeout never aborts', async () => {
  let abortedCalls = 0;
  const cancelled = startWireTimeout(() => abortedCalls++, 20, Infinity, stalls);
  cancelled.cancel();
  // One that is not cancelled and ends later: once it has aborted, the first one would have.
  await aborted((abort) => startWireTimeout(abort, 40, Infinity, stalls));

  expect(abortedCalls).toBe(0);
  expect(cancelled.expired).toBeUndefined();
});
