// quality.md's reliability row: MySQL restarted mid-run, Redis restarted mid-run. Twenty-seven positions
// open on private MariaDB and Redis servers while each is SIGKILLed and started again (Redis with no
// persistence, so every queued job is gone). The same trading worker process and the same dispatch
// daemon must carry on by themselves: no step lost, no duplicate order, every position ends
// `active` or `cancelled`, nothing left unprotected.
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { TERMINAL_STATES } from '../core/steps/step.ts';
import { toPosition } from '../core/trading/position.ts';
import type { Direction } from '../core/trading/statuses.ts';
import { privateMariaDb, type PrivateMariaDb } from './support/private-mariadb.ts';
import { privateRedis, type PrivateRedis } from './support/private-redis.ts';
import { sparePort } from './support/spare-port.ts';
import { crashWorld, kill, ordersByClientId, type CrashWorld } from './support/trading-crash.ts';

const DIRECTIONS: Record<string, Direction> = {
  ETHUSDT: 'LONG', '1000PEPEUSDT': 'SHORT', BNBUSDT: 'LONG', XRPUSDT: 'SHORT', DOGEUSDT: 'LONG',
  ADAUSDT: 'SHORT', LINKUSDT: 'LONG', AVAXUSDT: 'SHORT', LTCUSDT: 'LONG',
};

let mysql: PrivateMariaDb | null = null;
let redis: PrivateRedis | null = null;
let world: CrashWorld | null = null;
let worker: ChildProcess | null = null;
afterAll(async () => {
  if (worker) await kill(worker);
  await world?.close();
  await redis?.stop();
  await mysql?.stop();
});

describe('MariaDB and Redis restarted mid-run', () => {
  it('the worker and the daemon reconnect by themselves: no step lost, no duplicate order, every position active or cancelled', async () => {
    mysql = await privateMariaDb(await sparePort());
    redis = await privateRedis(await sparePort());
    const w = (world = await crashWorld({ accounts: 3, directions: DIRECTIONS, slots: 5, weightPerMinute: 1_000_000, mysqlRootUrl: mysql.rootUrl, redisUrl: redis.url }));
    worker = await w.startWorker();
    const placed = () => w.accounts.reduce((n, a) => n + ordersByClientId(w.sim, a.apiKey).size, 0);
    await w.engine.start([{ handler: 'trading.open-positions' }], { set: 'trading' });

    // 27 positions × 7 orders = 189 placements. MariaDB goes down a fifth of the way in, Redis
    // halfway; each is down for a second, with steps running and jobs queued.
    await expect.poll(placed, { timeout: 60_000, interval: 10 }).toBeGreaterThanOrEqual(35);
    const atMysqlKill = placed();
    await mysql.kill();
    await new Promise((r) => setTimeout(r, 1_000));
    await mysql.start();
    await expect.poll(placed, { timeout: 120_000, interval: 10 }).toBeGreaterThanOrEqual(95);
    const atRedisKill = placed();
    await redis.kill();
    await new Promise((r) => setTimeout(r, 1_000));
    await redis.start();

    await expect.poll(async () => {
      const positions = (await w.store.findRows('positions', {})).map(toPosition);
      return positions.length === 27 && positions.every((p) => p.status === 'active' || p.status === 'cancelled');
    }, { timeout: 180_000, interval: 250 }).toBe(true);
    await expect.poll(async () => {
      const steps = await w.store.listSteps('trading', { limit: 100_000 });
      return steps.filter((s) => !TERMINAL_STATES.has(s.state)).length;
    }, { timeout: 30_000, interval: 250 }).toBe(0);

    // Both outages hit work in progress, and the same worker process did all of it.
    expect(atMysqlKill).toBeLessThan(95);
    expect(atRedisKill).toBeLessThan(160);
    expect(worker.exitCode).toBeNull();
    expect(worker.signalCode).toBeNull();
    for (const account of w.accounts) {
      const duplicated = [...ordersByClientId(w.sim, account.apiKey).entries()].filter(([, n]) => n > 1);
      expect(duplicated).toEqual([]);
    }
    const failed = (await w.store.listSteps('trading', { state: ['failed'], limit: 1000 })).map((s) => `${s.handler}: ${s.errorMessage}`);
    const positions = (await w.store.findRows('positions', {})).map(toPosition);
    expect(positions.filter((p) => p.status === 'active').length, failed.join('\n')).toBeGreaterThanOrEqual(22);
    const byId = new Map(w.accounts.map((a) => [a.id, a.apiKey]));
    for (const p of positions) {
      const account = w.sim.engine.account(byId.get(p.accountId)!)!;
      if (p.status === 'active') {
        // Protected: its stop-loss is working on the exchange.
        expect(account.workingAlgos(p.symbol).length, `${p.symbol} has no stop-loss`).toBeGreaterThan(0);
      } else {
        expect(account.working(p.symbol).length + account.workingAlgos(p.symbol).length, `${p.symbol} left orders`).toBe(0);
        expect(account.legsOf(p.symbol).every((l) => l.amount.isZero()), `${p.symbol} left exposure`).toBe(true);
      }
    }
  }, 300_000);
});
