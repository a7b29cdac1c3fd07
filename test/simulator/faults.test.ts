import { Fault, FaultQueue, closeEarly, delay, huge, slowBody, status } from '../../src/simulator/faults';
import { SimulatorServer } from '../../src/simulator/SimulatorServer';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS } from '../../src/simulator/demoData';
import { expectCollection, expectError, invitesPath, list, post } from './helpers';

// fetch's errors come from Node's realm, not jest's sandbox, so they are matched by name and message, not class.

describe('FaultQueue', () => {
  const unavailable: Fault = { kind: 'status', status: 503 };
  const reset: Fault = { kind: 'reset' };

  test('an empty queue yields nothing', () => {
    expect(new FaultQueue().take('GET')).toBeUndefined();
  });

  test('a fault is taken once by default', () => {
    const queue = new FaultQueue();
    queue.inject(unavailable);
    expect(queue.take('POST')).toBe(unavailable);
    expect(queue.take('POST')).toBeUndefined();
  });

  test('times queues the fault that many times; 0 queues nothing', () => {
    const queue = new FaultQueue();
    queue.inject(unavailable, { times: 0 });
    expect(queue.take('GET')).toBeUndefined();
    queue.inject(unavailable, { times: 3 });
    expect([queue.take('GET'), queue.take('GET'), queue.take('GET'), queue.take('GET')]).toEqual([
      unavailable,
      unavailable,
      unavailable,
      undefined,
    ]);
  });

  test('faults come out in the order they went in', () => {
    const queue = new FaultQueue();
    queue.inject(unavailable);
    queue.inject(reset);
    expect([queue.take('GET'), queue.take('GET')]).toEqual([unavailable, reset]);
  });

  test('a method-bound fault is skipped by other methods without losing its place', () => {
    const queue = new FaultQueue();
    queue.inject(reset, { method: 'POST' });
    queue.inject(unavailable);
    expect(queue.take('GET')).toBe(unavailable);
    expect(queue.take('GET')).toBeUndefined();
    expect(queue.take('POST')).toBe(reset);
  });

  test('clear drops every queued fault', () => {
    const queue = new FaultQueue();
    queue.inject(unavailable, { times: 2 });
    queue.inject(reset, { method: 'POST' });
    queue.clear();
    expect([queue.take('GET'), queue.take('POST')]).toEqual([undefined, undefined]);
  });
});

