import { RedisHealth, RedisState } from '../../src/server/RedisHealth';
import { capturingLogger } from '../support/capturedLogs';

/** Each Redis command bounded, a failure read as a miss, and one log line per change of state. */

function healthWith(ping: () => Promise<unknown>) {
  const logs = capturingLogger('info');
  const changes: RedisState[] = [];
  let changed: (state: RedisState) => void = () => undefined;
  const health = new RedisHealth({
    logger: logs.logger,
    commandTimeoutMs: 20,
    ping,
    // Not the second a deployment waits between pings: the recovery test need not sit through it.
    recoveryPingMs: 10,
    connected: () => true,
    onStateChange: (state) => {
      changes.push(state);
      changed(state);
    },
  });
  const next = (): Promise<RedisState> => new Promise((resolve) => (changed = resolve));
  return { health, logs, changes, next };
}

const never = (): Promise<string> => new Promise<string>(() => undefined);

test('a command that does not answer within the timeout reads as undefined and degrades Redis, logged once', async () => {
  const { health, logs, changes } = healthWith(never);
  try {
    expect(await health.run(async () => 'hit')).toBe('hit');
    expect(await health.run(never)).toBeUndefined();
    expect(await health.run(async () => Promise.reject(new Error('READONLY')))).toBeUndefined();
    expect(health.usable).toBe(false);
    expect(health.report()).toEqual({ state: 'degraded', consecutiveFailures: 2, lastError: 'READONLY' });
    expect(changes).toEqual(['degraded']);
    expect(logs.lines.filter((line) => String(line.msg).startsWith('redis degraded'))).toHaveLength(1);
  } finally {
    health.stop();
  }
});

test('a degraded Redis is ok again once a ping answers', async () => {
  let answering = false;
  const { health, logs, next } = healthWith(() => (answering ? Promise.resolve('PONG') : never()));
  try {
    await health.run(never);
    answering = true;
    const recovered = next();
    expect(await recovered).toBe('ok');
    expect(health.report()).toMatchObject({ state: 'ok', consecutiveFailures: 0 });
    expect(logs.lines.map((line) => line.msg)).toEqual([
      expect.stringMatching(/^redis degraded/),
      expect.stringMatching(/^redis answers again/),
    ]);
  } finally {
    health.stop();
  }
});
