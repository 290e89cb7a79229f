// Serves a Hono app on Node and reports the URL it listens on.
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';

/** A listening web server. */
export interface WebServer {
  url: string;
  close(): Promise<void>;
}

/** Listens on host:port (port 0 picks a free one). */
export function serveWeb(app: Hono, host: string, port: number): Promise<WebServer> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(new Error(`cannot listen on ${host}:${port}: ${error.message}`));
    const server: ServerType = serve({ fetch: app.fetch, hostname: host, port }, (info) => {
      server.off('error', onError);
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`,
        close: () => new Promise<void>((done) => {
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          server.close(() => done());
        }),
      });
    });
    server.once('error', onError);
  });
}
