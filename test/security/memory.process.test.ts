import { createHash } from 'node:crypto';
import {
  codesOf,
  post,
  ProbeReport,
  ProductionGateway,
  residentBytes,
  ROUTER_ENV,
  ROUTER_HEADERS,
  startProductionGateway,
  stallProbe,
} from '../support/attack';

/**
 * Memory exhaustion with unique documents. Every distinct valid document goes into Apollo's
 * document cache, the APQ cache and the compiled-operation cache. Sized by entry count or by a
 * document's JSON (which leaves out its source text), they grew with traffic: about 0.95 MB stayed
 * per 900 KB request until the process died at its heap limit. Capped by bytes, they stay within
 * their configured budgets whatever clients send.
 *
 * The gateway runs with a 160 MB old space: without the caps it died of "JavaScript heap out of
 * memory" after about 160 of the large documents below, or 28 of the dense ones; with them it
 * answers every one.
 */

jest.setTimeout(150_000);

const MiB = 1024 * 1024;
const HEAP_LIMIT_MB = 160;
/**
 * Each budget at 16 MiB, and single entries up to the budget, so the budgets are what is tested;
 * the token limit is lifted for the same reason (it alone would refuse the dense documents).
 */
const CACHE_ENV = {
  MAX_TOKENS: '1000000',
  DOCUMENT_CACHE_MAX_BYTES: String(16 * MiB),
  COMPILED_CACHE_MAX_BYTES: String(16 * MiB),
  APQ_CACHE_MAX_BYTES: String(16 * MiB),
  CACHE_MAX_ENTRY_BYTES: String(16 * MiB),
  NODE_OPTIONS: `--max-old-space-size=${HEAP_LIMIT_MB}`,
};

let gateway: ProductionGateway;

beforeEach(async () => {
  // `_service`, which the documents below select, is the router's to run.
  gateway = await startProductionGateway({ ...CACHE_ENV, ...ROUTER_ENV });
});
afterEach(async () => {
  await gateway?.close();
});

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Sends one document and fails with the gateway's last words if it is no longer there to answer. */
async function send(body: Record<string, unknown>, index: number): Promise<unknown> {
  try {
    return (await post(gateway.graphqlUrl, body, ROUTER_HEADERS)).json;
  } catch (error) {
    throw new Error(`request ${index} failed (${(error as Error).message}); the gateway said:\n${gateway.process.output().slice(-1500)}`);
  }
}

/** Sends `count` documents one after another and answers how many got `{ _service: { __typename: "_Service" } }`. */
async function answeredOf(count: number, body: (index: number) => Record<string, unknown>): Promise<number> {
  let answered = 0;
  for (let index = 0; index < count; index++) {
    const json = (await send(body(index), index)) as { data?: { _service?: { __typename?: string } } } | undefined;
    if (json?.data?._service?.__typename === '_Service') answered++;
  }
  return answered;
}

test('1,000 unique 900 KB documents, each registered as a persisted query, leave the gateway answering within its heap', async () => {
  const filler = 'x'.repeat(900_000);
  // A comment keeps the document valid (so every cache takes it) and unique, and its text is all
  // source: the AST is tiny, which is what made JSON sizing miss it. `_service` has a resolver, so
  // its compiled form keeps the field's node, and through its location the whole document.
  const documentText = (index: number): string => `# ${index} ${filler}\n{ _service { __typename } }`;
  const count = 1000;
  const probe = stallProbe(gateway.graphqlUrl);
  let answered: number;
  let report: ProbeReport;
  try {
    answered = await answeredOf(count, (index) => {
      const query = documentText(index);
      return { query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } };
    });
  } finally {
    report = await probe.stop();
  }
  expect(answered).toBe(count);
  expect(gateway.process.child.exitCode).toBeNull();
  // Without a heap limit the same traffic used to leave about 1 GB resident.
  expect(await residentBytes(gateway.process.child.pid ?? 0)).toBeLessThan((HEAP_LIMIT_MB + 200) * MiB);
  expect(report.failed).toBe(0);
  expect(report.slowestMs).toBeLessThan(1000);

  // The caches still work: the newest document is served by its hash alone, the oldest was evicted.
  const newest = documentText(count - 1);
  expect(await send({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(newest) } } }, count)).toMatchObject({
    data: { _service: { __typename: '_Service' } },
  });
  expect(codesOf(await send({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(documentText(0)) } } }, count + 1))).toEqual([
    'PERSISTED_QUERY_NOT_FOUND',
  ]);
});

test('documents of many short tokens are sized by their tokens, not by their 50 KB of text', async () => {
  // `...F ` is five characters of text and about 500 bytes of heap once parsed (two tokens, a
  // node, two locations): 10,000 of them are 50 KB of text and about 5 MB of heap.
  const spreads = '...F '.repeat(10_000);
  const count = 60;
  const answered = await answeredOf(count, (index) => ({
    query: `query Q${index} { ${spreads} } fragment F on Query { _service { __typename } }`,
  }));
  expect(answered).toBe(count);
  expect(gateway.process.child.exitCode).toBeNull();
});
