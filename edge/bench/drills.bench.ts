// `kraite bench drills`: the failure table of the seeds, run as an operator would. The eight
// processes of the topology run on MariaDB + Redis against a loopback simulator; each drill
// SIGKILLs a box's process group (the trading worker holding a filled entry, two workers, all four
// mid-open, athena across a schedule slot, athena right after a slot, tyche past the heartbeat
// limit, pheme), restarts it,
// and measures: the time until the box beats again and every step that was open at the kill has
// settled, the longest time a filled entry stood without a working stop, schedule slots with no
// block, client ids the exchange accepted twice, and who paged the loss. Then the final
// invariants: every open position on the exchange is known locally and has a working stop.
// Bounded: each wait has a deadline (--down-seconds, default 12, sets the outage length).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isBoxProcessBeat } from '../../core/fleet/heartbeat-watch.ts';
import { SCHEDULE } from '../../core/scheduler/schedule-table.ts';
import { StepEngine } from '../../core/steps/engine.ts';
import { STEP_SETS, TERMINAL_STATES } from '../../core/steps/step.ts';
import { setTradingEnabled } from '../../core/trading/account.ts';
import { applyRowEffects } from '../../core/trading/apply-row-effects.ts';
import { findOrderByClientId, listPositions } from '../../core/trading/reads.ts';
import type { Direction } from '../../core/trading/statuses.ts';
import type { ExchangeDirectory } from '../../core/trading/exchange-directory.ts';
import type { MarketDeps } from '../../core/market/index.ts';
import { marketHandlers } from '../../core/market/index.ts';
import { createRegistry } from '../../handlers/index.ts';
import { tradingHandlers } from '../../handlers/trading/index.ts';
import type { CliIo } from '../cli/command.ts';
import { openEdgeState } from '../scheduler/edge-services.ts';
import type { Benchmark } from './index.ts';
import { startDrillFleet, UNITS, type DrillFleet, type FleetUnit } from './drills-fleet.ts';
import { boxesRunningEntry } from './drills-kill-point.ts';
import { duplicateClientIds, missedSlots, positionInvariants, unprotectedWindows, type OrderRecord } from './drills-measure.ts';

// BTCUSDT has no direction: token selection then ranks every candidate, whatever its correlation
// with BTC (the simulator's walks are independent, so half would be filtered out at random).
const DIRECTIONS: Record<string, Direction> = {
  ETHUSDT: 'LONG', SOLUSDT: 'SHORT', BNBUSDT: 'SHORT', XRPUSDT: 'LONG', DOGEUSDT: 'SHORT', ADAUSDT: 'LONG', LINKUSDT: 'LONG', AVAXUSDT: 'SHORT', LTCUSDT: 'LONG', '1000PEPEUSDT': 'SHORT',
};
const HEARTBEAT = { KRAITE_HEARTBEAT_EVERY_MS: '2000', KRAITE_HEARTBEAT_STALE_MS: '10000', KRAITE_HEARTBEAT_COLD_START_MS: '120000', KRAITE_ALERT_THROTTLE_MS: '60000' };
const unit = (name: string): FleetUnit => UNITS.find((u) => u.name === name)!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How long the simulator holds the answer to a mid-open drill's entry (long enough to find and kill its worker). */
const ENTRY_ANSWER_HELD_MS = 3_000;

/** One drill's outcome. */
interface DrillResult {
  name: string;
  startAt: number;
  killAt: number;
  restartAt: number;
  recoveredAt: number | null;
  endAt: number;
  box: string;
  /** Every box the drill killed (its pages count, whichever of them is paged). */
  killed: string[];
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(everyMs);
  }
  void what;
  return false;
}

/** Whether a JSON log line was written between the drill's kill and its end. */
function inDrill(line: string, r: DrillResult): boolean {
  const t = Date.parse((/"t":"([^"]+)"/.exec(line) ?? [])[1] ?? '');
  return t >= r.killAt && t <= r.endAt;
}

/** Every order the simulator accepted, as the figures read them. */
function simOrders(fleet: DrillFleet): OrderRecord[] {
  const out: OrderRecord[] = [];
  for (const { apiKey } of fleet.accounts) {
    const a = fleet.sim.engine.account(apiKey)!;
    for (const o of a.orders.values()) {
      const entry = o.type === 'MARKET' && !o.reduceOnly && !o.closePosition && o.algoId === undefined;
      out.push({ account: apiKey, symbol: o.symbol, clientId: o.clientOrderId, kind: entry ? 'entry' : 'other', createdAt: o.time, filledAt: entry && o.status === 'FILLED' ? o.updateTime : null, endedAt: null });
    }
    for (const g of a.algoOrders.values()) {
      const stop = g.closePosition && (g.orderType === 'STOP_MARKET' || g.orderType === 'STOP');
      out.push({ account: apiKey, symbol: g.symbol, clientId: g.clientAlgoId, kind: stop ? 'stop' : 'other', createdAt: g.createTime, filledAt: null, endedAt: g.status === 'NEW' ? null : g.updateTime });
    }
  }
  return out;
}

