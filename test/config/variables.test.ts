import { loadConfig } from '../../src/config/config';
import { GATEWAY_VARIABLES } from '../../src/config/variables';

/**
 * The list of the gateway's variables is what `loadConfig` reads: a setting added without its
 * name in the list would be refused as a typo, and a name left in the list after its setting went
 * would hide a typo of it.
 */

/** Every name `loadConfig` reads from `env`, over a run. */
function namesRead(env: Record<string, string>): Set<string> {
  const read = new Set<string>();
  const recording = new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string') read.add(name);
      return target[name as string];
    },
  });
  loadConfig(recording);
  return read;
}

test('loadConfig reads exactly the listed variables (over environments that reach every branch)', () => {
  const environments: Array<Record<string, string>> = [
    {},
    { NODE_ENV: 'production', LOSANT_API_URL: 'https://api.losant.com', CORS_ORIGINS: 'https://app.example.com' },
    {
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      OTEL_TRACES_SAMPLER: 'traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.5',
    },
  ];
  const read = new Set<string>();
  for (const env of environments) for (const name of namesRead(env)) read.add(name);
  expect([...read].sort()).toEqual([...GATEWAY_VARIABLES].sort());
});
