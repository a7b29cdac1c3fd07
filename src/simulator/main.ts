/**
 * Runs the simulator alone (`npm run simulator`), e.g. to point a gateway started elsewhere at it
 * with `LOSANT_API_URL`. `SIMULATOR_PORT` picks the port (default 4100).
 */
import { ConfigError, loadConfig } from '../config/config';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS } from './demoData';
import { SimulatorServer } from './SimulatorServer';

async function main(): Promise<void> {
  const config = loadConfig();
  const simulator = new SimulatorServer();
  // Alone it needs a port others can be pointed at, so 0 ("any") means the documented 4100.
  const url = await simulator.listen(config.simulatorPort || 4100, config.simulatorHost);
  process.stdout.write(
    `Losant API simulator on ${url}\n` +
      `  instance ${DEMO_INSTANCE_ID}, org ${DEMO_ORG_ID}\n` +
      `  tokens: ${DEMO_TOKENS.admin} (all.Instance), ${DEMO_TOKENS.readOnly} (all.Instance.read), ${DEMO_TOKENS.noInvites} (all.Application)\n`,
  );
  const stop = (): void => {
    simulator.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('simulator failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
