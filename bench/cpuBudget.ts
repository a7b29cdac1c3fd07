/**
 * The gateway's CPU budget by component: every non-idle sample of a V8 CPU profile goes to the
 * component that owns the nearest frame on its stack that one owns (walking from the leaf towards
 * the root), so a builtin such as `JSON.parse` or `Array.map` counts for whoever called it, and a
 * Node core frame (a socket write) for the code that asked for it. Answers microseconds per
 * operation, scaled to the CPU time the process used per operation as /proc counts it (the
 * profiler's samples are wall-clock ticks, which a busy machine stretches; their shares are not).
 */
import { type CallFrame, type CpuProfile, functionKey, type ProfileNode } from './cpuProfile';

/** The components, in the order the budget prints them. */
export const COMPONENTS = [
  'HTTP in (server, body, CORS, routing)',
  'Apollo pipeline (@apollo/server, graphql parse/validate)',
  'type-graphql layer (resolvers, args, types)',
  'graphql-jit execution (compiled query, coercion)',
  'DataLoader (InviteLoader)',
  'resilience wrapper (retry, breaker, cockatiel)',
  'REST client (node-fetch, http agent, socket)',
  'JSON parse (upstream body)',
  'contract check (responseGuards, ajv)',
  'serialisation (JSON.stringify of the answer)',
  'logging (pino)',
  'metrics (prom-client)',
  'spans (OpenTelemetry)',
  'limits (document, response, upstream budget)',
  'request context and errors',
  'other gateway code',
  'socket writes (the write syscalls themselves)',
  'Node core, not attributable (event loop, streams, timers)',
  'GC',
  'V8 (program)',
] as const;

export type Component = (typeof COMPONENTS)[number];

interface Rule {
  readonly component: Component;
  readonly test: (frame: CallFrame) => boolean;
}

const inPackage =
  (pattern: RegExp) =>
  (frame: CallFrame): boolean => {
    const at = frame.url.lastIndexOf('/node_modules/');
    return at !== -1 && pattern.test(frame.url.slice(at + '/node_modules/'.length));
  };
const inSrc =
  (pattern: RegExp) =>
  (frame: CallFrame): boolean => {
    const at = frame.url.indexOf('/dist/src/');
    return at !== -1 && pattern.test(frame.url.slice(at + '/dist/src/'.length));
  };
const inNode =
  (pattern: RegExp) =>
  (frame: CallFrame): boolean =>
    frame.url.startsWith('node:') && pattern.test(frame.url.slice('node:'.length));
const named =
  (pattern: RegExp) =>
  (frame: CallFrame): boolean =>
    pattern.test(frame.functionName);
const both =
  (a: (f: CallFrame) => boolean, b: (f: CallFrame) => boolean) =>
  (frame: CallFrame): boolean =>
    a(frame) && b(frame);

/**
 * First match wins, per frame. A frame no rule claims (graphql-js, lru-cache, a builtin, most of
 * Node core) counts for the nearest caller one does: graphql-js's parse and validate under Apollo
 * are the pipeline's, its value coercion under graphql-jit the execution's. Specific functions (the JSON parse in the REST client, Apollo's
 * stringify) come before the files and packages they sit in.
 */
