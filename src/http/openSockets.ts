import type { Server, Socket } from 'node:net';

/**
 * The connections a server holds open. `server.close()` only stops new ones and waits for the
 * rest, so a stop that must not wait (a hung request, a keep-alive client) destroys them itself.
 */
export class OpenSockets {
  private readonly sockets = new Set<Socket>();

  constructor(server: Server) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get size(): number {
    return this.sockets.size;
  }

  /** Destroys every open connection; the server keeps listening. */
  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}

/** Stops accepting connections; resolves once the last open one has closed. */
export function stopListening(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Stops listening and destroys every open connection at once, answering or not. */
export async function closeNow(server: Server, sockets: OpenSockets): Promise<void> {
  const closed = stopListening(server);
  sockets.destroyAll();
  await closed;
}
