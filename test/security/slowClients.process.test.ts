import { readdir } from 'node:fs/promises';
import net from 'node:net';
import { DEMO_TOKENS } from '../../src/simulator/demoData';
import { DEMO_ORG } from '../support/operations';
import { post, ProductionGateway, residentBytes, stallProbe, startProductionGateway } from '../support/attack';

/**
 * Clients that send a request slowly, or not at all, must not hold the gateway's sockets: Node's
 * defaults let a body sent a byte at a time keep its connection for 300 s, and nothing capped how
 * many connections could be held that way.
 */

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface RawConnection {
  readonly socket: net.Socket;
  /** Everything the gateway sent so far. */
  received(): string;
  /** Resolves with the milliseconds from connecting to the socket's close. */
  readonly closed: Promise<number>;
  isClosed(): boolean;
}

const opened: RawConnection[] = [];
// A failed expectation must not leave sockets dripping bytes after its test.
afterEach(() => {
  for (const connection of opened.splice(0)) connection.socket.destroy();
});

/** A plain TCP connection to the gateway, so a test can send a request at any pace it likes. */
function connect(url: string): RawConnection {
  const { hostname, port } = new URL(url);
  const started = performance.now();
  const socket = net.connect(Number(port), hostname);
  let received = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  // A refused connection may end in a reset; only the close matters here.
  socket.on('error', () => undefined);
  const closedAt = new Promise<number>((resolve) =>
    socket.once('close', () => {
      closed = true;
      resolve(performance.now() - started);
    }),
  );
  const connection = { socket, received: () => received, closed: closedAt, isClosed: () => closed };
  opened.push(connection);
  return connection;
}

/** Writes `text` one byte every `intervalMs` until the socket closes or the text runs out. */
function drip(connection: RawConnection, text: string, intervalMs = 100): void {
  let next = 0;
  const timer = setInterval(() => {
    if (connection.isClosed() || next >= text.length) return clearInterval(timer);
    connection.socket.write(text[next++]);
  }, intervalMs);
  void connection.closed.then(() => clearInterval(timer));
}

