// A private redis-server on a spare loopback port that a test may kill and restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { waitUntil } from './wait-until.ts';

/** A redis-server the test owns. */
export interface PrivateRedis {
  url: string;
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
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
  let child: ChildProcess | null = null;
  const url = `redis://127.0.0.1:${port}`;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitUntil(() => pings(url), 10_000, `redis-server on ${port}`);
  };
  const kill = async () => {
    const c = child;
    if (!c) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
    child = null;
  };
  await start();
  return { url, start, kill, stop: kill };
}
