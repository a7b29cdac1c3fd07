import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config';
import { GATEWAY_VARIABLES } from '../../src/config/variables';

/**
 * docs/configuration.md is the reference operators read, so it must say what `loadConfig` does:
 * the same variables, and defaults that really are the defaults. A default is checked by setting
 * the variable to the documented value and expecting the very configuration of leaving it unset,
 * which needs no map from variable names to configuration fields (and survives their moving).
 */

interface Row {
  readonly variable: string;
  /** The default written first, or undefined for "unset". */
  readonly value: string | undefined;
  /** Whether the default is written as "unset" (no value: the setting is off or derived). */
  readonly unset: boolean;
  /** The default written as "; `value` in production", if the row has one. */
  readonly productionValue: string | undefined;
}

const PRODUCTION = { NODE_ENV: 'production', LOSANT_API_URL: 'https://api.losant.com' };

function readTable(): Row[] {
  const text = readFileSync(join(__dirname, '..', '..', 'docs', 'configuration.md'), 'utf8');
  const header = text.indexOf('| variable | default | meaning |');
  if (header < 0) throw new Error('docs/configuration.md has no "| variable | default | meaning |" table');
  const rows: Row[] = [];
  for (const line of text.slice(header).split('\n').slice(2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split(' | ');
    const variable = /^\| `([A-Z0-9_]+)`$/.exec(cells[0] ?? '')?.[1];
    const defaultCell = cells[1] ?? '';
    if (!variable) throw new Error(`a row names no single variable: ${line}`);
    rows.push({
      variable,
      value: /^`([^`]*)`/.exec(defaultCell)?.[1],
      unset: defaultCell.startsWith('unset'),
      productionValue: /; `([^`]*)` in production/.exec(defaultCell)?.[1],
    });
  }
  return rows;
}

const rows = readTable();

test('the table lists exactly the variables loadConfig reads, once each', () => {
  const names = rows.map((row) => row.variable);
  expect(new Set(names).size).toBe(names.length);
  expect([...names].sort()).toEqual([...GATEWAY_VARIABLES].sort());
});

test('every row gives a default, or says the variable is unset by default', () => {
  expect(rows.filter((row) => row.value === undefined && !row.unset).map((row) => row.variable)).toEqual([]);
});

describe.each(rows.filter((row) => row.value !== undefined).map((row) => [row.variable, row] as const))('%s', (variable, row) => {
  test('its documented default is what loadConfig uses when it is unset', () => {
    expect(loadConfig({ [variable]: row.value! })).toEqual(loadConfig({}));
  });
});

// NODE_ENV is what makes production: setting it to its default would leave production.
describe.each(rows.filter((row) => row.value !== undefined && row.variable !== 'NODE_ENV').map((row) => [row.variable, row] as const))(
  '%s in production',
  (variable, row) => {
    test('its documented production default is what loadConfig uses when it is unset', () => {
      expect(loadConfig({ ...PRODUCTION, [variable]: row.productionValue ?? row.value! })).toEqual(loadConfig(PRODUCTION));
    });
  },
);
