import type { Logger } from 'pino';
import type { UpstreamPing } from './readiness';

/**
 * Says in the log when the readiness ping's verdict on the upstream changes, once per change: a
 * probe every few seconds must not write a line each time, and a wrong `LOSANT_API_URL` must not
 * go unsaid because readiness (by default) does not fail on the upstream.
 */
export function upstreamHealthLog(logger: Logger): { report(ping: UpstreamPing): void } {
  let lastReachable: boolean | undefined;
  return {
    report({ reachable, detail }) {
      if (reachable === lastReachable) return;
      if (!reachable) logger.error({ upstream: { reachable, detail } }, `upstream ping failed: ${detail}`);
      else if (lastReachable === false) logger.info({ upstream: { reachable, detail } }, 'upstream ping answered again');
      lastReachable = reachable;
    },
  };
}
