// The embedded fleet's kept state (edge/runtime/paper-state.ts): the store contract and the engine
// contract run against the journaled store, and after every case a crash is simulated — the
// directory reloaded without a close — and must give back the same store; a reload after the
// closing compaction too. The simulator's journal rebuilds the same exchange; a torn journal tail
// is dropped, not fatal; two fleets cannot share a directory.
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryQueue } from '../core/adapters/memory/memory-queue.ts';
import type { MemorySnapshot } from '../core/adapters/memory/memory-changes.ts';
import { ManualClock } from '../core/ports/clock.ts';
import { SimExchange } from '../core/sim/sim-exchange.ts';
import type { SimInput } from '../core/sim/sim-input.ts';
import { simSnapshot } from '../core/sim/sim-snapshot.ts';
import { dataDirFiles, journalGenerations } from '../edge/runtime/data-dir.ts';
import { openPaperState, type PaperState } from '../edge/runtime/paper-state.ts';
import { engineContract } from './contracts/engine.contract.ts';
import { stepStoreContract } from './contracts/step-store.contract.ts';
import { draft } from './support/step-drafts.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kraite-paper-state-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A store snapshot without heartbeats (a beat is not journaled: a restart only finds the step staler). */
function comparable(snap: MemorySnapshot): unknown {
  const strip = (s: MemorySnapshot['sets']['default']) => ({ ...s, rows: s.rows.map((r) => ({ ...r, heartbeatAt: null })).sort((a, b) => a.id - b.id) });
  return { ...snap, sets: { default: strip(snap.sets.default), trading: strip(snap.sets.trading) } };
}

/** Opens a fresh directory; cleanup checks a crash reload and a reload after close give the same store. */
async function journaledStore(compactBytes?: number): Promise<{ state: PaperState; cleanup(): Promise<void> }> {
  const dataDir = tempDir();
  const state = await openPaperState({ dataDir, compactBytes });
  return {
    state,
    async cleanup() {
      const live = comparable(state.store.snapshotNow());
      expect(comparable((await openPaperState({ dataDir, readOnly: true })).store.snapshotNow())).toEqual(live);
      await state.close();
      const reopened = await openPaperState({ dataDir });
      expect(comparable(reopened.store.snapshotNow())).toEqual(live);
      await reopened.close();
    },
  };
}

stepStoreContract('the journaled in-memory store (KRAITE_DATA_DIR)', async () => {
  const { state, cleanup } = await journaledStore();
  return { store: state.store, cleanup };
});

engineContract('the journaled in-memory store and in-process queue', async () => {
  const { state, cleanup } = await journaledStore();
  return { store: state.store, queue: new MemoryQueue(), cleanup };
});

// Compacting every few commits, while the engine's transactions run: each record lands in the snapshot or the journal after it.
engineContract('the journaled store compacting every 4 KiB of journal', async () => {
  const { state, cleanup } = await journaledStore(4096);
  return { store: state.store, queue: new MemoryQueue(), cleanup };
}, { chain: true });

