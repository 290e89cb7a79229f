// A private redis-server on a spare loopback port that a test may kill and restart.
import { Redis } from 'ioredis';
import { ownedProcess, type PrivateServer } from './owned-process.ts';

/** A redis-server the test owns. */
export interface PrivateRedis extends PrivateServer {
  url: string;
}

async function pings(url: string): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/** Starts redis-server on `port` (no persistence), and lets the test kill and restart it. */
export async function privateRedis(port: number): Promise<PrivateRedis> {
  const url = `redis://127.0.0.1:${port}`;
  const server = ownedProcess('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], () => pings(url), 10_000);
  await server.start();
  return { url, ...server, stop: server.kill };
}
