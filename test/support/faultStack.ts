import { FaultUpstream, startFaultUpstream } from './faultUpstream';
import { TestStack, startStack } from './stack';

/**
 * Runs `body` against a fresh fault upstream and a gateway in front of it started with `env`, and
 * always stops both. Each call has its own upstream, so a late request of one test cannot count in
 * the next.
 */
export async function withFaultStack(env: Record<string, string>, body: (stack: TestStack, fault: FaultUpstream) => Promise<void>): Promise<void> {
  const fault = await startFaultUpstream();
  try {
    const stack = await startStack({ upstreamUrl: fault.url, env });
    try {
      await body(stack, fault);
    } finally {
      await stack.close();
    }
  } finally {
    await fault.close();
  }
}