/** Ids of steps not yet terminal, over both sets. */
async function openSteps(fleet: DrillFleet): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const set of STEP_SETS) for (const s of await fleet.backends.store.listSteps(set, { limit: 100_000 })) if (!TERMINAL_STATES.has(s.state)) ids.add(`${set}/${s.id}`);
  return ids;
}

/** Every scheduler dedupe key in the store. */
async function scheduleKeys(fleet: DrillFleet): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const set of STEP_SETS) for (const s of await fleet.backends.store.listSteps(set, { limit: 100_000 })) if (s.dedupeKey?.startsWith('sched:')) keys.add(s.dedupeKey);
  return keys;
}

/** The drills benchmark. */
export const drillsBenchmark: Benchmark = {
  name: 'drills',
  summary: 'the seeds\' failure table on eight processes (MariaDB + Redis + loopback simulator): recovery time, unprotected window, missed slots, duplicates, pages, invariants',
  async run(io: CliIo, args: string[]) {
    const downIndex = args.indexOf('--down-seconds');
    const downMs = (downIndex >= 0 ? Number(args[downIndex + 1]) : 12) * 1000;
    io.out(`drills: starting the simulator, a scratch database and the eight processes (outage ${downMs / 1000} s per drill; the box is shared, figures are loaded-box figures)`);
    const fleet = await startDrillFleet({ accounts: 5, directions: DIRECTIONS, env: HEARTBEAT });
    const unused = new Proxy({}, { get: () => { throw new Error('the bench process runs no handler'); } });
    const engine = new StepEngine({
      store: fleet.backends.store, queue: fleet.backends.queue, router: fleet.backends.router, worker: 'drills-operator',
      registry: createRegistry([...tradingHandlers({ exchanges: unused as ExchangeDirectory }), ...marketHandlers(unused as MarketDeps)]),
    });
    const state = openEdgeState(fleet.backends.config);
    const staleMs = Number(HEARTBEAT.KRAITE_HEARTBEAT_STALE_MS);
    const beating = async (box: string, since: number) => (await state.heartbeats.list()).some((b) => b.box === box && isBoxProcessBeat(b) && b.at >= since);
    const results: DrillResult[] = [];
    // Interrupted: take the fleet down with the bench (its processes are in their own groups).
    const abandon = () => {
      for (const u of UNITS) void fleet.kill(u);
      process.exit(130);
    };
    process.once('SIGINT', abandon);
    process.once('SIGTERM', abandon);
    try {
      const benchStart = Date.now();
      for (const u of UNITS) await fleet.start(u);
      const boxes = [...new Set(UNITS.map((u) => u.box))];
      if (!(await waitFor('fleet up', async () => (await Promise.all(boxes.map((b) => beating(b, benchStart)))).every(Boolean), 120_000))) throw new Error(`the fleet did not come up in 120 s; logs in ${fleet.logDir}`);
      io.out(`  fleet up in ${((Date.now() - benchStart) / 1000).toFixed(1)} s (logs: ${fleet.logDir})`);
      const openFor = async (account: number) => {
        await fleet.backends.store.transaction((tx) => applyRowEffects(tx, [setTradingEnabled(fleet.accounts[account]!.id, true, Date.now())]));
        await engine.start([{ handler: 'trading.open-positions' }], { set: 'trading' });
      };
      const ordersOf = (account: number) => simOrders(fleet).filter((o) => o.account === fleet.accounts[account]!.apiKey).length;
      // Mid-open, exactly: the exchange fills the account's first market entry at once but holds its
      // answer, so the worker that sent it dies holding a filled entry it never wrote down.
      const holdEntryAnswer = (account: number) => fleet.sim.engine.faults.latency(ENTRY_ANSWER_HELD_MS, { method: 'POST', path: '/fapi/v1/order', apiKey: fleet.accounts[account]!.apiKey, params: { type: 'MARKET' } }, 1);
      // The boxes running the market entry of a position whose entry the exchange has filled.
      const entryHolders = async (account: number) => {
        const filled = simOrders(fleet).filter((o) => o.account === fleet.accounts[account]!.apiKey && o.kind === 'entry' && o.filledAt !== null);
        if (filled.length === 0) return [];
        const positionIds = new Set((await Promise.all(filled.map((o) => findOrderByClientId(fleet.backends.store, o.clientId)))).map((r) => r?.positionId));
        const opening = await listPositions(fleet.backends.store, { accountId: fleet.accounts[account]!.id, status: 'opening' });
        const running = await fleet.backends.store.listSteps('trading', { state: ['running'], handler: 'trading.open.market-entry', limit: 1_000 });
        return boxesRunningEntry(running, new Set(opening.filter((p) => positionIds.has(p.id)).map((p) => p.uuid)));
      };
      const TRADING = ['eos', 'iris', 'nyx', 'hemera'];
      // First run, as an operator does it: hourly and daily candles now (the schedule fetches them at
      // :01 and 00:03 only), then account 0 trades from the start.
      for (const interval of ['1h', '1d']) await engine.start([{ handler: 'market.klines.schedule', args: { interval } }]);
      await waitFor('hourly candles', async () => (await fleet.backends.store.findRows('klines', { timeframe: '1h' }, { limit: 1 })).length > 0, 60_000);
      await engine.start([{ handler: 'trading.open-positions' }], { set: 'trading' });
      await waitFor('baseline positions', async () => (await listPositions(fleet.backends.store, { status: 'active' })).length > 0, 90_000);

      /** `units` and `box` may be chosen at the kill point (the worker holding the entry). */
      const drill = async (name: string, boxAt: string | (() => string), unitsAt: FleetUnit[] | (() => FleetUnit[]), o: { before?: () => Promise<void>; killWhen?: () => Promise<boolean>; killAt?: () => number; down?: number } = {}) => {
        const startAt = Date.now();
        await o.before?.();
        if (o.killWhen && !(await waitFor(`${name}: kill point`, o.killWhen, 60_000, 5))) io.out(`  ${name}: the kill point never came (killed anyway)`);
        if (o.killAt) await sleep(Math.max(0, o.killAt() - Date.now()));
        const killAt = Date.now();
        const units = typeof unitsAt === 'function' ? unitsAt() : unitsAt;
        const box = typeof boxAt === 'function' ? boxAt() : boxAt;
        const open = await openSteps(fleet);
        for (const u of units) await fleet.kill(u);
        await sleep(o.down ?? downMs);
        const restartAt = Date.now();
        for (const u of units) await fleet.start(u);
        const ok = await waitFor(`${name}: recovered`, async () => {
          if (!(await beating(box, restartAt))) return false;
          const still = await openSteps(fleet);
          return [...open].every((id) => !still.has(id));
        }, 180_000, 500);
        const result: DrillResult = { name: `${name}${typeof unitsAt === 'function' ? ` [${units.map((u) => u.name).join(', ')}]` : ''}`, box, killed: [...new Set(units.map((u) => u.box))], startAt, killAt, restartAt, recoveredAt: ok ? Date.now() : null, endAt: Date.now() };
        results.push(result);
        io.out(`  ${name}: ${ok ? `recovered ${((result.recoveredAt! - killAt) / 1000).toFixed(1)} s after the kill` : 'did NOT recover within 180 s'}`);
        return result;
      };
      const nextMinute = (offsetMs: number) => Math.ceil((Date.now() + 2_000) / 60_000) * 60_000 + offsetMs;

      let holders: string[] = [];
      const holding = (account: number) => async () => (holders = await entryHolders(account)).length > 0;
      const holder = () => holders[0] ?? 'eos';
      await drill('one trading worker, holding a filled entry', holder, () => [unit(holder())], {
        before: async () => { holdEntryAnswer(1); await openFor(1); }, killWhen: holding(1),
      });
      // Capacity halves: the holder and the next worker go, the other two carry on.
      await drill('two trading workers, one holding a filled entry', holder, () => [holder(), TRADING[(TRADING.indexOf(holder()) + 1) % TRADING.length]!].map(unit), {
        before: async () => { holdEntryAnswer(4); await openFor(4); }, killWhen: holding(4),
      });
      await drill('all trading workers mid-open', 'eos', TRADING.map(unit), {
        before: async () => { holdEntryAnswer(2); await openFor(2); }, killWhen: async () => ordersOf(2) > 0,
      });
      await drill('athena across a schedule slot', 'athena', [unit('athena'), unit('mark-price')], { killAt: () => nextMinute(-5_000), down: Math.max(downMs, 10_000) });
      await drill('athena right after a slot (restart inside the old lease)', 'athena', [unit('athena'), unit('mark-price')], { before: () => openFor(3), killAt: () => nextMinute(1_500), down: 3_000 });
      await drill('tyche past the heartbeat limit', 'tyche', [unit('tyche')], { down: Math.max(downMs, staleMs + 8_000) });
      await drill('pheme', 'pheme', [unit('pheme')]);
      // Let the last slot's work and the trailing stops settle before the invariants.
      await waitFor('settled', async () => (await openSteps(fleet)).size === 0, 60_000, 500);
      const endAt = Date.now();

      const orders = simOrders(fleet);
      const windows = unprotectedWindows(orders, endAt);
      const keys = await scheduleKeys(fleet);
      const logs = UNITS.map((u) => { try { return readFileSync(join(fleet.logDir, `${u.name}.log`), 'utf8'); } catch { return ''; } });
      io.out('');
      io.out('drill                                                             recover s  unprotected s (max)  missed slots  duplicates  pages: by');
      for (const r of results) {
        const inWindow = windows.filter((w) => w.filledAt >= r.startAt && w.filledAt <= r.endAt);
        const missed = missedSlots(SCHEDULE, keys, r.killAt, Math.max(r.recoveredAt ?? r.endAt, r.restartAt) - 1);
        const dupes = duplicateClientIds(orders.filter((x) => x.createdAt >= r.startAt && x.createdAt <= r.endAt));
        const pages = logs.flatMap((l, i) => l.split('\n').filter((line) => r.killed.some((b) => line.includes(`box ${b} last published a heartbeat`)) && inDrill(line, r)).map(() => UNITS[i]!.name));
        const longest = inWindow.reduce((m, w) => Math.max(m, w.ms), 0);
        io.out(`${r.name.padEnd(66)}${(r.recoveredAt ? ((r.recoveredAt - r.killAt) / 1000).toFixed(1) : '>180').padStart(9)}  ${`${(longest / 1000).toFixed(1)} (${inWindow.length} fills)`.padStart(19)}  ${String(missed.length).padStart(12)}  ${String(dupes.length).padStart(10)}  ${pages.length ? `${pages.length}: ${[...new Set(pages)].join(', ')}` : '—'}`);
        for (const m of missed) io.out(`    missed: ${m.entry} at ${new Date(m.slot).toISOString()}`);
      }
      const all = missedSlots(SCHEDULE, keys, benchStart + 60_000, endAt - 60_000);
      // With every trading worker down nobody can place a stop: those windows are the outage plus a
      // restart, not recovery, and are reported apart from the target.
      const allDown = results.filter((r) => TRADING.every((b) => r.killed.includes(b)));
      const duringAllDown = (w: { filledAt: number }) => allDown.some((r) => w.filledAt >= r.startAt && w.filledAt <= r.endAt);
      const longest = windows.filter((w) => !duringAllDown(w)).reduce((m, w) => Math.max(m, w.ms), 0);
      const longestAllDown = windows.filter(duringAllDown).reduce((m, w) => Math.max(m, w.ms), 0);
      const exchange = fleet.accounts.flatMap(({ apiKey }) => {
        const a = fleet.sim.engine.account(apiKey)!;
        const stops = [...a.algoOrders.values()].filter((g) => g.closePosition && g.status === 'NEW');
        return [...a.legs.values()].filter((l) => !l.amount.isZero()).map((l) => ({ account: apiKey, symbol: l.symbol, protectedByStop: stops.some((g) => g.symbol === l.symbol) }));
      });
      const byId = new Map(fleet.accounts.map((a) => [a.id, a.apiKey]));
      const local = (await listPositions(fleet.backends.store, { status: 'open', limit: 10_000 })).map((p) => ({ account: byId.get(p.accountId) ?? String(p.accountId), symbol: p.symbol }));
      const inv = positionInvariants(exchange, local);
      io.out('');
      io.out(`whole run: ${windows.length} entry fills, longest unprotected ${(longest / 1000).toFixed(1)} s with a trading worker alive (target ≤ 20 s)${allDown.length ? `, ${(longestAllDown / 1000).toFixed(1)} s with all four down (the ${downMs / 1000} s outage plus their restart)` : ''}, ${windows.filter((w) => w.open).length} never protected; missed slots ${all.length} (target 0); duplicate client ids ${duplicateClientIds(orders).length} (target 0)`);
      io.out(`final invariants: ${exchange.length} open positions on the exchange, ${local.length} open locally; exchange-only ${inv.exchangeOnly.length}, local-only ${inv.localOnly.length}, without a working stop ${inv.withoutStop.length}${[...inv.exchangeOnly, ...inv.localOnly, ...inv.withoutStop].length ? ` (${[...inv.exchangeOnly, ...inv.localOnly, ...inv.withoutStop].join(', ')})` : ''}`);
    } finally {
      process.off('SIGINT', abandon);
      process.off('SIGTERM', abandon);
      await state.close();
      await fleet.close();
    }
    // The last row of the failure table: hyperion lost — restore the latest backup and reconcile
    // (edge/bench/drill-hyperion.bench.ts, also runnable alone with more runs).
    io.out('');
    io.out('hyperion lost (drill-hyperion, one run):');
    const { drillHyperionBenchmark } = await import('./drill-hyperion.bench.ts');
    return drillHyperionBenchmark.run(io, ['--runs', '1']);
  },
};
