import http from 'node:http';
import { baseUrl, listen } from '../../src/http/listen';
import { stopListening } from '../../src/http/openSockets';

describe('listen', () => {
  test('resolves with the bound address, and the server answers there', async () => {
    const server = http.createServer((_req, res) => res.end('here'));
    try {
      const address = await listen(server, 0, '127.0.0.1');
      expect(address).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
      expect(address.port).toBeGreaterThan(0);
      expect(await (await fetch(baseUrl(address))).text()).toBe('here');
    } finally {
      await stopListening(server);
    }
  });

  test('rejects with the listen error when the port is taken, and leaves no error listener behind', async () => {
    const first = http.createServer();
    const second = http.createServer();
    try {
      const { port } = await listen(first, 0, '127.0.0.1');
      const errorListeners = second.listenerCount('error');
      await expect(listen(second, port, '127.0.0.1')).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect(second.listening).toBe(false);
      expect(second.listenerCount('error')).toBe(errorListeners);
    } finally {
      await stopListening(first);
    }
  });

  test('a successful listen removes its error listener', async () => {
    const server = http.createServer();
    const before = server.listenerCount('error');
    try {
      await listen(server, 0, '127.0.0.1');
      expect(server.listenerCount('error')).toBe(before);
    } finally {
      await stopListening(server);
    }
  });
});

describe('baseUrl', () => {
  test.each([
    [{ address: '127.0.0.1', family: 'IPv4', port: 4000 }, undefined, 'http://127.0.0.1:4000'],
    [{ address: '::1', family: 'IPv6', port: 4000 }, undefined, 'http://[::1]:4000'],
    [{ address: '0.0.0.0', family: 'IPv4', port: 80 }, undefined, 'http://0.0.0.0:80'],
    [{ address: '::', family: 'IPv6', port: 80 }, undefined, 'http://[::]:80'],
    [{ address: '0.0.0.0', family: 'IPv4', port: 80 }, 'localhost', 'http://localhost:80'],
    [{ address: '::', family: 'IPv6', port: 80 }, 'localhost', 'http://localhost:80'],
    [{ address: '10.1.2.3', family: 'IPv4', port: 8080 }, 'localhost', 'http://10.1.2.3:8080'],
    [{ address: 'fe80::1', family: 'IPv6', port: 8080 }, 'localhost', 'http://[fe80::1]:8080'],
  ])('%j with wildcard host %s is %s', (address, wildcardHost, expected) => {
    expect(baseUrl(address, wildcardHost)).toBe(expected);
  });
});
