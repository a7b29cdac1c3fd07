import http from 'node:http';
import { listen } from '../http/listen';
import { closeNow, OpenSockets } from '../http/openSockets';
import { sendJson } from '../http/sendJson';
import { sendMetrics } from '../http/sendMetrics';

/**
 * `/metrics` on a port of its own (`METRICS_PORT`), so a scraper inside the cluster reaches it
 * while the port that the balancer or ingress exposes carries only the API and the probes.
 */
export class MetricsServer {
  private readonly server: http.Server;
  private readonly sockets: OpenSockets;

  constructor(
    metrics: () => Promise<string>,
    private readonly port: number,
    private readonly host: string,
  ) {
    this.server = http.createServer((req, res) => {
      if ((req.url ?? '/').split('?')[0] !== '/metrics') return sendJson(res, 404, { error: 'Only /metrics is served on this port' });
      void sendMetrics(res, metrics);
    });
    this.sockets = new OpenSockets(this.server);
  }

  async listen(): Promise<void> {
    await listen(this.server, this.port, this.host);
  }

  /** A scrape in progress is not worth waiting for at shutdown: the next replica's will do. */
  close(): Promise<void> {
    return closeNow(this.server, this.sockets);
  }
}
