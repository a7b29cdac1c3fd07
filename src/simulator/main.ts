/**
 * Runs the simulator alone (`npm run simulator`), e.g. to point a gateway started elsewhere at it
 * with `LOSANT_API_URL`. `SIMULATOR_PORT` picks the port (default 4100). SIGTERM or SIGINT closes
 * it and exits 0; a second one exits at once with 130.
 */
import type { SimulatorServer } from './SimulatorServer';

/** Same code as the gateway's forced exit: 128 + SIGINT's number. */
const FORCED_EXIT_CODE = 130;

async function main(): Promise<void> {
  let stopping = false;
  let simulator: SimulatorServer | undefined;
  const stop = (): void => {
    if (stopping) {
      process.stderr.write('forced exit\n');
      process.exit(FORCED_EXIT_CODE);
    }
    stopping = true;
    // Nothing else runs here: once it is closed, Node exits by itself.
    simulator?.close().catch(() => process.exit(1));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  // Required only now, so a signal while they load already finds the handlers above.
  const { loadConfig } = require('../config/config') as typeof import('../config/config');
  const { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS } = require('./demoData') as typeof import('./demoData');
  const { SimulatorServer: Simulator } = require('./SimulatorServer') as typeof import('./SimulatorServer');
  const config = loadConfig();
  // Nobody can read its request record from outside the process: it only counts what it served.
  simulator = new Simulator({ recordLimit: 0 });
  // Alone it needs a port others can be pointed at, so 0 ("any") means the documented 4100.
  const url = await simulator.listen(config.simulatorPort || 4100, config.simulatorHost);
  if (stopping) {
    // The signal came while it was starting to listen, before `close` could take effect.
    await simulator.close();
    return;
  }
  process.stdout.write(
    `Losant API simulator on ${url}\n` +
      `  instance ${DEMO_INSTANCE_ID}, org ${DEMO_ORG_ID}\n` +
      `  tokens: ${DEMO_TOKENS.admin} (all.Instance), ${DEMO_TOKENS.readOnly} (all.Instance.read), ${DEMO_TOKENS.noInvites} (all.Application)\n`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof Error && error.name === 'ConfigError') console.error(error.message);
  else console.error('simulator failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
