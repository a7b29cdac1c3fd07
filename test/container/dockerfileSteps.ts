import { readFileSync } from 'node:fs';

/** One instruction of a Dockerfile, continuation lines joined. */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

export interface Stage {
  readonly image: string;
  readonly name?: string;
  readonly instructions: Instruction[];
}

/**
 * Reads the Dockerfile into stages of instructions, as far as this project's own Dockerfile needs
 * (FROM ... AS, WORKDIR, COPY, RUN, ARG, ENV, USER, EXPOSE, HEALTHCHECK, CMD), so a test can repeat its
 * steps where no Docker engine runs.
 */
export function readDockerfile(file: string): Stage[] {
  const text = readFileSync(file, 'utf8').replace(/\\\r?\n/g, ' ');
  const stages: Stage[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [, image, name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args) ?? [];
      stages.push({ image, name, instructions: [] });
      continue;
    }
    stages.at(-1)?.instructions.push({ keyword: upper, args: args.replace(/\s+/g, ' ').trim() });
  }
  return stages;
}

/** `KEY=value KEY2=value2` (ENV's form) as an object. */
export function envOf(args: string): Record<string, string> {
  return Object.fromEntries([...args.matchAll(/(\w+)=("[^"]*"|\S+)/g)].map(([, key, value]) => [key, value.replace(/^"|"$/g, '')]));
}

/**
 * The environment a stage's ENV instructions give its container, as Docker builds it: `ARG`
 * defaults (no `--build-arg` here) and earlier values substituted for `$NAME` and `${NAME}`.
 */
export function stageEnv(instructions: readonly Instruction[]): Record<string, string> {
  const args: Record<string, string> = {};
  const env: Record<string, string> = {};
  const expand = (value: string): string => value.replace(/\$\{?(\w+)\}?/g, (_, name: string) => env[name] ?? args[name] ?? '');
  for (const { keyword, args: text } of instructions) {
    if (keyword === 'ARG') Object.assign(args, envOf(text));
    if (keyword === 'ENV') for (const [name, value] of Object.entries(envOf(text))) env[name] = expand(value);
  }
  return env;
}

/** The exec form `["node", "dist/src/main.js"]` as an argument list. */
export function execForm(args: string): string[] {
  return JSON.parse(args) as string[];
}
