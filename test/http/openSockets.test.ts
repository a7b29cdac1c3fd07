import http from 'node:http';
import net from 'node:net';
import { baseUrl, listen } from '../../src/http/listen';
import { OpenSockets, closeNow, stopListening } from '../../src/http/openSockets';

/** A raw connection that sends one keep-alive request and stays open. */
async function keepAliveClient(port: number): Promise<{ socket: net.Socket; closed: Promise<void> }> {
  const socket = net.connect(port, '127.0.0.1');
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
  await new Promise<void>((resolve) => socket.once('data', () => resolve()));
  return { socket, closed };
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('OpenSockets', () => {
  test('counts connections as they open and close', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    const sockets = new OpenSockets(server);
    try {
      const { port } = await listen(server, 0, '127.0.0.1');
      expect(sockets.size).toBe(0);
      const a = await keepAliveClient(port);
      const b = await keepAliveClient(port);
      expect(sockets.size).toBe(2);
      a.socket.destroy();
      await a.closed;
      await until(() => sockets.size === 1);
      expect(sockets.size).toBe(1);
      b.socket.destroy();
    } finally {
      await closeNow(server, sockets);
    }
  });

  test('destroyAll cuts idle keep-alive connections and the server keeps listening', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    const sockets = new OpenSockets(server);
    try {
      const address = await listen(server, 0, '127.0.0.1');
      server.keepAliveTimeout = 60_000;
      const client = await keepAliveClient(address.port);
      const started = Date.now();
      sockets.destroyAll();
      await client.closed;
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(sockets.size).toBe(0);
      expect(await (await fetch(baseUrl(address))).text()).toBe('ok');
    } finally {
      await closeNow(server, sockets);
    }
  });
});

describe('closeNow', () => {
  test('returns at once although a request hangs and a keep-alive connection is open', async () => {
    const server = http.createServer((req, res) => {
      if (req.url === '/hang') return;
      res.end('ok');
    });
    const sockets = new OpenSockets(server);
    try {
      const address = await listen(server, 0, '127.0.0.1');
      const idle = await keepAliveClient(address.port);
      const hanging = fetch(`${baseUrl(address)}/hang`).catch((error: unknown) => error);
      await until(() => sockets.size === 2);
      expect(sockets.size).toBe(2);

      const started = Date.now();
      await closeNow(server, sockets);
      expect(Date.now() - started).toBeLessThan(1_000);
      await idle.closed;
      expect(await hanging).toMatchObject({ message: 'fetch failed' });
      expect(server.listening).toBe(false);
    } finally {
      // Only when an assertion failed first: a server left listening would keep jest waiting.
      if (server.listening) await closeNow(server, sockets);
    }
  });
});

describe('stopListening', () => {
  test('refuses new connections but waits for a request still being answered', async () => {
    let finish: (() => void) | undefined;
    const server = http.createServer((req, res) => {
      if (req.url === '/slow') finish = () => res.end('late');
      else res.end('ok');
    });
    const sockets = new OpenSockets(server);
    try {
      const address = await listen(server, 0, '127.0.0.1');
      const slow = fetch(`${baseUrl(address)}/slow`).then((response) => response.text());
      await until(() => finish !== undefined);
      let stopped = false;
      const stopping = stopListening(server).then(() => {
        stopped = true;
      });
      await expect(fetch(baseUrl(address))).rejects.toThrow('fetch failed');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(stopped).toBe(false);
      finish?.();
      expect(await slow).toBe('late');
      await stopping;
      expect(server.listening).toBe(false);
    } finally {
      sockets.destroyAll();
      if (server.listening) await closeNow(server, sockets);
    }
  });
});
