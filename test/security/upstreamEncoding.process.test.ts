import zlib from 'node:zlib';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS } from '../../src/simulator/demoData';
import { encoded } from '../../src/simulator/faults';
import { codesOf, cpuUntilIdle, post, withStallProbe } from '../support/attack';
import { type FaultUpstream, upstreamCollection } from '../support/faultUpstream';
import { type ProductionFaultStack, startProductionFaultStack } from '../support/faultStack';
import type { GatewayProcess } from '../support/gatewayProcess';

/*
 * Compressed answers from a hostile upstream. The gateway asks for gzip or deflate; node-fetch
 * decoded brotli all the same, and its size cap stopped reading without stopping the decoder: a
 * small bomb kept a core busy for seconds after the client had its UPSTREAM_ERROR (3 to 4 CPU
 * seconds on a 2-core machine for the 512 MiB, roughly 450-byte brotli bomb below). Now a coding that was
 * not asked for is refused unread, and decoding stops the moment the decoded body passes the cap.
 */

jest.setTimeout(60_000);

const MiB = 1024 * 1024;
const TOKEN = `Bearer ${DEMO_TOKENS.admin}`;
const ORG = { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID };
const LIST = `query($instanceId: ID!, $orgId: ID!) { orgInvites(instanceId: $instanceId, orgId: $orgId) { count items { email } } }`;

/** A valid collection followed by whitespace (still valid JSON) up to `decodedBytes`, in one 1 MiB gzip member each. */
function gzipBomb(decodedBytes: number): Buffer {
  const spaces = zlib.gzipSync(Buffer.alloc(MiB, 0x20), { level: 9 });
  const members = [zlib.gzipSync(JSON.stringify(upstreamCollection()))];
  for (let size = 0; size < decodedBytes; size += MiB) members.push(spaces);
  return Buffer.concat(members);
}

/** A valid collection followed by `decodedBytes` of whitespace, brotli-compressed (a few hundred bytes). */
function brotliBomb(decodedBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const compressor = zlib.createBrotliCompress({
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_LGWIN]: 24 },
    });
    const out: Buffer[] = [];
    compressor.on('data', (chunk: Buffer) => out.push(chunk));
    compressor.on('end', () => resolve(Buffer.concat(out)));
    compressor.on('error', reject);
    compressor.write(JSON.stringify(upstreamCollection()));
    const spaces = Buffer.alloc(MiB, 0x20);
    let written = 0;
    const pump = (): void => {
      while (written < decodedBytes) {
        written += spaces.length;
        if (!compressor.write(spaces)) {
          compressor.once('drain', pump);
          return;
        }
      }
      compressor.end();
    };
    pump();
  });
}

let stack: ProductionFaultStack | undefined;
let upstream: FaultUpstream;
let gateway: GatewayProcess;
beforeAll(async () => {
  stack = await startProductionFaultStack({ UPSTREAM_MAX_ATTEMPTS: '1' });
  ({ upstream, gateway } = stack);
}, 30_000);
afterAll(() => stack?.close());
afterEach(() => upstream.reset());

function list(): ReturnType<typeof post> {
  return post(`${gateway.url}/graphql`, { query: LIST, variables: ORG }, { authorization: TOKEN });
}

/** Runs the attack while a second caller asks `{ __typename }`, and checks an ordinary read still answers afterwards. */
async function underProbe<T>(attack: () => Promise<T>): Promise<T> {
  const result = await withStallProbe(`${gateway.url}/graphql`, 1000, attack);
  const healthy = await list();
  expect(healthy.json).toEqual({
    data: { orgInvites: { count: 2, items: [{ email: 'ada@example.com' }, { email: 'grace@example.com' }] } },
  });
  return result;
}

test('asks for gzip and deflate, and reads an answer in either', async () => {
  const body = Buffer.from(JSON.stringify(upstreamCollection()));
  upstream.enqueue(encoded('gzip', zlib.gzipSync(body)), encoded('deflate', zlib.deflateSync(body)));
  for (let i = 0; i < 2; i++) {
    const response = await list();
    expect(response.json).toMatchObject({ data: { orgInvites: { count: 2 } } });
  }
  expect(upstream.requests.map((request) => request.headers['accept-encoding'])).toEqual(['gzip, deflate', 'gzip, deflate']);
});

test('a brotli answer to a request for gzip or deflate: UPSTREAM_ERROR, and no CPU spent on it after the answer', async () => {
  const bomb = await brotliBomb(512 * MiB);
  upstream.enqueue(encoded('br', bomb));
  const response = await underProbe(async () => {
    const answered = await list();
    // Measured from the moment the client has its answer until the process is idle again.
    const cpuAfter = await cpuUntilIdle(gateway.child.pid ?? 0);
    expect(cpuAfter).toBeLessThan(0.5);
    return answered;
  });
  expect(codesOf(response.json)).toEqual(['UPSTREAM_ERROR']);
  expect(response.text).toContain('content encoding the gateway did not ask for');
  // Not retried: the same upstream would only send the same bomb.
  expect(upstream.requests.filter((request) => request.fault === 'encoded')).toHaveLength(1);
});

test('a small brotli answer that would decode to a valid list is refused all the same', async () => {
  upstream.enqueue(encoded('br', zlib.brotliCompressSync(JSON.stringify(upstreamCollection()))));
  const response = await list();
  expect(codesOf(response.json)).toEqual(['UPSTREAM_ERROR']);
});

test('a gzip bomb: refused at the size cap, quickly, and no decoding goes on after the answer', async () => {
  const bomb = gzipBomb(1024 * MiB);
  upstream.enqueue(encoded('gzip', bomb));
  await underProbe(async () => {
    const started = performance.now();
    const response = await list();
    const elapsedMs = performance.now() - started;
    const cpuAfter = await cpuUntilIdle(gateway.child.pid ?? 0);
    expect(codesOf(response.json)).toEqual(['UPSTREAM_ERROR']);
    expect(response.text).toContain('larger than the gateway reads');
    expect(elapsedMs).toBeLessThan(2000);
    expect(cpuAfter).toBeLessThan(0.5);
  });
});

test('an answer that does not decode as its Content-Encoding says: UPSTREAM_ERROR', async () => {
  upstream.enqueue(encoded('gzip', Buffer.from('not gzip at all')));
  const response = await list();
  expect(codesOf(response.json)).toEqual(['UPSTREAM_ERROR']);
  expect(response.text).toContain('does not decode');
});
