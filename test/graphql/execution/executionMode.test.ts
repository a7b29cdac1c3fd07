/**
 * Which executor runs an operation, as the gateway reports it: `graphql_executions_total{mode,
 * reason}` at /metrics, and a debug line for each operation that was not compiled. The answers
 * themselves are the same either way (compiledExecution.test.ts), so without these counts a
 * gateway that never compiled anything would pass every other test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, print, separateOperations } from 'graphql';
import { capturingLogger } from '../../support/capturedLogs';
import type { SimulatorServer } from '../../../src/simulator/SimulatorServer';
import { DEMO_ORG } from '../../support/operations';
import { DEMO_INSTANCE_ID, graphql, startStack, startTestGateway, TestStack } from '../../support/stack';

const OPERATIONS_DIR = join(__dirname, '..', '..', '..', 'schema', 'operations');

/** The committed operation `name`, alone with the fragments it uses. */
function committedOperation(name: string): string {
  const files = readdirSync(OPERATIONS_DIR).filter((file) => file.endsWith('.graphql'));
  const document = separateOperations(parse(files.map((file) => readFileSync(join(OPERATIONS_DIR, file), 'utf8')).join('\n')))[name];
  if (!document) throw new Error(`schema/operations has no operation ${name}`);
  return print(document);
}

let stack: TestStack;
let simulator: SimulatorServer;
let graphqlUrl: string;
let lines: Array<Record<string, unknown>>;

beforeAll(async () => {
  const captured = capturingLogger();
  lines = captured.lines;
  // Compiled execution and federated traces are on by default; stated here because the test is about them.
  stack = await startStack({ env: { COMPILED_EXECUTION: 'true', FEDERATED_TRACES: 'true' }, logger: captured.logger });
  ({ simulator, graphqlUrl } = stack);
});
afterAll(() => stack.close());
beforeEach(() => {
  lines.length = 0;
});

/** `graphql_executions_total` by `mode/reason`, read from the /metrics of the gateway at `base`. */
async function executions(base: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^graphql_executions_total\{mode="(\w+)",reason="(\w+)"\} (\d+)$/gm))
    counts[`${match[1]}/${match[2]}`] = Number(match[3]);
  return counts;
}

/** What `send` added to the counts of the gateway at `base` (the suite's own by default): only the labels that moved. */
async function countedBy(send: () => Promise<unknown>, base = stack.gateway.url): Promise<Record<string, number>> {
  const before = await executions(base);
  await send();
  const after = await executions(base);
  return Object.fromEntries(
    Object.entries(after)
      .filter(([key, value]) => value !== (before[key] ?? 0))
      .map(([key, value]) => [key, value - (before[key] ?? 0)]),
  );
}

const notCompiledLines = () => lines.filter((line) => line.msg === 'operation executed by graphql-js, not compiled');

describe('the committed list operation runs compiled', () => {
  const LIST = committedOperation('ListOrgInvites');

  test('ListOrgInvites (schema/operations): compiled on first use and from the cache, and no fall-back logged', async () => {
    const counted = await countedBy(async () => {
      for (let i = 0; i < 2; i++) {
        const result = await graphql(graphqlUrl, LIST, {
          variables: { ...DEMO_ORG, sortField: 'EMAIL', filterField: 'EMAIL', filter: '*@example.com' },
        });
        expect(result.body.errors).toBeUndefined();
      }
    });
    expect(counted).toEqual({ 'compiled/none': 2 });
    expect(notCompiledLines()).toEqual([]);
  });

  test('variables that do not coerce are refused on the compiled path', async () => {
    const counted = await countedBy(() => graphql(graphqlUrl, LIST, { variables: { ...DEMO_ORG, sortField: 'NOPE' } }));
    expect(counted).toEqual({ 'compiled/none': 1 });
  });
});

