import http from 'node:http';
import { baseUrl, listen } from '../../src/http/listen';
import { OpenSockets, closeNow } from '../../src/http/openSockets';
import { sendJson } from '../../src/http/sendJson';

describe('sendJson', () => {
  let server: http.Server;
  let sockets: OpenSockets;
  let url: string;
  let answer: (res: http.ServerResponse) => void;

  beforeAll(async () => {
    server = http.createServer((_req, res) => answer(res));
    sockets = new OpenSockets(server);
    url = baseUrl(await listen(server, 0, '127.0.0.1'));
  });
  afterAll(() => closeNow(server, sockets));

  test('writes the status, the JSON body, its type and its byte length (not its character count)', async () => {
    answer = (res) => sendJson(res, 418, { name: 'Zoë', price: '€5' });
    const response = await fetch(url);
    expect(response.status).toBe(418);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ name: 'Zoë', price: '€5' });
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(text.length);
    expect(response.headers.get('transfer-encoding')).toBeNull();
  });

  test('adds extra headers, which win over its own', async () => {
    answer = (res) => sendJson(res, 429, { type: 'RateLimited' }, { 'retry-after': '7', 'content-type': 'application/problem+json' });
    const response = await fetch(url);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toEqual({ type: 'RateLimited' });
  });
});
