/**
 * Entry point. With `LOSANT_API_URL` set the gateway talks to that API; without it, it starts the
 * embedded simulator first and prints how to try it, so `npm start` works on a fresh machine.
 *
 * SIGTERM or SIGINT: `/readyz` turns 503 while the gateway keeps serving for
 * `SHUTDOWN_DRAIN_DELAY_MS`, then it stops listening, finishes in-flight requests, releases
 * everything and exits 0, all within `SHUTDOWN_TIMEOUT_MS` of the signal. A signal during start-up
 * stops the start-up; a second signal exits at once with `FORCED_EXIT_CODE`.
 */
import type { GatewayConfig } from './config/settings';
import type { Logger } from 'pino';
import type { Tracing } from './observability/tracing/sdk';
import type { RunningGateway } from './server/startGateway';
import { FORCED_EXIT_CODE, watchTerminationSignals } from './server/terminationSignals';
import type { SimulatorServer } from './simulator/SimulatorServer';

// Before anything else loads (the rest takes most of a second to require): from here on a signal
// shuts down cleanly instead of killing Node mid-start.
const signals = watchTerminationSignals();

/** Past the deadline, what is still running is a bug; exit rather than outlive the grace period. */
const WATCHDOG_MARGIN_MS = 900;
const FORCE_HINT = 'press Ctrl-C or send SIGTERM again to force';
/** How long, after everything is closed, the event loop may take to empty before the exit is forced. */
const LINGER_MS = 250;

async function main(): Promise<void> {
  // Required here rather than imported at the top, which would load them before the handlers exist.
  const { ConfigError, loadConfig } = require('./config/config') as typeof import('./config/config');
  const { createLogger } = require('./observability/logger') as typeof import('./observability/logger');

  let config: GatewayConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      // A JSON line like every other, so the log pipeline that shows the others shows why it stopped.
      createLogger('info').fatal({ variable: error.variable }, error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  logger.info(
    {
      nodeEnv: config.nodeEnv,
      upstream: config.upstream.url ?? 'embedded simulator',
      tracing: config.tracing.enabled ? config.tracing.protocol : 'off',
    },
    'starting',
  );
  for (const warning of config.configWarnings) logger.warn({ configChecks: 'warn' }, `configuration: ${warning}`);
  // Tracing starts before the rest of the gateway loads, as the OpenTelemetry SDK wants; without
  // an exporter configured it is not even required.
  const tracing: Tracing | undefined = config.tracing.enabled
    ? (require('./observability/tracing/sdk') as typeof import('./observability/tracing/sdk')).startTracing(config.tracing, logger)
    : undefined;
  require('reflect-metadata');
  const { startGateway, stopIfAborted } = require('./server/startGateway') as typeof import('./server/startGateway');
  // The one edge from production code into the simulator (eslint.layers.mjs allows it here
  // alone): with no LOSANT_API_URL the gateway starts the embedded one on purpose.
  const { demoBanner } = require('./simulator/demoBanner') as typeof import('./simulator/demoBanner');
  const { DEMO_TOKENS } = require('./simulator/demoData') as typeof import('./simulator/demoData');
  const { SimulatorServer: Simulator } = require('./simulator/SimulatorServer') as typeof import('./simulator/SimulatorServer');
  const { shutdownTimeoutMs, shutdownDrainDelayMs } = config;
  /** What is left of the shutdown's deadline, counted from the signal. */
  const timeLeft = (): number => (signals.receivedAt ?? Date.now()) + shutdownTimeoutMs - Date.now();
  signals.onSecondSignal((signal) => {
    logger.warn({ signal }, 'forced exit: second signal; open requests are cut');
    process.exit(FORCED_EXIT_CODE);
  });

  let gateway: RunningGateway | undefined;
  const { stopRequested } = signals;
  // Said at once, even mid-start, so whoever pressed Ctrl-C knows it was heard.
  const onSignal = (): void => {
    const signal = stopRequested.reason as string;
    if (gateway) {
      const steps =
        shutdownDrainDelayMs > 0
          ? 'not ready, serving on for the drain delay, then finishing in-flight requests'
          : 'finishing in-flight requests';
      logger.info({ signal, drainDelayMs: shutdownDrainDelayMs, deadlineMs: shutdownTimeoutMs }, `shutting down: ${steps} (${FORCE_HINT})`);
    } else {
      logger.info({ signal }, `shutting down during start-up (${FORCE_HINT})`);
    }
    const watchdog = setTimeout(
      () => {
        logger.error({ deadlineMs: shutdownTimeoutMs }, 'shutdown did not finish in time; exiting');
        process.exit(1);
      },
      (signals.receivedAt ?? Date.now()) + shutdownTimeoutMs + WATCHDOG_MARGIN_MS - Date.now(),
    );
    watchdog.unref();
  };
  const stopped = new Promise<void>((resolve) => {
    if (stopRequested.aborted) resolve();
    else stopRequested.addEventListener('abort', () => resolve(), { once: true });
  });
  void stopped.then(onSignal);

  let simulator: SimulatorServer | undefined;
  let upstreamUrl = config.upstream.url;
  try {
    await stopIfAborted(stopRequested);
    if (upstreamUrl === undefined) {
      // Nobody reads its request record inside the gateway: it only counts what it served.
      simulator = new Simulator({ recordLimit: 0 });
      upstreamUrl = await simulator.listen(config.simulatorPort, '127.0.0.1');
    }
    gateway = await startGateway({
      config,
      logger,
      upstreamUrl,
      demoToken: simulator ? DEMO_TOKENS.admin : undefined,
      abortSignal: stopRequested,
      tracer: tracing?.tracer,
    });
  } catch (error) {
    if (!stopRequested.aborted) throw error;
    await simulator?.close();
    await tracing?.shutdown(timeLeft());
    logger.info('start-up stopped');
    return exitWhenIdle(logger);
  }

  logger.info(
    {
      url: `${gateway.url}/graphql`,
      playground: config.playground ? gateway.url : undefined,
      upstream: simulator ? 'embedded simulator' : upstreamUrl,
    },
    'gateway listening',
  );
  if (simulator) process.stdout.write(demoBanner(`${gateway.url}/graphql`, upstreamUrl, config.playground));

  await stopped;
  try {
    // The gateway first: its in-flight requests may still need the embedded simulator.
    await gateway.close({ since: signals.receivedAt });
    await simulator?.close();
    // The last requests' spans are still queued for export; they get what is left of the deadline.
    await tracing?.shutdown(timeLeft());
  } catch (error) {
    logger.error({ err: { message: error instanceof Error ? error.message : String(error) } }, 'shutdown failed');
    process.exit(1);
  }
  logger.info(simulator ? { simulatorRequests: simulator.received } : {}, 'shut down');
  return exitWhenIdle(logger);
}

/**
 * Leaves the exit to Node, so it comes as soon as nothing is left running (everything has been
 * closed). Should something still hold the event loop, says what, and exits anyway.
 */
function exitWhenIdle(logger: Logger): void {
  process.exitCode = 0;
  setTimeout(() => {
    logger.warn({ resources: process.getActiveResourcesInfo() }, 'still busy after shutdown; exiting');
    process.exit(0);
  }, LINGER_MS).unref();
}

main().catch((error: unknown) => {
  const message = `invites-gateway failed to start: ${error instanceof Error ? error.message : String(error)}`;
  try {
    const { createLogger } = require('./observability/logger') as typeof import('./observability/logger');
    createLogger('info').fatal(message);
  } catch {
    // The logger itself could not load: plain text is all there is.
    console.error(message);
  }
  process.exit(1);
});
