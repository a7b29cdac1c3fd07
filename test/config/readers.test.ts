import { ConfigError } from '../../src/config/ConfigError';
import { readBoolean, readChoice, readInteger, readRatio, readRedisUrl, readUrl } from '../../src/config/readers';
import { thrownBy } from '../support/thrown';

/** The message a reader refuses `value` of `SETTING` with; fails when it accepts it. */
const refusal = (read: (env: Record<string, string>) => unknown, value: string): string => {
  const error = thrownBy(() => read({ SETTING: value }), ConfigError);
  expect(error.variable).toBe('SETTING');
  return error.message;
};

test('every reader answers its fallback for an unset or blank variable', () => {
  for (const env of [{}, { SETTING: '' }, { SETTING: '   ' }]) {
    expect(readInteger(env, 'SETTING', 7, 1, 10)).toBe(7);
    expect(readBoolean(env, 'SETTING', true)).toBe(true);
    expect(readUrl(env, 'SETTING')).toBeUndefined();
    expect(readRedisUrl(env, 'SETTING')).toBeUndefined();
    expect(readChoice(env, 'SETTING', ['a', 'b'] as const, 'b')).toBe('b');
    expect(readRatio(env, 'SETTING', 0.5)).toBe(0.5);
  }
});

test('readInteger: a whole number within its range, the bounds included', () => {
  const read = (env: Record<string, string>): number => readInteger(env, 'SETTING', 5, 1, 10);
  expect(read({ SETTING: ' 1 ' })).toBe(1);
  expect(read({ SETTING: '10' })).toBe(10);
  expect(refusal(read, '11')).toBe('Invalid configuration: SETTING must be between 1 and 10, got 11');
  expect(refusal(read, '0')).toContain('between 1 and 10');
  for (const value of ['-1', '2.5', '1e1', 'ten']) expect(refusal(read, value)).toContain(`must be a whole number, got "${value}"`);
});

test('readBoolean: true/1/yes and false/0/no in any case, nothing else', () => {
  const read = (env: Record<string, string>): boolean => readBoolean(env, 'SETTING', false);
  for (const value of ['true', 'TRUE', '1', 'Yes']) expect(read({ SETTING: value })).toBe(true);
  for (const value of ['false', '0', 'NO']) expect(readBoolean({ SETTING: value }, 'SETTING', true)).toBe(false);
  expect(refusal(read, 'on')).toContain('must be true or false, got "on"');
});

test('readUrl: an absolute http(s) URL without credentials, trailing slashes dropped', () => {
  const read = (env: Record<string, string>): string | undefined => readUrl(env, 'SETTING');
  expect(read({ SETTING: ' https://api.example.com/v1// ' })).toBe('https://api.example.com/v1');
  expect(refusal(read, 'api.example.com')).toContain('must be an absolute http(s) URL');
  expect(refusal(read, 'ftp://api.example.com')).toContain('must use http or https');
  // The password never reaches the message, which start-up logs.
  expect(refusal(read, 'https://user:hunter22@api.example.com')).not.toContain('hunter22');
});

test('readRedisUrl: redis:// or rediss://, kept as written (its password included, never echoed)', () => {
  const read = (env: Record<string, string>): string | undefined => readRedisUrl(env, 'SETTING');
  expect(read({ SETTING: 'rediss://:pw@cache:6380/2' })).toBe('rediss://:pw@cache:6380/2');
  expect(refusal(read, 'http://cache:6379')).toContain('must use redis or rediss');
  expect(refusal(read, 'cache:pw@')).not.toContain('pw@');
});

test('readChoice: one of its words in any case, the list named when refused', () => {
  const read = (env: Record<string, string>): string => readChoice(env, 'SETTING', ['off', 'allow', 'only'] as const, 'off');
  expect(read({ SETTING: ' ONLY ' })).toBe('only');
  expect(refusal(read, 'some')).toContain('must be one of off, allow, only, got "some"');
});

test('readRatio: a number from 0 to 1', () => {
  const read = (env: Record<string, string>): number => readRatio(env, 'SETTING', 1);
  expect(read({ SETTING: '0' })).toBe(0);
  expect(read({ SETTING: '.25' })).toBe(0.25);
  expect(read({ SETTING: '1' })).toBe(1);
  for (const value of ['1.5', '-0.1', 'half', '1e-1']) expect(refusal(read, value)).toContain('must be a number from 0 to 1');
});
