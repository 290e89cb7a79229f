// The REST face on node:http: reads the raw query and body (the signature covers those exact
// bytes), takes the source IP from the socket, runs the gateway, then applies what it decided —
// latency, a destroyed connection for a "lost" response, or Binance's JSON body and headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimGateway } from '../../core/sim/gateway.ts';

/** The request's source IP as the server sees it (IPv4-mapped IPv6 shortened to IPv4). */
export function sourceIp(req: IncomingMessage): string {
  const raw = req.socket.remoteAddress ?? 'unknown';
  return raw.startsWith('::ffff:') ? raw.slice(7) : raw;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A request handler serving the gateway; `timers` lets the server cancel pending latency on close. */
export function restHandler(gateway: SimGateway, timers: Set<NodeJS.Timeout>): (req: IncomingMessage, res: ServerResponse) => void {
  const wait = (ms: number) => new Promise<void>((resolve) => {
    const t = setTimeout(() => {
      timers.delete(t);
      resolve();
    }, ms);
    timers.add(t);
  });
  return (req, res) => {
    void (async () => {
      try {
        const url = req.url ?? '/';
        const q = url.indexOf('?');
        const body = await readBody(req);
        const apiKey = req.headers['x-mbx-apikey'];
        const result = await gateway.handle({
          method: (req.method ?? 'GET').toUpperCase(), path: q < 0 ? url : url.slice(0, q), query: q < 0 ? '' : url.slice(q + 1),
          body, apiKey: Array.isArray(apiKey) ? apiKey[0] : apiKey, ip: sourceIp(req),
        });
        if (result.latencyMs > 0) await wait(result.latencyMs);
        if (result.drop) {
          req.socket.destroy();
          return;
        }
        const text = JSON.stringify(result.body);
        res.writeHead(result.status, { ...result.headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
      } catch (error) {
        if (res.headersSent) return;
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ code: -1000, msg: `An unknown error occurred while processing the request. ${(error as Error).message}` }));
      }
    })();
  };
}
