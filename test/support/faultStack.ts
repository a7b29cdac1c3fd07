import { GatewayBefore, startProductionGatewayBefore } from './attack';
import { FaultUpstream, startFaultUpstream } from './faultUpstream';
import { TestStack, startStack } from './stack';

/**
 * Runs `body` against a fresh fault upstream and a gateway in front of it started with `env`, and
 * always stops both. Each call has its own upstream, so a late request of one test cannot count in
 * the next.
 */
export async function withFaultStack(
  env: Record<string, string>,
  body: (stack: TestStack, fault: FaultUpstream) => Promise<void>,
): Promise<void> {
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

/** The built gateway as production runs it, in front of a fault upstream of its own. */
export type ProductionFaultStack = GatewayBefore<FaultUpstream>;

/** Starts a fault upstream and the built gateway (`NODE_ENV=production`, logs at warn) in front of it, with `env` on top. */
export async function startProductionFaultStack(env: Record<string, string> = {}): Promise<ProductionFaultStack> {
  return startProductionGatewayBefore(await startFaultUpstream(), env);
}
