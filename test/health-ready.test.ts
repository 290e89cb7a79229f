// /health/ready of a worker means something: with its Redis killed it answers 503 naming redis
// within 5 s, and 200 again once Redis is back. /health/live answers throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../edge/cli/main.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';
import { privateRedis, type PrivateRedis } from './support/private-redis.ts';
import { sparePort } from './support/spare-port.ts';

interface Ready {
  ok: boolean;
  failing: string[];
  checks: Record<string, { ok: boolean; detail?: string }>;
}

describe('/health/ready', () => {
  let db: TestDatabase;
  let redis: PrivateRedis;
  beforeAll(async () => {
    [db, redis] = await Promise.all([freshDatabase(), sparePort().then(privateRedis)]);
  });
  afterAll(async () => {
    await redis.kill();
    await db.drop();
  });

  it('a worker names Redis within 5 s of losing it, and is ready again when it returns', async () => {
    const out: string[] = [];
    const stop = new AbortController();
    const env = { DATABASE_URL: db.url, REDIS_URL: redis.url, KRAITE_TOPOLOGY: 'infra/topology.local.json', KRAITE_PORT: '0', KRAITE_METRICS_PORT: '0', KRAITE_METRICS_HOST: '127.0.0.1', LOG_LEVEL: 'error', LOG_FORMAT: 'json', KRAITE_SHUTDOWN_DEADLINE_MS: '2000' };
    const running = main(['run', '--box', 'eos'], { out: (l) => out.push(l), err: (l) => out.push(l), env, signal: stop.signal });
    try {
      await expect.poll(() => out.join('\n'), { timeout: 20_000 }).toMatch(/ready: http:\/\/127\.0\.0\.1:\d+\/health\/ready/);
      const base = /ready: (http:\/\/127\.0\.0\.1:\d+)\/health\/ready/.exec(out.join('\n'))![1]!;
      const ready = async () => {
        const res = await fetch(`${base}/health/ready`);
        return { status: res.status, body: (await res.json()) as Ready };
      };
      await expect.poll(async () => (await ready()).status, { timeout: 10_000 }).toBe(200);
      expect((await ready()).body).toMatchObject({ ok: true, failing: [], checks: { database: { ok: true }, redis: { ok: true } } });

      await redis.kill();
      const killedAt = performance.now();
      await expect.poll(async () => (await ready()).status, { timeout: 5_000, interval: 200 }).toBe(503);
      expect(performance.now() - killedAt).toBeLessThan(5_000);
      const down = (await ready()).body;
      expect(down).toMatchObject({ ok: false, failing: ['redis'], checks: { database: { ok: true }, redis: { ok: false } } });
      expect(down.checks.redis!.detail).toBeTruthy();
      expect((await fetch(`${base}/health/live`)).status).toBe(200);

      await redis.start();
      await expect.poll(async () => (await ready()).status, { timeout: 15_000, interval: 250 }).toBe(200);
    } finally {
      stop.abort();
      await running;
    }
  }, 90_000);
});
