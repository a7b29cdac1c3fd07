/**
 * Reads a V8 `.cpuprofile` (what `node --cpu-prof` writes) and answers where the time went: self
 * and inclusive time per function, and per package (node_modules package, Node core module, or
 * the gateway's own `src/<folder>`). Samples can be limited to a time window, so start-up and
 * shutdown do not count.
 */

export interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

export interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly hitCount?: number;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  /** Microseconds, on the same monotonic clock as `process.hrtime`. */
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface Entry {
  readonly name: string;
  readonly pkg: string;
  /** Microseconds. */
  self: number;
  inclusive: number;
}

export interface ProfileSummary {
  /** Microseconds of samples in the window, idle included. */
  readonly windowUs: number;
  readonly idleUs: number;
  /** Microseconds of non-idle samples: the denominator of every share. */
  readonly busyUs: number;
  readonly samples: number;
  readonly functions: Entry[];
  readonly packages: Entry[];
}

const SPECIAL = new Set(['(root)', '(program)', '(idle)', '(garbage collector)']);

/** Families the issue asks about; any other package stands for itself. */
const FAMILIES: ReadonlyArray<[RegExp, string]> = [
  [/^@apollo\//, 'apollo (@apollo/*)'],
  [
    /^(pino|pino-std-serializers|sonic-boom|fast-redact|@pinojs\/redact|thread-stream|quick-format-unescaped|atomic-sleep|on-exit-leak-free|safe-stable-stringify|fast-safe-stringify)$/,
    'pino (logging)',
  ],
  [/^(node-fetch|whatwg-url|tr46|webidl-conversions)$/, 'node-fetch'],
  [/^@graphql-tools\//, 'graphql-tools'],
  [/^(prom-client|tdigest|bintrees)$/, 'prom-client (metrics)'],
];

/** The package a frame's script belongs to. */
export function packageOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return SPECIAL.has(functionName) ? functionName : '(V8 builtins / native)';
  const nodeModules = url.lastIndexOf('/node_modules/');
  if (nodeModules !== -1) {
    const parts = url.slice(nodeModules + '/node_modules/'.length).split('/');
    const name = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
    for (const [pattern, family] of FAMILIES) if (pattern.test(name)) return family;
    return name;
  }
  const src = /\/dist\/src\/(.+)$/.exec(url);
  if (src) return `our src/${src[1].split('/')[0]}`;
  const bench = /\/dist-bench\/bench\/(.+)\.js$/.exec(url);
  if (bench) return `bench/${bench[1]}`;
  if (url.startsWith('node:')) {
    let module = url.slice('node:'.length).replace(/^internal\//, '');
    module = module
      .split('/')[0]
      .replace(/^_/, '')
      .replace(/^http_.*/, 'http')
      .replace(/\.js$/, '');
    return `node:${module}`;
  }
  return url.replace(/^file:\/\//, '');
}

function shortUrl(url: string): string {
  const nodeModules = url.lastIndexOf('/node_modules/');
  if (nodeModules !== -1) return url.slice(nodeModules + '/node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist !== -1) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}

export function functionKey(frame: CallFrame): string {
  if (!frame.url) return frame.functionName || '(anonymous native)';
  return `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
}

/**
 * Self time: each sample's duration goes to its leaf frame. Inclusive time: to every distinct
 * function (and package) on the sample's stack, once even when it recurses. A sample lasts until
 * the next one (as Chrome DevTools counts it).
 */
export function summarize(profile: CpuProfile, window?: { readonly fromUs: number; readonly toUs: number }): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const functions = new Map<string, Entry>();
  const packages = new Map<string, Entry>();
  const entry = (table: Map<string, Entry>, name: string, pkg: string): Entry => {
    let found = table.get(name);
    if (!found) table.set(name, (found = { name, pkg, self: 0, inclusive: 0 }));
    return found;
  };
  // Per node: the distinct function and package entries on its stack, computed once.
  const stacks = new Map<number, { fns: Entry[]; pkgs: Entry[] }>();
  const stackOf = (id: number): { fns: Entry[]; pkgs: Entry[] } => {
    let stack = stacks.get(id);
    if (stack) return stack;
    const fns = new Set<Entry>();
    const pkgs = new Set<Entry>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (frame.functionName === '(root)' && !frame.url) continue;
      const pkg = packageOf(frame);
      fns.add(entry(functions, functionKey(frame), pkg));
      pkgs.add(entry(packages, pkg, pkg));
    }
    stack = { fns: [...fns], pkgs: [...pkgs] };
    stacks.set(id, stack);
    return stack;
  };

  let time = profile.startTime;
  let windowUs = 0;
  let idleUs = 0;
  let samples = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i];
    const next = i + 1 < profile.samples.length ? time + profile.timeDeltas[i + 1] : profile.endTime;
    const duration = Math.max(0, next - time);
    if (window && (time < window.fromUs || time > window.toUs)) continue;
    const node = byId.get(profile.samples[i]);
    if (!node) continue;
    samples++;
    windowUs += duration;
    if (node.callFrame.functionName === '(idle)') {
      idleUs += duration;
      continue;
    }
    const leaf = node.callFrame;
    entry(functions, functionKey(leaf), packageOf(leaf)).self += duration;
    entry(packages, packageOf(leaf), packageOf(leaf)).self += duration;
    const stack = stackOf(node.id);
    for (const fn of stack.fns) fn.inclusive += duration;
    for (const pkg of stack.pkgs) pkg.inclusive += duration;
  }
  return {
    windowUs,
    idleUs,
    busyUs: windowUs - idleUs,
    samples,
    functions: [...functions.values()],
    packages: [...packages.values()],
  };
}

const pct = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(1)}%`;

/** Markdown: packages by self time, then the top functions by self and by inclusive time. */
export function renderSummary(summary: ProfileSummary, top = 25): string {
  const { busyUs } = summary;
  const packages = [...summary.packages].filter((p) => p.name !== '(idle)').sort((a, b) => b.self - a.self);
  const bySelf = [...summary.functions].sort((a, b) => b.self - a.self).slice(0, top);
  const byInclusive = [...summary.functions]
    .filter((f) => f.name !== '(program)' && f.name !== '(garbage collector)')
    .sort((a, b) => b.inclusive - a.inclusive)
    .slice(0, top);
  const lines = [
    `Window: ${(summary.windowUs / 1e6).toFixed(2)} s, ${summary.samples} samples; busy ${(busyUs / 1e6).toFixed(2)} s (${pct(busyUs, summary.windowUs)}), idle ${pct(summary.idleUs, summary.windowUs)}. Shares below are of busy time.`,
    '',
    '### By package',
    '',
    '| package | self | inclusive |',
    '| --- | ---: | ---: |',
    ...packages.map((p) => `| ${p.name} | ${pct(p.self, busyUs)} | ${pct(p.inclusive, busyUs)} |`),
    '',
    `### Top ${top} functions by self time`,
    '',
    '| # | function | package | self | inclusive |',
    '| ---: | --- | --- | ---: | ---: |',
    ...bySelf.map((f, i) => `| ${i + 1} | \`${f.name}\` | ${f.pkg} | ${pct(f.self, busyUs)} | ${pct(f.inclusive, busyUs)} |`),
    '',
    `### Top ${top} functions by inclusive time`,
    '',
    '| # | function | package | inclusive | self |',
    '| ---: | --- | --- | ---: | ---: |',
    ...byInclusive.map((f, i) => `| ${i + 1} | \`${f.name}\` | ${f.pkg} | ${pct(f.inclusive, busyUs)} | ${pct(f.self, busyUs)} |`),
  ];
  return lines.join('\n');
}