describe('the kept paper venue', () => {
  const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
  const venue = (clock: ManualClock) => (recorder: (input: SimInput) => void) =>
    new SimExchange({ clock, accounts: [{ apiKey: 'k', secret: 's', balance: '10000' }], recorder });

  it('rebuilds the same exchange from snapshot and journal: orders, fills, positions, ids, the walk and its script', async () => {
    const dataDir = tempDir();
    const clock = new ManualClock(T0);
    const state = await openPaperState({ dataDir, createSim: venue(clock) });
    const sim = state.sim!;
    const order = (clientOrderId: string, price: string) =>
      sim.call('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.1', price, newClientOrderId: clientOrderId }, 'k');
    sim.call('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.2', newClientOrderId: 'entry' }, 'k');
    order('rung-1', '3480');
    order('rung-2', '3400');
    sim.script([{ step: sim.path.stepIndex + 3, symbol: 'ETHUSDT', price: '3470' }]);
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      sim.step();
    }
    // A rejected call is journaled too (it ran before it failed) and fails again on replay.
    expect(() => sim.call('DELETE', '/fapi/v1/order', { symbol: 'ETHUSDT', origClientOrderId: 'nope' }, 'k')).toThrow();
    await state.store.transaction((tx) => tx.insertSteps([draft()]));
    const live = simSnapshot(sim);
    expect(live.accounts[0]!.orders).toHaveLength(3);
    expect(sim.account('k')!.findOrder('ETHUSDT', { clientOrderId: 'rung-1' })!.status).toBe('FILLED');

    // Killed: nothing closed. What a restart would load is the same exchange.
    const crashed = await openPaperState({ dataDir, readOnly: true, createSim: venue(new ManualClock(T0 + 60_000)) });
    expect(crashed.loaded).toMatchObject({ snapshot: true, droppedBytes: 0 });
    expect(crashed.loaded.records).toBeGreaterThan(5);
    expect(simSnapshot(crashed.sim!)).toEqual(live);

    // And it goes on as the live one would: the next order gets the next id, the walk the same next price.
    sim.step();
    crashed.sim!.step();
    const prices = (ex: SimExchange) => ex.state.marketList().map((m) => [m.symbol, m.mark.toString(), m.last.toString()]);
    expect(prices(crashed.sim!)).toEqual(prices(sim));
    expect(simSnapshot(crashed.sim!).counters).toEqual(simSnapshot(sim).counters);
    await state.close();
    const reopened = await openPaperState({ dataDir, createSim: venue(new ManualClock(T0 + 120_000)) });
    expect(reopened.loaded).toEqual({ snapshot: true, records: 0, droppedBytes: 0 });
    expect(simSnapshot(reopened.sim!)).toEqual(simSnapshot(sim));
    expect(await reopened.store.listSteps('default', {})).toHaveLength(1);
    await reopened.close();
  });

  it('drops a torn journal tail at start and keeps every whole record before it', async () => {
    const dataDir = tempDir();
    const clock = new ManualClock(T0);
    const state = await openPaperState({ dataDir, createSim: venue(clock) });
    await state.store.transaction((tx) => tx.insertSteps([draft(), draft()]));
    state.sim!.call('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.1', price: '3000', newClientOrderId: 'kept' }, 'k');
    const live = comparable(state.store.snapshotNow());
    const liveSim = simSnapshot(state.sim!);
    await state.abandon();
    // Killed in the middle of writing a record: half a frame at the end of the journal.
    const [gen] = journalGenerations(dataDir).slice(-1);
    const journal = dataDirFiles(dataDir).journal(gen!);
    const whole = statSync(journal).size;
    appendFileSync(journal, Buffer.from([0x40, 0x00, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x7b, 0x22]));

    const restarted = await openPaperState({ dataDir, createSim: venue(new ManualClock(T0 + 5_000)) });
    expect(restarted.loaded).toEqual({ snapshot: true, records: 2, droppedBytes: 10 });
    expect(comparable(restarted.store.snapshotNow())).toEqual(live);
    expect(simSnapshot(restarted.sim!)).toEqual(liveSim);
    expect(whole).toBeGreaterThan(0);
    // It goes on writing after the cut, and the next start reads it all.
    await restarted.store.transaction((tx) => tx.insertSteps([draft()]));
    await restarted.close();
    const again = await openPaperState({ dataDir, readOnly: true });
    expect(await again.store.listSteps('default', {})).toHaveLength(3);
    // Its positions live on the embedded venue: opened for another exchange (no simulator), it refuses.
    await expect(openPaperState({ dataDir })).rejects.toThrow(/holds paper trading on the embedded simulator, but KRAITE_EXCHANGE_URL names another exchange/);
  });

  it('refuses a second fleet on the same directory while the first runs, and takes over a dead one\'s lock', async () => {
    const dataDir = tempDir();
    const state = await openPaperState({ dataDir });
    await expect(openPaperState({ dataDir })).rejects.toThrow(/is in use by another fleet in this process/);
    await state.close();
    // Another process's lock (a live pid) refuses; a dead process's lock is taken over.
    writeFileSync(dataDirFiles(dataDir).lock, String(process.ppid));
    await expect(openPaperState({ dataDir })).rejects.toThrow(/is in use by another kraite \(pid \d+\)/);
    writeFileSync(dataDirFiles(dataDir).lock, '2147483646');
    const next = await openPaperState({ dataDir });
    expect(next.loaded.snapshot).toBe(true);
    await next.close();
  });
});