const RULES: readonly Rule[] = [
  { component: 'GC', test: (f) => f.functionName === '(garbage collector)' },
  // The native writes (always leaves) every target makes alike: one
  // for the request to the upstream and one for the answer. On loopback the syscall also delivers
  // the bytes and wakes the reader, and a busy machine may switch to it before the writer resumes,
  // so their share of wall-clock samples is the least certain of the budget.
  { component: 'socket writes (the write syscalls themselves)', test: (f) => !f.url && SOCKET_WRITES.has(f.functionName) },
  { component: 'V8 (program)', test: (f) => f.functionName === '(program)' && !f.url },
  { component: 'JSON parse (upstream body)', test: both(inSrc(/^rest\/HttpInvitesApi\.js$/), named(/^parseJson$/)) },
  { component: 'JSON parse (upstream body)', test: both(inPackage(/^undici\//), named(/^json$|parseJSON/i)) },
  { component: 'serialisation (JSON.stringify of the answer)', test: named(/^prettyJSONStringify$/) },
  { component: 'serialisation (JSON.stringify of the answer)', test: inSrc(/^http\/sendJson\.js$|^limits\/responseBytes\.js$/) },
  { component: 'serialisation (JSON.stringify of the answer)', test: both(inPackage(/^fastify\//), named(/serialize|stringify/i)) },
  { component: 'contract check (responseGuards, ajv)', test: inSrc(/^rest\/responseGuards\.js$|^contract\//) },
  { component: 'contract check (responseGuards, ajv)', test: inPackage(/^(ajv|ajv-formats|fast-uri|fast-deep-equal)\//) },
  {
    component: 'logging (pino)',
    test: inPackage(
      /^(pino|pino-std-serializers|sonic-boom|fast-redact|@pinojs\/redact|thread-stream|quick-format-unescaped|atomic-sleep|on-exit-leak-free|safe-stable-stringify|fast-safe-stringify)\//,
    ),
  },
  { component: 'logging (pino)', test: inSrc(/^observability\/logger\.js$|^server\/upstreamHealthLog\.js$/) },
  { component: 'metrics (prom-client)', test: inPackage(/^(prom-client|tdigest|bintrees)\//) },
  { component: 'metrics (prom-client)', test: inSrc(/^observability\/metrics\.js$/) },
  { component: 'spans (OpenTelemetry)', test: inPackage(/^@opentelemetry\//) },
  { component: 'spans (OpenTelemetry)', test: inSrc(/^observability\/tracing\/|^observability\/inlineTrace\.js$/) },
  // The plugin's own code (codes, labels, the log call's object) is the operation's log line and metrics.
  { component: 'logging (pino)', test: inSrc(/^observability\/observabilityPlugin\.js$|^observability\/requestIdentity\.js$/) },
  {
    component: 'limits (document, response, upstream budget)',
    test: inSrc(/^limits\/|^context\/(responseBudget|UpstreamCallBudget)\.js$|^server\/socketLimits\.js$|^graphql\/documentBytes\.js$/),
  },
  { component: 'limits (document, response, upstream budget)', test: inPackage(/^@escape\.tech\//) },
  { component: 'resilience wrapper (retry, breaker, cockatiel)', test: inSrc(/^rest\/resilience\//) },
  { component: 'resilience wrapper (retry, breaker, cockatiel)', test: inPackage(/^cockatiel\//) },
  { component: 'DataLoader (InviteLoader)', test: inSrc(/^loaders\//) },
  { component: 'DataLoader (InviteLoader)', test: inPackage(/^dataloader\//) },
  { component: 'REST client (node-fetch, http agent, socket)', test: inSrc(/^rest\//) },
  {
    component: 'REST client (node-fetch, http agent, socket)',
    test: inPackage(/^(node-fetch|whatwg-url|tr46|webidl-conversions|undici)\//),
  },
  { component: 'REST client (node-fetch, http agent, socket)', test: inNode(/^_http_client|^_http_agent|^internal\/abort_controller/) },
  { component: 'graphql-jit execution (compiled query, coercion)', test: inSrc(/^graphql\/execution\//) },
  {
    component: 'graphql-jit execution (compiled query, coercion)',
    test: inPackage(/^(graphql-jit|fast-json-stringify|generate-function)\//),
  },
  // graphql-jit's compiled functions come from `new Function` and have no script URL.
  {
    component: 'graphql-jit execution (compiled query, coercion)',
    test: (f) => !f.url && /__field|Handler$|^query_|^mutation_|^anonymous$/.test(f.functionName),
  },
  {
    component: 'type-graphql layer (resolvers, args, types)',
    test: inPackage(/^(type-graphql|class-validator|reflect-metadata|graphql-scalars)\//),
  },
  { component: 'type-graphql layer (resolvers, args, types)', test: inSrc(/^graphql\/|^validation\//) },
  {
    component: 'Apollo pipeline (@apollo/server, graphql parse/validate)',
    test: inPackage(/^(@apollo\/|@graphql-tools\/|mercurius\/|fastify\/|@fastify\/|fastify-plugin\/)/),
  },
  {
    component: 'HTTP in (server, body, CORS, routing)',
    test: inSrc(/^http\/|^server\/(GatewayHttpServer|cors|routerAccess|TrustedDocuments|readiness)\.js$/),
  },
  {
    component: 'HTTP in (server, body, CORS, routing)',
    test: inPackage(/^(negotiator|content-type|whatwg-mimetype|cors|vary|object-assign|find-my-way|light-my-request|avvio)\//),
  },
  { component: 'HTTP in (server, body, CORS, routing)', test: inNode(/^_http_server|^_http_incoming|^_http_common/) },
  { component: 'request context and errors', test: inSrc(/^context\/|^errors\//) },
  { component: 'other gateway code', test: (f) => f.url.includes('/dist/src/') || f.url.includes('/dist-bench/') },
];

/** libuv stream writes (`StreamBase`); `writeString` is fs's, the log line's. */
const SOCKET_WRITES: ReadonlySet<string> = new Set([
  'writev',
  'writeLatin1String',
  'writeUtf8String',
  'writeAsciiString',
  'writeUcs2String',
  'writeBuffer',
]);

function ownerOf(frame: CallFrame): Component | undefined {
  for (const rule of RULES) if (rule.test(frame)) return rule.component;
  return undefined;
}

export interface Budget {
  /** Busy microseconds of the profile per component (not scaled). */
  readonly busyUs: Readonly<Record<Component, number>>;
  readonly totalBusyUs: number;
  /** Per component, busy microseconds by leaf function (what the component's time was spent in). */
  readonly leaves: Readonly<Record<Component, Readonly<Record<string, number>>>>;
  /** Operations completed in the profiled window. */
  readonly ops: number;
  /** CPU ms per operation of the process, from /proc, over the same window. */
  readonly cpuMsPerOp: number;
}

/** Attributes every non-idle sample in the window to a component. */
export function budgetOf(
  profile: CpuProfile,
  window: { readonly fromUs: number; readonly toUs: number },
  ops: number,
  cpuMsPerOp: number,
): Budget {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const owners = new Map<number, Component>();
  const ownerOfNode = (id: number): Component => {
    const known = owners.get(id);
    if (known) return known;
    let owner: Component | undefined;
    for (let at: number | undefined = id; at !== undefined && owner === undefined; at = parent.get(at))
      owner = ownerOf(byId.get(at)!.callFrame);
    owner ??= 'Node core, not attributable (event loop, streams, timers)';
    owners.set(id, owner);
    return owner;
  };
  const busyUs = Object.fromEntries(COMPONENTS.map((c) => [c, 0])) as Record<Component, number>;
  const leaves = Object.fromEntries(COMPONENTS.map((c) => [c, {}])) as Record<Component, Record<string, number>>;
  let totalBusyUs = 0;
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i];
    const next = i + 1 < profile.samples.length ? time + profile.timeDeltas[i + 1] : profile.endTime;
    if (time < window.fromUs || time > window.toUs) continue;
    const node = byId.get(profile.samples[i]);
    if (!node || node.callFrame.functionName === '(idle)') continue;
    const duration = Math.max(0, next - time);
    const owner = ownerOfNode(node.id);
    busyUs[owner] += duration;
    const leaf = functionKey(node.callFrame);
    leaves[owner][leaf] = (leaves[owner][leaf] ?? 0) + duration;
    totalBusyUs += duration;
  }
  return { busyUs, totalBusyUs, leaves, ops, cpuMsPerOp };
}

/** µs per operation of one component: its share of the profile's busy time × the process's CPU per operation. */
export const usPerOp = (budget: Budget, component: Component): number =>
  budget.totalBusyUs > 0 ? (budget.busyUs[component] / budget.totalBusyUs) * budget.cpuMsPerOp * 1000 : 0;

/** Markdown: one line per component, µs per operation and share of the busy time, then where each component's time went. */
export function renderBudget(budget: Budget, topLeaves = 6): string {
  const scale = budget.totalBusyUs > 0 ? (budget.cpuMsPerOp * 1000) / budget.totalBusyUs : 0;
  const where = COMPONENTS.filter((c) => budget.busyUs[c] > 0).map((c) => {
    const top = Object.entries(budget.leaves[c])
      .sort((a, b) => b[1] - a[1])
      .slice(0, topLeaves)
      .map(([name, us]) => `\`${name}\` ${(us * scale).toFixed(1)}`);
    return `- **${c}**: ${top.join('; ')}`;
  });
  const lines = [
    `CPU per operation ${(budget.cpuMsPerOp * 1000).toFixed(0)} µs (/proc, user + system, every thread of the process, ÷ ${budget.ops} operations), split by the shares of the profile's ${(budget.totalBusyUs / 1e6).toFixed(2)} s of busy samples.`,
    '',
    '| component | µs per operation | share |',
    '| --- | ---: | ---: |',
    ...COMPONENTS.map(
      (c) => `| ${c} | ${usPerOp(budget, c).toFixed(1)} | ${((100 * budget.busyUs[c]) / Math.max(1, budget.totalBusyUs)).toFixed(1)}% |`,
    ),
    `| **total** | **${(budget.cpuMsPerOp * 1000).toFixed(1)}** | 100% |`,
    '',
    `Where each component's time went: the leaf functions of its samples, µs per operation (top ${topLeaves}).`,
    '',
    ...where,
  ];
  return lines.join('\n');
}
