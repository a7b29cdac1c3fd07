import type { ServerResponse } from 'node:http';
import { sendJson } from './sendJson';

/**
 * Answers a scrape with the Prometheus exposition text from `metrics`, or 500 when it could not be
 * collected; on the API's port and on `METRICS_PORT` alike.
 */
export async function sendMetrics(res: ServerResponse, metrics: () => Promise<string>): Promise<void> {
  let text: string;
  try {
    text = await metrics();
  } catch {
    return sendJson(res, 500, { error: 'metrics could not be collected' });
  }
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  res.end(text);
}