describe('faults over HTTP', () => {
  let sim: SimulatorServer;
  let url: string;
  beforeAll(async () => {
    sim = new SimulatorServer();
    url = await sim.listen(0, '127.0.0.1');
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.faults.clear();
    sim.requests.length = 0;
  });

  test('status: the given status, JSON body and headers, instead of the real answer', async () => {
    sim.faults.inject({
      kind: 'status',
      status: 429,
      body: { type: 'RateLimited', message: 'slow down' },
      headers: { 'retry-after': '7' },
    });
    const response = await list(url);
    const error = expectError(response, 429, 'RateLimited');
    expect(error.message).toBe('slow down');
    expect(response.headers.get('retry-after')).toBe('7');
    expectCollection(await list(url));
  });

  test('status without a body answers a default error body', async () => {
    sim.faults.inject({ kind: 'status', status: 503 });
    expect(expectError(await post(url, { email: 'x@example.com', role: 'view' }), 503, 'Injected').message).toContain('503');
    // The faulted POST never reached the store.
    expect(expectCollection(await list(url)).count).toBe(7);
  });

  test('a fault answers before authentication', async () => {
    sim.faults.inject({ kind: 'status', status: 500 });
    expectError(await list(url, undefined, { token: null }), 500, 'Injected');
  });

  test('raw: an HTML error page', async () => {
    const html = '<html><body><h1>502 Bad Gateway</h1></body></html>';
    sim.faults.inject({ kind: 'raw', status: 502, contentType: 'text/html', body: html });
    const response = await list(url);
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(response.text).toBe(html);
  });

  test('raw: malformed JSON with a JSON content type and status 200', async () => {
    sim.faults.inject({ kind: 'raw', status: 200, contentType: 'application/json', body: '{"items": [' });
    const response = await fetch(`${url}${invitesPath()}`, { headers: { authorization: `Bearer ${DEMO_TOKENS.admin}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    await expect(response.json()).rejects.toMatchObject({ name: 'SyntaxError' });
  });

  test('reset: the connection drops without an answer, and the next request is served', async () => {
    sim.faults.inject({ kind: 'reset' });
    await expect(list(url)).rejects.toThrow('fetch failed');
    expectCollection(await list(url));
    expect(sim.callsTo('GET')).toHaveLength(2);
  });

  test('hang: no answer until the caller gives up', async () => {
    sim.faults.inject({ kind: 'hang' });
    const started = Date.now();
    await expect(list(url, undefined, { signal: AbortSignal.timeout(300) })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(sim.callsTo('GET')).toHaveLength(1);
    expectCollection(await list(url));
  });

  test('delay: the real answer, later', async () => {
    sim.faults.inject({ kind: 'delay', ms: 250 });
    const started = Date.now();
    const collection = expectCollection(await list(url, { sortField: 'email', sortDirection: 'asc' }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(230);
    expect(collection.items[0].email).toBe('ada@example.com');

    const quick = Date.now();
    expectCollection(await list(url));
    expect(Date.now() - quick).toBeLessThan(200);
  });

  test('delay still runs validation and auth afterwards', async () => {
    sim.faults.inject({ kind: 'delay', ms: 50 }, { times: 2 });
    expectError(await list(url, undefined, { token: null }), 401, 'Unauthorized');
    expectError(await list(url, { sortField: 'nope' }), 400, 'Validation');
  });

  test('method: only requests with that method take the fault', async () => {
    sim.faults.inject({ kind: 'status', status: 503 }, { method: 'POST' });
    expect(expectCollection(await list(url)).count).toBe(7);
    expect(expectCollection(await list(url)).count).toBe(7);
    expectError(await post(url, { email: 'm1@example.com', role: 'view' }), 503, 'Injected');
    expectCollection(await post(url, { email: 'm1@example.com', role: 'view' }), 201);
  });

  test('times: the next n matching requests fail, then service resumes', async () => {
    sim.faults.inject({ kind: 'status', status: 502 }, { times: 2, method: 'GET' });
    expectError(await list(url), 502, 'Injected');
    expectError(await list(url), 502, 'Injected');
    expectCollection(await list(url));
  });

  test('queued faults apply in order', async () => {
    sim.faults.inject({ kind: 'status', status: 500 });
    sim.faults.inject({ kind: 'raw', status: 504, contentType: 'text/plain', body: 'timeout' });
    expectError(await list(url), 500, 'Injected');
    const second = await list(url);
    expect([second.status, second.text]).toEqual([504, 'timeout']);
    expectCollection(await list(url));
  });

  test('delay then another fault: the pause, then that fault instead of the real answer', async () => {
    sim.faults.inject(delay(200, status(503)));
    const started = Date.now();
    expectError(await list(url), 503, 'Injected');
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
  });

  test('slowBody: the real answer (its status too), trickled in parts', async () => {
    sim.faults.inject(slowBody(3, 100), { method: 'POST' });
    const started = Date.now();
    const created = await post(url, { email: 'slow@example.com', role: 'view' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    expect(created.status).toBe(201);
    expect(created.text.includes('slow@example.com')).toBe(true);
    expect(sim.store.invites(DEMO_INSTANCE_ID, DEMO_ORG_ID)?.some((invite) => invite.email === 'slow@example.com')).toBe(true);
  });

  test('huge: a 200 JSON body of exactly the given size', async () => {
    sim.faults.inject(huge(200_000));
    const response = await list(url);
    expect(response.status).toBe(200);
    expect(response.text).toHaveLength(200_000);
    expect(JSON.parse(response.text)).toMatchObject({ items: [], count: 0 });
  });

  test('closeEarly: the connection ends before the promised body, and the next request is served', async () => {
    sim.faults.inject(closeEarly);
    await expect(list(url)).rejects.toMatchObject({ name: 'TypeError' });
    expectCollection(await list(url));
  });

  test('faulted requests are still recorded', async () => {
    sim.faults.inject({ kind: 'status', status: 500 });
    sim.faults.inject({ kind: 'reset' });
    await list(url, { sortField: 'role' });
    await expect(post(url, { email: 'rec@example.com', role: 'view' })).rejects.toThrow('fetch failed');
    expect(sim.requests.map((r) => [r.method, r.query, r.body])).toEqual([
      ['GET', { sortField: 'role' }, undefined],
      ['POST', {}, { email: 'rec@example.com', role: 'view' }],
    ]);
  });
});

test('close() ends a connection held by a hang fault', async () => {
  const sim = new SimulatorServer();
  const url = await sim.listen(0, '127.0.0.1');
  sim.faults.inject({ kind: 'hang' });
  const pending = list(url);
  // Let the request reach the simulator before closing.
  while (sim.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  const started = Date.now();
  await sim.close();
  expect(Date.now() - started).toBeLessThan(500);
  await expect(pending).rejects.toThrow('fetch failed');
});

test('close() cancels a pending delay: the delayed request is never answered nor acted on', async () => {
  const sim = new SimulatorServer();
  const url = await sim.listen(0, '127.0.0.1');
  sim.faults.inject(delay(300), { method: 'POST' });
  const pending = post(url, { email: 'late@example.com', role: 'view' });
  while (sim.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await sim.close();
  await expect(pending).rejects.toThrow('fetch failed');
  await new Promise((resolve) => setTimeout(resolve, 400));
  expect(sim.store.invites(DEMO_INSTANCE_ID, DEMO_ORG_ID)?.some((invite) => invite.email === 'late@example.com')).toBe(false);
});
