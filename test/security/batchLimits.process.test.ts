import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS } from '../../src/simulator/demoData';
import { codesOf, post, ProductionGateway, startProductionGateway } from '../support/attack';

/**
 * A batched HTTP request (`MAX_BATCH_SIZE` > 0, the body a JSON array) is one request: the
 * upstream-call limit holds for the sum of its operations, and each operation's log line still
 * reports the calls that operation made.
 */

const ADMIN = { authorization: `Bearer ${DEMO_TOKENS.admin}` };
const ORG = `instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}"`;

/** An operation reading `count` distinct lists (a distinct filter each, so nothing is deduplicated). */
function distinctLists(name: string, count: number): { query: string } {
  const lists = Array.from({ length: count }, (_, i) => `l${i}: orgInvites(${ORG}, filterField: EMAIL, filter: "*${name}-${i}") { count }`);
  return { query: `query ${name} { ${lists.join(' ')} }` };
}

let gateway: ProductionGateway;
beforeAll(async () => {
  gateway = await startProductionGateway({ MAX_BATCH_SIZE: '10', LOG_LEVEL: 'info' });
});
afterAll(() => gateway.close());
beforeEach(() => {
  gateway.simulator.requests.length = 0;
});

test('a batch of 10 operations of 25 calls each makes at most 25 REST calls: the limit is per HTTP request', async () => {
  const batch = Array.from({ length: 10 }, (_, i) => distinctLists(`Op${i}`, 25));
  const response = await post(gateway.graphqlUrl, batch, ADMIN);
  const answers = response.json as unknown[];
  expect(answers).toHaveLength(10);
  const refused = answers.filter((answer) => codesOf(answer).includes('OPERATION_LIMIT_EXCEEDED'));
  expect(refused).toHaveLength(9);
  expect(refused[0]).toMatchObject({ errors: [{ extensions: { limit: 'upstreamCalls', max: 25, actual: 50 } }] });
  expect(gateway.simulator.requests.length).toBeLessThanOrEqual(25);
});

test('operations of a batch within the limit all run, and each log line counts only its own calls', async () => {
  const response = await post(gateway.graphqlUrl, [distinctLists('Two', 2), distinctLists('Three', 3)], ADMIN);
  expect((response.json as unknown[]).map(codesOf)).toEqual([[], []]);
  expect(gateway.simulator.requests).toHaveLength(5);
  const logged = await operationLogLines(['Two', 'Three']);
  expect(logged.get('Two')).toMatchObject({ upstreamCalls: 2, outcome: 'ok' });
  expect(logged.get('Three')).toMatchObject({ upstreamCalls: 3, outcome: 'ok' });
});

/** The `graphql operation` log lines of the named operations, waiting briefly for them to be written. */
async function operationLogLines(names: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const lines = new Map<string, Record<string, unknown>>();
    for (const text of gateway.process.output().split('\n')) {
      if (!text.startsWith('{')) continue;
      const line = JSON.parse(text) as Record<string, unknown>;
      if (line.msg === 'graphql operation' && typeof line.operation === 'string' && names.includes(line.operation))
        lines.set(line.operation, line);
    }
    if (lines.size === names.length || Date.now() > deadline) return lines;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