/** The socket's close time, or `undefined` when it is still open after `ms`. */
async function closedWithin(connection: RawConnection, ms: number): Promise<number | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([connection.closed, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

async function openDescriptors(pid: number): Promise<number> {
  return (await readdir(`/proc/${pid}/fd`)).length;
}

function postHead(contentLength: number): string {
  return `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\n\r\n`;
}

const TYPENAME = JSON.stringify({ query: '{ __typename }' });

describe('slow clients are cut off', () => {
  // Far enough apart to tell which of the two cut a connection.
  const HEADERS_TIMEOUT_MS = 1_000;
  const REQUEST_TIMEOUT_MS = 3_000;
  const KEEP_ALIVE_TIMEOUT_MS = 1_000;
  let gateway: ProductionGateway;
  beforeAll(async () => {
    gateway = await startProductionGateway({
      HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
    });
  });
  afterAll(() => gateway?.close());

  // Node's defaults would keep each of these sockets for 60 s to 300 s; a few seconds is generous
  // for the configured timeout plus the interval the timeouts are checked on.
  const CUT_WITHIN_MS = 6_000;

  test('a body sent a byte at a time gets a 408 and a closed socket soon after REQUEST_TIMEOUT_MS', async () => {
    const connection = connect(gateway.graphqlUrl);
    // A body far longer than the test lasts at this pace: it could only end by being cut.
    const body = JSON.stringify({ query: '{ __typename }', padding: ' '.repeat(1_000) });
    connection.socket.write(postHead(body.length));
    drip(connection, body);
    const closedAfter = await closedWithin(connection, CUT_WITHIN_MS);
    expect(closedAfter).toBeDefined();
    // The headers were in at once: it is the whole-request timeout that cut it.
    expect(closedAfter).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS * 0.9);
    expect(connection.received()).toMatch(/^HTTP\/1\.1 408 /);
    // The gateway's own request handler saw the body abort and did not crash.
    expect((await post(gateway.graphqlUrl, { query: '{ __typename }' })).status).toBe(200);
  });

  test('headers sent a byte at a time (slowloris) get a 408 and a closed socket soon after HEADERS_TIMEOUT_MS', async () => {
    const connection = connect(gateway.graphqlUrl);
    drip(connection, `${postHead(TYPENAME.length)}${TYPENAME}`);
    const closedAfter = await closedWithin(connection, CUT_WITHIN_MS);
    expect(closedAfter).toBeDefined();
    expect(closedAfter).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS * 0.9);
    expect(closedAfter).toBeLessThan(REQUEST_TIMEOUT_MS);
    expect(connection.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  test('a connection that never sends a byte is closed after HEADERS_TIMEOUT_MS', async () => {
    const connection = connect(gateway.graphqlUrl);
    const closedAfter = await closedWithin(connection, CUT_WITHIN_MS);
    expect(closedAfter).toBeDefined();
    expect(closedAfter).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS * 0.9);
    expect(closedAfter).toBeLessThan(REQUEST_TIMEOUT_MS);
  });

  test('an idle keep-alive connection is closed after KEEP_ALIVE_TIMEOUT_MS', async () => {
    const connection = connect(gateway.graphqlUrl);
    connection.socket.write(`${postHead(TYPENAME.length)}${TYPENAME}`);
    while (!connection.received().includes('__typename')) await sleep(10);
    const answeredAfter = performance.now();
    // Node keeps the socket a second past the advertised keep-alive time, so that a client about to reuse it is not cut.
    expect(await closedWithin(connection, KEEP_ALIVE_TIMEOUT_MS + 2_000)).toBeDefined();
    expect(connection.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(performance.now() - answeredAfter).toBeGreaterThanOrEqual(KEEP_ALIVE_TIMEOUT_MS * 0.9);
  });

  test('a body that arrives in pieces within REQUEST_TIMEOUT_MS is answered', async () => {
    const connection = connect(gateway.graphqlUrl);
    connection.socket.write(postHead(TYPENAME.length));
    const pieces = TYPENAME.match(/.{1,8}/g) ?? [];
    for (const piece of pieces) {
      await sleep(REQUEST_TIMEOUT_MS / 2 / pieces.length);
      connection.socket.write(piece);
    }
    while (!connection.received().includes('\r\n\r\n{') && !connection.isClosed()) await sleep(10);
    expect(connection.received()).toMatch(/^HTTP\/1\.1 200 /);
  });

  test('an operation that runs longer than REQUEST_TIMEOUT_MS is not cut: the timeout ends when the body is in', async () => {
    gateway.simulator.faults.inject({ kind: 'delay', ms: REQUEST_TIMEOUT_MS + 1_000 });
    const started = performance.now();
    const response = await post(
      gateway.graphqlUrl,
      { query: `{ orgInvites(instanceId: "${DEMO_ORG.instanceId}", orgId: "${DEMO_ORG.orgId}") { count } }` },
      { authorization: `Bearer ${DEMO_TOKENS.admin}` },
    );
    expect(performance.now() - started).toBeGreaterThan(REQUEST_TIMEOUT_MS);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ data: { orgInvites: { count: 7 } } });
  });
});

describe('the connection cap', () => {
  const MAX_CONNECTIONS = 100;
  const FLOOD = 500;
  // Long enough that the admitted slow connections are all still open when the extras are counted.
  const HEADERS_TIMEOUT_MS = 4_000;
  let gateway: ProductionGateway;
  beforeAll(async () => {
    gateway = await startProductionGateway({
      MAX_CONNECTIONS: String(MAX_CONNECTIONS),
      HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      REQUEST_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    });
  });
  afterAll(() => gateway?.close());

  test(`${FLOOD} slow connections against MAX_CONNECTIONS=${MAX_CONNECTIONS}: the extras are closed at once, descriptors stay bounded, pooled traffic goes on`, async () => {
    const pid = gateway.process.child.pid as number;
    const probe = stallProbe(gateway.graphqlUrl, { pooled: true });
    const flood: RawConnection[] = [];
    try {
      await probe.ready;
      const baseline = await openDescriptors(pid);
      const rssBefore = await residentBytes(pid);

      for (let i = 0; i < FLOOD; i++) {
        const connection = connect(gateway.graphqlUrl);
        // The start of a request line, then nothing: held until HEADERS_TIMEOUT_MS unless refused.
        connection.socket.write('POST /graphql HTTP/1.1\r\n');
        flood.push(connection);
      }
      let peakDescriptors = 0;
      const floodStarted = performance.now();
      while (performance.now() - floodStarted < 1_500) {
        peakDescriptors = Math.max(peakDescriptors, await openDescriptors(pid));
        await sleep(50);
      }
      const refused = flood.filter((connection) => connection.isClosed());
      const held = flood.filter((connection) => !connection.isClosed());
      // The probe's connection is one of the admitted ones.
      expect(held.length).toBeLessThanOrEqual(MAX_CONNECTIONS - 1);
      expect(refused.length).toBeGreaterThanOrEqual(FLOOD - MAX_CONNECTIONS + 1);
      // Refused connections were closed before a byte was read: no HTTP answer.
      expect(refused.every((connection) => connection.received() === '')).toBe(true);
      expect(peakDescriptors).toBeLessThan(baseline + MAX_CONNECTIONS + 30);

      // While the cap is full, a new connection (a probe's, say) is closed at once too.
      await expect(post(`${gateway.process.url}/healthz`, '', {}, 5_000)).rejects.toThrow();

      // The admitted ones are cut by the headers timeout; then new connections are served again.
      const heldFor = await Promise.all(held.map((connection) => closedWithin(connection, HEADERS_TIMEOUT_MS + 5_000)));
      expect(heldFor.every((ms) => ms !== undefined)).toBe(true);
      expect(held.every((connection) => /^HTTP\/1\.1 408 /.test(connection.received()))).toBe(true);
      expect((await post(gateway.graphqlUrl, { query: '{ __typename }' })).status).toBe(200);
      // Every refusal was counted for operators, the /healthz attempt above included.
      const metrics = await (await fetch(`${gateway.process.url}/metrics`)).text();
      const counted = Number(/^http_connections_refused_total (\d+)$/m.exec(metrics)?.[1]);
      expect(counted).toBeGreaterThanOrEqual(refused.length + 1);

      const report = await probe.stop();
      // The pooled connection opened before the flood kept answering, and never had to reconnect.
      expect(report.failed).toBe(0);
      expect(report.sockets).toBe(1);
      expect(report.answered).toBeGreaterThan(10);
      expect(report.slowestMs).toBeLessThan(1_000);
      // Descriptors come back; resident memory stays within a generous bound of where it was.
      expect(await openDescriptors(pid)).toBeLessThan(baseline + 10);
      expect(await residentBytes(pid)).toBeLessThan(rssBefore + 100 * 1024 * 1024);
    } finally {
      await probe.stop();
    }
  });
});
