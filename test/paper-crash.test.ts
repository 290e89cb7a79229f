// The embedded fleet's crash window (trading.md's idempotency rule, on the kept state): the paper
// exchange accepted an order — its input is in the journal — and the process dies before the store
// commits that step. The data directory is copied at that instant (every append is one write, so
// the copy is what kill -9 leaves); a fleet started on the copy takes the step back, finds the
// order by its client id and adopts it. Run for every placement of the open block.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryQueue } from '../core/adapters/memory/memory-queue.ts';
import { MARKET_UNIQUE_KEYS } from '../core/market/tables.ts';
import { ManualClock } from '../core/ports/clock.ts';
import { SimExchange } from '../core/sim/sim-exchange.ts';
import type { SimInput } from '../core/sim/sim-input.ts';
import { reclaimOwnSteps } from '../core/steps/reclaim.ts';
import { STEP_SETS } from '../core/steps/step.ts';
import { TRADING_UNIQUE_KEYS } from '../core/trading/tables.ts';
import { requeueLostDispatches } from '../edge/runtime/backends.ts';
import { openPaperState, type PaperState } from '../edge/runtime/paper-state.ts';
import { startTradingHarness, type TradingHarness } from './support/trading-harness.ts';

const KEY = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)));
const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const dirs: string[] = [];
const open: { harness?: TradingHarness; state: PaperState }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.harness?.close();
    await o.state.abandon();
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The kept state of `dataDir` with a harness trading ETHUSDT LONG on its paper venue. */
async function fleetOn(dataDir: string, clock: ManualClock) {
  const createSim = (recorder: (input: SimInput) => void) => new SimExchange({ clock, accounts: [{ apiKey: 'paper-key', secret: 'paper-secret', balance: '100000' }], recorder });
  const state = await openPaperState({ dataDir, createSim, uniqueKeys: { ...TRADING_UNIQUE_KEYS, ...MARKET_UNIQUE_KEYS } });
  const entry: { harness?: TradingHarness; state: PaperState } = { state };
  open.push(entry);
  entry.harness = await startTradingHarness({ store: state.store, queue: new MemoryQueue(), cleanup: async () => {} }, { venue: { sim: state.sim!, clock }, credentialsKey: KEY });
  return { state, harness: entry.harness };
}

describe('the embedded fleet killed between the paper exchange accepting an order and the store writing it down', () => {
  for (const tag of ['en', 'dca1', 'dca3', 'sl', 'tp']) {
    it(`adopts the ${tag} order after the restart: no duplicate, position active`, async () => {
      const live = mkdtempSync(join(tmpdir(), 'kraite-crash-live-'));
      const image = mkdtempSync(join(tmpdir(), 'kraite-crash-image-'));
      dirs.push(live, image);
      const first = await fleetOn(live, new ManualClock(T0));
      let copied = false;
      // The simulator publishes the order's frame while it runs the request: the journal holds the input, the store nothing yet.
      first.harness.sim.subscribe((e) => {
        if (copied || e.kind !== 'user') return;
        const o = e.frame.o as { c?: string; caid?: string } | undefined;
        if (!String(o?.c ?? o?.caid ?? '').endsWith(`-${tag}`)) return;
        cpSync(live, image, { recursive: true });
        copied = true;
      });
      await first.harness.start('trading.open-positions');
      await first.harness.settle();
      expect(copied).toBe(true);

      const second = await fleetOn(image, new ManualClock(T0 + 60_000));
      const { harness, state } = second;
      expect(state.loaded.records).toBeGreaterThan(0);
      const clientIds = () => [...harness.sim.account('paper-key')!.orders.values()].map((o) => o.clientOrderId)
        .concat([...harness.sim.account('paper-key')!.algoOrders.values()].map((a) => a.clientAlgoId));
      // The order is on the exchange, not in the books.
      expect(clientIds().filter((c) => c.endsWith(`-${tag}`))).toHaveLength(1);
      expect((await harness.orders()).find((o) => o.clientOrderId.endsWith(`-${tag}`))?.exchangeOrderId ?? null).toBeNull();
      // What npm start does at start: the dead queue's jobs back to the dispatcher, the dead run's steps taken back.
      await requeueLostDispatches(state.store);
      for (const set of STEP_SETS) await reclaimOwnSteps(harness.engine, set, harness.clock.now() + 1);
      await harness.settle();

      expect((await harness.positions()).map((p) => p.status)).toEqual(['active']);
      const ids = clientIds();
      expect(new Set(ids).size).toBe(ids.length);
      const orders = await harness.orders();
      expect(orders).toHaveLength(7);
      expect(orders.every((o) => o.exchangeOrderId !== null)).toBe(true);
    });
  }
});
