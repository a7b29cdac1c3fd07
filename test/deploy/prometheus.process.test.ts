import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './manifests';

/**
 * deploy/prometheus checked by Prometheus's own tooling: `promtool check rules` (syntax, PromQL,
 * templates) and `promtool test rules` (each alert fired from synthetic series in alerts.test.yaml,
 * and quiet while the series are healthy).
 */

const DIR = path.join(ROOT, 'deploy', 'prometheus');

function promtool(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync('promtool', args, { cwd: DIR, encoding: 'utf8' });
  if (result.error)
    throw new Error(`promtool did not run (scripts/test-tools.sh installs Debian's prometheus package): ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

interface RuleTests {
  tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}

test('promtool check rules accepts the alert rules', () => {
  const { status, output } = promtool('check', 'rules', 'alerts.yaml');
  expect(output).toContain('SUCCESS');
  expect(status).toBe(0);
});

test('promtool test rules: every unit test passes', () => {
  const { status, output } = promtool('test', 'rules', 'alerts.test.yaml');
  expect(output).toContain('SUCCESS');
  expect(status).toBe(0);
});

test('every alert has a unit test that fires it and one where it stays quiet', () => {
  const rules = parse(readFileSync(path.join(DIR, 'alerts.yaml'), 'utf8')) as { groups: { rules: { alert: string }[] }[] };
  const alerts = rules.groups.flatMap((group) => group.rules.map((rule) => rule.alert));
  const checks = (parse(readFileSync(path.join(DIR, 'alerts.test.yaml'), 'utf8')) as RuleTests).tests.flatMap(
    (t) => t.alert_rule_test ?? [],
  );
  const fired = new Set(checks.filter((check) => check.exp_alerts.length > 0).map((check) => check.alertname));
  const quiet = new Set(checks.filter((check) => check.exp_alerts.length === 0).map((check) => check.alertname));
  expect(alerts.filter((alert) => !fired.has(alert))).toEqual([]);
  expect(alerts.filter((alert) => !quiet.has(alert))).toEqual([]);
});
