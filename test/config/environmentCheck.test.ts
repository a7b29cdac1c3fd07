import { editDistance, findMisconfigurations } from '../../src/config/environmentCheck';
import { ConfigError, loadConfig } from '../../src/config/config';
import { thrownBy } from '../support/thrown';

const production = { NODE_ENV: 'production', LOSANT_API_URL: 'https://api.losant.com' };

describe('findMisconfigurations', () => {
  test("the known NODE_ENV values and the gateway's own variables pass", () => {
    for (const nodeEnv of ['development', 'production', 'test'])
      expect(findMisconfigurations({ NODE_ENV: nodeEnv, LOSANT_API_URL: 'x', MAX_TOKENS: '5' })).toEqual([]);
  });

  test('an unknown NODE_ENV is named, with the values that are known', () => {
    expect(findMisconfigurations({ NODE_ENV: 'prod' })).toEqual([
      {
        variable: 'NODE_ENV',
        detail: expect.stringMatching(
          /^must be one of development, production, test, got "prod": any other value runs with development's defaults/,
        ),
      },
    ]);
  });

  test.each([
    ['LOSANT_API_ULR', 'LOSANT_API_URL'],
    ['REDIS_ULR', 'REDIS_URL'],
    ['MAX_ALIAS', 'MAX_ALIASES'],
    ['OPERATION_TIMEOUT', 'OPERATION_TIMEOUT_MS'],
    ['TRUSTED_DOCUMENT', 'TRUSTED_DOCUMENTS'],
    // Far from any name, but the prefix is the gateway's alone.
    ['UPSTREAM_RETRIES', 'UPSTREAM_TIMEOUT_MS'],
    ['LOSANT_TOKEN', 'LOSANT_API_URL'],
  ])('%s looks like a setting: did you mean %s?', (typo, meant) => {
    const [finding] = findMisconfigurations({ [typo]: 'value-that-is-never-echoed' });
    expect(finding).toEqual({ variable: typo, detail: `is not a setting of the gateway and would be ignored; did you mean ${meant}?` });
    expect(finding.detail).not.toContain('never-echoed');
  });

  test("other programs' variables, the container's and Kubernetes' service links pass", () => {
    const env = {
      HOME: '/root',
      HOSTNAME: 'invites-gateway-7d9c',
      PATH: '/usr/bin',
      NODE_VERSION: '24.11.0',
      YARN_VERSION: '1.22.22',
      KUBERNETES_SERVICE_HOST: '10.0.0.1',
      KUBERNETES_PORT_443_TCP_ADDR: '10.0.0.1',
      REDIS_SERVICE_HOST: '10.0.0.2',
      REDIS_SERVICE_PORT: '6379',
      REDIS_PORT: 'tcp://10.0.0.2:6379',
      REDIS_PORT_6379_TCP_PORT: '6379',
      INVITES_GATEWAY_SERVICE_PORT_HTTP: '4000',
      OTEL_SERVICE_NAME: 'invites-gateway',
      OTEL_EXPORTER_OTLP_HEADERS: 'x=y',
      CI: 'true',
      npm_lifecycle_event: 'start',
    };
    expect(findMisconfigurations(env)).toEqual([]);
  });

  test('edit distance counts a swap of neighbours as one edit', () => {
    expect(editDistance('LOSANT_API_ULR', 'LOSANT_API_URL')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('CONFIG_CHECKS', () => {
  test('strict (the default) refuses to start, naming every finding and how to start anyway', () => {
    const error = thrownBy(() => loadConfig({ ...production, NODE_ENV: 'prod', REDIS_ULR: 'redis://x' }), ConfigError);
    expect(error.variable).toBe('NODE_ENV');
    expect(error.message).toMatch(
      /^Invalid configuration: NODE_ENV must be one of .*; also REDIS_ULR is not a setting of the gateway .*did you mean REDIS_URL\? \(CONFIG_CHECKS=warn starts anyway, with a warning\)$/,
    );
  });

  test("warn starts, with the findings as warnings; an unknown NODE_ENV gets development's defaults", () => {
    const config = loadConfig({ CONFIG_CHECKS: 'warn', NODE_ENV: 'prod', LOSANT_API_ULR: 'https://api.losant.com' });
    expect(config.configWarnings).toEqual([
      expect.stringMatching(/^NODE_ENV must be one of/),
      'LOSANT_API_ULR is not a setting of the gateway and would be ignored; did you mean LOSANT_API_URL?',
    ]);
    expect({ playground: config.playground, introspection: config.introspection }).toEqual({ playground: true, introspection: true });
  });

  test('an unknown mode is itself refused', () => {
    expect(() => loadConfig({ CONFIG_CHECKS: 'off' })).toThrow(
      'Invalid configuration: CONFIG_CHECKS must be one of strict, warn, got "off"',
    );
  });
});