describe('operations that fall back to graphql-js: counted and logged at debug with their reason', () => {
  test('a mutation (InviteMember): reason "mutation", with neither its document nor its variables in the log', async () => {
    const email = 'execution.mode@example.com';
    const counted = await countedBy(() =>
      graphql(graphqlUrl, committedOperation('InviteMember'), { variables: { ...DEMO_ORG, invite: { email, role: 'VIEW' } } }),
    );
    expect(counted).toEqual({ 'interpreted/mutation': 1 });
    const logged = notCompiledLines();
    expect(logged).toEqual([expect.objectContaining({ level: 20, operation: 'InviteMember', reason: 'mutation' })]);
    expect(JSON.stringify(logged)).not.toContain(email);
    expect(JSON.stringify(logged)).not.toContain('inviteMember(');
  });

  test('_entities: reason "entities"', async () => {
    const query = 'query Entities($r: [_Any!]!) { _entities(representations: $r) { ... on InstanceOrg { orgId } } }';
    const counted = await countedBy(() => graphql(graphqlUrl, query, { variables: { r: [{ __typename: 'InstanceOrg', ...DEMO_ORG }] } }));
    expect(counted).toEqual({ 'interpreted/entities': 1 });
    expect(notCompiledLines()).toEqual([expect.objectContaining({ operation: 'Entities', reason: 'entities' })]);
  });

  test('_entities behind an inline fragment, a named fragment, or a fragment spread twice: reason "entities" all the same', async () => {
    const variables = { r: [{ __typename: 'InstanceOrg', ...DEMO_ORG }] };
    const ENTITIES = '_entities(representations: $r) { ... on InstanceOrg { orgId } }';
    const shapes = {
      inline: `query Inline($r: [_Any!]!) { ... on Query { ${ENTITIES} } }`,
      named: `query Named($r: [_Any!]!) { ...Entities } fragment Entities on Query { ${ENTITIES} }`,
      // The first spread of Plain selects nothing interpreted; its second must still be looked into.
      spreadTwice: `query Twice($r: [_Any!]!) { ...Plain ... on Query { ...Plain ...Both } }
        fragment Plain on Query { __typename } fragment Both on Query { ...Plain ${ENTITIES} }`,
    };
    for (const [shape, query] of Object.entries(shapes)) {
      const counted = await countedBy(async () => {
        const result = await graphql(graphqlUrl, query, { variables });
        expect(result.body.errors).toBeUndefined();
      });
      expect({ shape, counted }).toEqual({ shape, counted: { 'interpreted/entities': 1 } });
    }
    // The same fragments without _entities stay compiled.
    const plain = 'query PlainOnly { ...Plain ... on Query { ...Plain } } fragment Plain on Query { __typename }';
    expect(await countedBy(() => graphql(graphqlUrl, plain))).toEqual({ 'compiled/none': 1 });
  });

  test('a variable explicitly null: reason "null_variable", the same operation compiled without it', async () => {
    const list = committedOperation('ListOrgInvites');
    expect(await countedBy(() => graphql(graphqlUrl, list, { variables: { ...DEMO_ORG, filter: null } }))).toEqual({
      'interpreted/null_variable': 1,
    });
    expect(await countedBy(() => graphql(graphqlUrl, list, { variables: DEMO_ORG }))).toEqual({ 'compiled/none': 1 });
  });

  test('a router asking for an inline trace (ftv1): reason "traced"', async () => {
    const query = `query Traced { orgInvites(instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG.orgId}") { count } }`;
    const counted = await countedBy(() => graphql(graphqlUrl, query, { headers: { 'apollo-federation-include-trace': 'ftv1' } }));
    expect(counted).toEqual({ 'interpreted/traced': 1 });
  });
});

describe("the compiled cache's largest entry: the smaller of CACHE_MAX_ENTRY_BYTES and COMPILED_CACHE_MAX_BYTES", () => {
  /** About 40 KB as estimated (the compiled code's 16 KB, tokens, text): under the smallest COMPILED_CACHE_MAX_BYTES. */
  const SMALL = `query Small { orgInvites(instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG.orgId}") { count } }`;
  /** ListOrgInvites with its fragments: past 64 KiB as estimated (about a hundred tokens at 640 bytes each). */
  const LIST = committedOperation('ListOrgInvites');

  /** What one request of `query` adds to the counts of a gateway started with `env`, on the suite's simulator. */
  async function countedOn(env: Record<string, string>, query: string): Promise<Record<string, number>> {
    const small = await startTestGateway(simulator.url, { env: { COMPILED_EXECUTION: 'true', ...env } });
    try {
      return await countedBy(async () => {
        const result = await graphql(small.graphqlUrl, query, { variables: DEMO_ORG });
        expect(result.body.errors).toBeUndefined();
      }, small.gateway.url);
    } finally {
      await small.close();
    }
  }

  test('COMPILED_CACHE_MAX_BYTES at its least (64 KiB): a small operation is compiled, ListOrgInvites runs interpreted as "too_large"', async () => {
    expect(await countedOn({ COMPILED_CACHE_MAX_BYTES: '65536' }, SMALL)).toEqual({ 'compiled/none': 1 });
    expect(await countedOn({ COMPILED_CACHE_MAX_BYTES: '65536' }, LIST)).toEqual({ 'interpreted/too_large': 1 });
  });

  test("CACHE_MAX_ENTRY_BYTES under the compiled code's own estimate: nothing is compiled", async () => {
    expect(await countedOn({ CACHE_MAX_ENTRY_BYTES: '16384' }, SMALL)).toEqual({ 'interpreted/too_large': 1 });
  });
});
