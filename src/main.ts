/**
 * Entry point. With `LOSANT_API_URL` set the gateway talks to that API; without it, it starts the
 * embedded simulator first and prints how to try it, so `npm start` works on a fresh machine.
 */
import 'reflect-metadata';
import { ConfigError, GatewayConfig, loadConfig } from './config/config';
import { createLogger } from './server/logger';
import { startGateway } from './server/startGateway';
import { demoBanner } from './simulator/demoBanner';
import { DEMO_TOKENS } from './simulator/demoData';
import { SimulatorServer } from './simulator/SimulatorServer';

async function main(): Promise<void> {
  let config: GatewayConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);

  let simulator: SimulatorServer | undefined;
  let upstreamUrl = config.losantApiUrl;
  if (upstreamUrl === undefined) {
    simulator = new SimulatorServer();
    upstreamUrl = await simulator.listen(config.simulatorPort, '127.0.0.1');
  }
  const gateway = await startGateway({ config, logger, upstreamUrl, demoToken: simulator ? DEMO_TOKENS.admin : undefined });
  logger.info(
    { url: `${gateway.url}/graphql`, playground: config.playground ? gateway.url : undefined, upstream: simulator ? 'embedded simulator' : upstreamUrl },
    'gateway listening',
  );
  if (simulator) process.stdout.write(demoBanner(`${gateway.url}/graphql`, upstreamUrl, config.playground));

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, deadlineMs: config.shutdownTimeoutMs }, 'shutting down: finishing in-flight requests');
    // The gateway first: its in-flight requests may still need the embedded simulator.
    gateway
      .close()
      .then(() => simulator?.close())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: { message: (error as Error).message } }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('invites-gateway failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
