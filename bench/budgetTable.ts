/**
 * Sets the CPU budgets of several `npm run bench:profile` runs side by side (their `.json`
 * files): one row per component, one column per run, µs per operation. Usage:
 * `node dist-bench/bench/budgetTable.js 'before, 20 invites=bench/results/budget-20-before.json' ...`
 * (each argument `column title=path`); prints Markdown.
 */
import { readFileSync } from 'node:fs';
import { Budget, COMPONENTS, usPerOp } from './cpuBudget';

interface SavedBudget extends Budget {
  readonly label: string;
  readonly connections: number;
  readonly commit: string;
  readonly date: string;
  readonly target: string;
  /** The gateway build profiled, when not the checkout's dist/src/main.js. */
  readonly build?: string;
}

function main(): void {
  const columns = process.argv.slice(2).map((argument) => {
    const at = argument.lastIndexOf('=');
    if (at <= 0) throw new Error(`each argument is "title=path", got "${argument}"`);
    return { title: argument.slice(0, at), budget: JSON.parse(readFileSync(argument.slice(at + 1), 'utf8')) as SavedBudget };
  });
  if (columns.length === 0) throw new Error('name at least one "title=path" budget');
  const share = (budget: Budget, component: (typeof COMPONENTS)[number]): string =>
    `${((100 * budget.busyUs[component]) / Math.max(1, budget.totalBusyUs)).toFixed(1)}%`;
  const header = `| ${columns.map((c) => c.title).join(' | ')} |`;
  const rule = `| --- | ${columns.map(() => '---:').join(' | ')} |`;
  const lines = [
    `| component (µs per operation) ${header}`,
    rule,
    ...COMPONENTS.map((component) => `| ${component} | ${columns.map((c) => usPerOp(c.budget, component).toFixed(0)).join(' | ')} |`),
    `| **total (CPU per operation, /proc)** | ${columns.map((c) => `**${(c.budget.cpuMsPerOp * 1000).toFixed(0)}**`).join(' | ')} |`,
    '',
    // Shares do not depend on how much a busy machine inflated the run's CPU time: they compare across runs.
    `| component (share of busy samples) ${header}`,
    rule,
    ...COMPONENTS.map((component) => `| ${component} | ${columns.map((c) => share(c.budget, component)).join(' | ')} |`),
    '',
    ...columns.map(
      (c) =>
        `- ${c.title}: ${c.budget.target} on ${c.budget.label}, ${c.budget.connections} connections, ${c.budget.ops} operations profiled; ${c.budget.build && c.budget.build !== 'dist/src/main.js' ? `build ${c.budget.build}` : `commit ${c.budget.commit}`}, ${c.budget.date}.`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
