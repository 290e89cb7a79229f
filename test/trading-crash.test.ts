// Money safety under crashes (trading.md's idempotency rule): a trading worker is SIGKILLed right
// after the exchange accepted one of its orders and before it could write that down. After stale
// recovery another worker re-runs the step, finds the order by its client id and adopts it: no
// order is ever duplicated and the position completes. Run for every placement of the open block.
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { toOrder } from '../core/trading/order.ts';
import { toPosition } from '../core/trading/position.ts';
import { crashWorld, kill, ordersByClientId, type CrashWorld } from './support/trading-crash.ts';

let world: CrashWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('a trading worker SIGKILLed between the exchange call and the database write', () => {
  for (const tag of ['en', 'dca1', 'dca2', 'dca3', 'dca4', 'sl', 'tp']) {
    it(`adopts the ${tag} order after recovery: no duplicate, position active`, async () => {
      const w = (world = await crashWorld({ accounts: 1, directions: { ETHUSDT: 'LONG' } }));
      const [account] = w.accounts;
      let worker: ChildProcess = await w.startWorker();
      let killed: Promise<void> | null = null;
      // The simulator publishes the order's first frame while it handles the request, before the
      // HTTP answer is written: killing the worker here loses exactly that answer.
      w.sim.engine.subscribe((e) => {
        if (killed || e.kind !== 'user') return;
        const id = String((e.frame.o as { c?: string; caid?: string } | undefined)?.c ?? (e.frame.o as { caid?: string } | undefined)?.caid ?? '');
        if (id.endsWith(`-${tag}`)) killed = kill(worker);
      });
      await w.engine.start([{ handler: 'trading.open-positions' }], { set: 'trading' });
      await expect.poll(() => killed !== null, { timeout: 30_000, interval: 20 }).toBe(true);
      await killed;
      worker = await w.startWorker();

      await expect.poll(async () => (await w.store.findRows('positions', {})).map(toPosition)[0]?.status, { timeout: 30_000, interval: 100 }).toBe('active');
      const counts = ordersByClientId(w.sim, account!.apiKey);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      const rows = (await w.store.findRows('orders', {})).map(toOrder);
      expect(rows).toHaveLength(7);
      expect(new Set(rows.map((r) => r.clientOrderId))).toEqual(new Set(counts.keys()));
      const steps = await w.store.listSteps('trading', { limit: 1000 });
      expect(steps.filter((s) => s.state === 'running' || s.state === 'pending' || s.state === 'dispatched').filter((s) => s.childBlockUuid === null)).toEqual([]);
      expect(steps.some((s) => s.attempts > 1)).toBe(true);
      await kill(worker);
    }, 60_000);
  }
});
