// quality.md's reliability row: 100 positions (90 that the accounts' size can open) opening while a trading worker is SIGKILLed eight
// times mid-work and restarted. Must hold: zero duplicate orders on the simulator, every position
// ends `active` or `cancelled`, no step left non-terminal after recovery.
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../core/ports/ids.ts';
import { TERMINAL_STATES } from '../core/steps/step.ts';
import { toPosition } from '../core/trading/position.ts';
import type { Direction } from '../core/trading/statuses.ts';
import { crashWorld, kill, ordersByClientId, type CrashWorld } from './support/trading-crash.ts';

const DIRECTIONS: Record<string, Direction> = {
  ETHUSDT: 'LONG', '1000PEPEUSDT': 'SHORT', BNBUSDT: 'LONG', XRPUSDT: 'SHORT', DOGEUSDT: 'LONG',
  ADAUSDT: 'SHORT', LINKUSDT: 'LONG', AVAXUSDT: 'SHORT', LTCUSDT: 'LONG', BTCUSDT: 'SHORT',
};

let world: CrashWorld | null = null;
afterAll(async () => {
  await world?.close();
});

describe('100 positions opening under repeated SIGKILL', () => {
  it('ends with no duplicate order, every position active or cancelled, no step left open', async () => {
    const w = (world = await crashWorld({ accounts: 10, directions: DIRECTIONS, slots: 5, weightPerMinute: 1_000_000 }));
    const random = seededRandom(7);
    let worker: ChildProcess = await w.startWorker();
    await w.engine.start([{ handler: 'trading.open-positions' }], { set: 'trading' });

    const settled = async () => {
      const positions = (await w.store.findRows('positions', {})).map(toPosition);
      // 10 accounts × 9 symbols: BTCUSDT's 100 USDT minimum notional refuses the default 50 USDT
      // entry, so the preflight passes over it and never opens it (handlers/trading/size-fit.ts).
      return positions.length === 90 && positions.every((p) => p.status === 'active' || p.status === 'cancelled');
    };
    // Kills follow the work, not the wall clock, so a fast box and a slow one both see all eight:
    // the worker dies each time ~60 more orders have reached the exchange (about 630 in all),
    // at a seeded point inside each window, and the last worker finishes the work.
    const placed = () => w.accounts.reduce((n, a) => n + ordersByClientId(w.sim, a.apiKey).size, 0);
    const thresholds = Array.from({ length: 8 }, (_, k) => 40 + 60 * k + Math.floor(random() * 30));
    let kills = 0;
    const deadline = Date.now() + 240_000;
    while (!(await settled())) {
      if (Date.now() > deadline) throw new Error(`positions did not settle (${kills} kills, ${placed()} orders placed)`);
      await new Promise((r) => setTimeout(r, 25));
      if (kills < thresholds.length && placed() >= thresholds[kills]!) {
        await kill(worker);
        kills++;
        worker = await w.startWorker();
      }
    }
    await expect.poll(async () => {
      const steps = await w.store.listSteps('trading', { limit: 100_000 });
      return steps.filter((s) => !TERMINAL_STATES.has(s.state)).length;
    }, { timeout: 30_000, interval: 250 }).toBe(0);

    expect(kills).toBe(8);
    for (const account of w.accounts) {
      const counts = ordersByClientId(w.sim, account.apiKey);
      const duplicated = [...counts.entries()].filter(([, n]) => n > 1);
      expect(duplicated).toEqual([]);
    }
    const positions = (await w.store.findRows('positions', {})).map(toPosition);
    // Why anything failed, for the assertion messages below.
    const failed = (await w.store.listSteps('trading', { state: ['failed'], limit: 1000 })).map((s) => `${s.handler}: ${s.errorMessage}`);
    // The symbol no account's size can open is never opened.
    expect(positions.filter((p) => p.symbol === 'BTCUSDT'), failed.join('\n')).toEqual([]);
    // Under a loaded machine a live worker's heartbeat can look stale, so a step is taken over and
    // its attempts run out: the open is then cancelled, which the rule allows — but cleanly.
    expect(positions.every((p) => p.status === 'active' || p.status === 'cancelled'), failed.join('\n')).toBe(true);
    expect(positions.filter((p) => p.status === 'active').length, failed.join('\n')).toBeGreaterThanOrEqual(80);
    const byId = new Map(w.accounts.map((a) => [a.id, a.apiKey]));
    for (const p of positions.filter((x) => x.status === 'cancelled')) {
      const account = w.sim.engine.account(byId.get(p.accountId)!)!;
      expect(account.working(p.symbol).length + account.workingAlgos(p.symbol).length, `${p.symbol} left orders`).toBe(0);
      expect(account.legsOf(p.symbol).every((l) => l.amount.isZero()), `${p.symbol} left exposure`).toBe(true);
    }
    await kill(worker);
  }, 300_000);
});
