import { budgetOf, COMPONENTS, usPerOp } from '../../bench/cpuBudget';
import type { CallFrame, CpuProfile, ProfileNode } from '../../bench/cpuProfile';

const ROOT = '/srv/gateway';
const frame = (functionName: string, url = ''): CallFrame => ({ functionName, url, lineNumber: 0, columnNumber: 0 });
const ours = (file: string, fn: string): CallFrame => frame(fn, `file://${ROOT}/dist/src/${file}`);
const pkg = (file: string, fn: string): CallFrame => frame(fn, `file://${ROOT}/node_modules/${file}`);

/**
 * A profile of the given stacks (root first, leaf last), each sampled once for `us` microseconds,
 * all inside the window [0, 1e9].
 */
function profileOf(stacks: ReadonlyArray<{ readonly frames: readonly CallFrame[]; readonly us: number }>): CpuProfile {
  const nodes: Array<ProfileNode & { children: number[] }> = [{ id: 1, callFrame: frame('(root)'), children: [] }];
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  for (const { frames } of stacks) {
    let parent = nodes[0];
    for (const callFrame of frames) {
      const node = { id: nodes.length + 1, callFrame, children: [] };
      nodes.push(node);
      parent.children.push(node.id);
      parent = node;
    }
    samples.push(parent.id);
    // Each sample lasts until the next one; the first starts at 1 µs.
    timeDeltas.push(timeDeltas.length === 0 ? 1 : stacks[timeDeltas.length - 1].us);
  }
  const endTime = 1 + stacks.reduce((sum, s) => sum + s.us, 0);
  return { nodes, startTime: 0, endTime, samples, timeDeltas };
}

describe('the CPU budget gives each sample to the nearest component on its stack', () => {
  const stacks = [
    // JSON.parse, a builtin, counts for the REST client's parseJson that called it.
    {
      frames: [
        frame('runMicrotasks'),
        ours('rest/HttpInvitesApi.js', 'call'),
        ours('rest/HttpInvitesApi.js', 'parseJson'),
        frame('JSONParse'),
      ],
      us: 100,
    },
    // graphql-js's validation under Apollo's pipeline is the pipeline's.
    {
      frames: [
        pkg('@apollo/server/dist/cjs/requestPipeline.js', 'processGraphQLRequest'),
        pkg('graphql/validation/validate.js', 'validate'),
      ],
      us: 200,
    },
    // A socket write is its own line, whoever asked for it.
    { frames: [ours('server/GatewayHttpServer.js', 'writeResponse'), frame('end', 'node:_http_outgoing'), frame('writev')], us: 300 },
    // Node core with no component above it.
    { frames: [frame('processTicksAndRejections', 'node:internal/process/task_queues'), frame('emit', 'node:events')], us: 50 },
    // ajv's generated validator (no script URL) counts for the contract check that runs it.
    { frames: [ours('rest/responseGuards.js', 'orgInviteCollectionProblem'), frame('validate10')], us: 150 },
    { frames: [frame('(garbage collector)')], us: 150 },
    { frames: [frame('(idle)')], us: 1000 },
  ];
  const budget = budgetOf(profileOf(stacks), { fromUs: 0, toUs: 1e9 }, 10, 2);

  test('components get their samples; idle counts for none', () => {
    expect(budget.totalBusyUs).toBe(950);
    expect(budget.busyUs['JSON parse (upstream body)']).toBe(100);
    expect(budget.busyUs['Apollo pipeline (@apollo/server, graphql parse/validate)']).toBe(200);
    expect(budget.busyUs['socket writes (the write syscalls themselves)']).toBe(300);
    expect(budget.busyUs['Node core, not attributable (event loop, streams, timers)']).toBe(50);
    expect(budget.busyUs['contract check (responseGuards, ajv)']).toBe(150);
    expect(budget.busyUs.GC).toBe(150);
    expect(budget.busyUs['HTTP in (server, body, CORS, routing)']).toBe(0);
  });

  test('µs per operation are the shares of busy time times the CPU per operation, and add up to it', () => {
    expect(usPerOp(budget, 'socket writes (the write syscalls themselves)')).toBeCloseTo((300 / 950) * 2000);
    expect(COMPONENTS.reduce((sum, c) => sum + usPerOp(budget, c), 0)).toBeCloseTo(2000);
  });

  test('each component keeps the leaf functions its time went to', () => {
    expect(Object.keys(budget.leaves['JSON parse (upstream body)'])).toEqual(['JSONParse']);
    expect(budget.leaves['Apollo pipeline (@apollo/server, graphql parse/validate)']).toEqual({
      'validate graphql/validation/validate.js:1': 200,
    });
  });

  test('samples outside the window count for nothing', () => {
    expect(budgetOf(profileOf(stacks), { fromUs: 1e8, toUs: 1e9 }, 10, 2).totalBusyUs).toBe(0);
  });
});
