// Replays candles through the embedded fleet (backtest-fleet.ts) on a manual clock that jumps from
// event to event: the next price of the candle path, the next scheduler slot (the fleet's own cron
// table, core/scheduler/schedule-table.ts) or the next delayed step (retries, the 20 s flat read),
// whichever comes first. Nothing sleeps; the engine settles after each event that changed something.
import { slotAtOrBefore, nextSlotAfter } from '../../core/scheduler/cadence.ts';
import { argsFor, type ScheduleEntry } from '../../core/scheduler/schedule-entry.ts';
import { SCHEDULE } from '../../core/scheduler/schedule-table.ts';
import { applyReplayPoints, candlePath, type ReplayPoint } from '../../core/sim/candle-replay.ts';
import { ZERO } from '../../core/sim/decimal.ts';
import { MAINT_MARGIN_RATE } from '../../core/sim/margin.ts';
import { unrealized, type PositionLeg } from '../../core/sim/positions.ts';
import { DEFAULT_SYMBOLS, symbolSpec, type SimSymbolSpec } from '../../core/sim/symbols.ts';
import { STEP_SETS } from '../../core/steps/step.ts';
import { toOrder, type OrderRow } from '../../core/trading/order.ts';
import { toPosition, type PositionRow } from '../../core/trading/position.ts';
import type { DirectionSettings } from '../../core/trading/account.ts';
import type { Direction } from '../../core/trading/statuses.ts';
import { startBacktestFleet, type BacktestFleet, type FleetDrive } from './backtest-fleet.ts';
import type { Candle } from './kline-files.ts';

/**
 * The scheduler entries a backtest runs by default: the open tick and the market data and regime
 * that gate it. The fleet's safety nets (the order poll, the drift check, the exit supervisor) and
 * balance snapshots change nothing on a venue that loses no frame, and cost five times the steps:
 * FULL_SCHEDULE adds them (`--full-schedule`). Operations entries (stale recovery, archive,
 * backups, health) have nothing to do in a single process.
 */
export const BACKTEST_SCHEDULE = ['open-positions', 'fetch-klines-1h', 'compute-regime', 'apply-regime-cooldown'] as const;

/** BACKTEST_SCHEDULE plus the safety nets and balance snapshots, as `npm start` runs them. */
export const FULL_SCHEDULE = [...BACKTEST_SCHEDULE, 'sync-orders', 'drift-check', 'supervise-exits', 'store-balances'] as const;

/** What to replay and how to trade it. */
export interface BacktestInput {
  candles: Record<string, readonly Candle[]>;
  intervalMs: number;
  directions: Record<string, Direction>;
  settings: Record<Direction, DirectionSettings>;
  balance: string;
  seed?: number;
  fundingRate?: string;
  /** Scheduler entry names to run (default BACKTEST_SCHEDULE). */
  schedule?: readonly string[];
}

/** One fill as the simulator booked it. */
export interface BacktestFill {
  time: number;
  symbol: string;
  side: string;
  price: string;
  qty: string;
  commission: string;
  realizedPnl: string;
  maker: boolean;
}

/** An exposure episode of one leg: from first fill to flat, with its worst moment. */
export interface Exposure {
  symbol: string;
  positionSide: string;
  start: number;
  end: number | null;
  /** Most negative unrealised PnL reached (≤ 0). */
  worstUnrealized: string;
  worstAt: number;
  /** Price move against the book (in %) that would have taken margin balance to maintenance margin, at the worst moment. */
  liquidationDistancePct: number | null;
}

/** Everything a run produced, before the report's arithmetic. */
export interface BacktestRun {
  start: number;
  end: number;
  candles: number;
  positions: PositionRow[];
  orders: OrderRow[];
  fills: BacktestFill[];
  /** Funding the simulator charged or paid (signed as credited). */
  funding: Array<{ time: number; symbol: string; amount: string }>;
  /** [time, equity] after every price of the path. */
  equity: Array<[number, string]>;
  exposures: Exposure[];
  finalWallet: string;
  /** Steps the fleet created (both sets): the run's work, independent of machine load. */
  steps: number;
  /** Step events the fleet raised (warnings and criticals only). */
  alerts: string[];
}

/** The simulator's spec of a symbol (its known filters when listed), starting at the first candle's open. */
export function specFor(symbol: string, candles: readonly Candle[]): SimSymbolSpec {
  const first = candles[0]!;
  const known = DEFAULT_SYMBOLS.find((s) => s.symbol === symbol);
  if (known) return { ...known, price: first.open };
  const decimals = Math.max(...candles.slice(0, 500).flatMap((c) => [c.open, c.high, c.low, c.close]).map((p) => (p.split('.')[1] ?? '').length));
  const tickSize = decimals === 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`;
  return symbolSpec({ symbol, tickSize, stepSize: Number(first.open) >= 1000 ? '0.001' : Number(first.open) >= 10 ? '0.01' : '1', price: first.open });
}

/** The scheduler's entries of `names`, each with its next slot after `t`. */
function scheduleOf(names: readonly string[], fleet: BacktestFleet, t: number): Array<{ entry: ScheduleEntry; next: number }> {
  return SCHEDULE.filter((e) => e.step && names.includes(e.name) && fleet.engine.o.registry.has(e.step.handler))
    .map((entry) => ({ entry, next: nextSlotAfter(entry.cadence, t - 1) }));
}

const exposureOf = ({ worst: _worst, ...e }: Exposure & { worst: number }, end: number | null): Exposure => ({ ...e, end });

/** Replays the candles through the fleet; returns the raw run. */
export async function runBacktest(input: BacktestInput, drive?: FleetDrive): Promise<BacktestRun> {
  const path = candlePath(input.candles as Record<string, Candle[]>, input.intervalMs);
  const start = path[0]!.time;
  const end = Math.max(...Object.values(input.candles).map((c) => c.at(-1)!.openTime)) + input.intervalMs;
  const fleet = await startBacktestFleet({
    symbols: Object.entries(input.candles).map(([s, c]) => specFor(s, c)), directions: input.directions, settings: input.settings,
    balance: input.balance, seed: input.seed ?? 1, start, fundingRate: input.fundingRate,
  }, drive);
  try {
    const { sim, clock } = fleet;
    const account = sim.account(fleet.apiKey)!;
    const schedule = scheduleOf(input.schedule ?? BACKTEST_SCHEDULE, fleet, start);
    let due = await fleet.nextDue();

    // Runs the scheduler slots and delayed steps that fall before `t`, in time order.
    const runUntil = async (t: number) => {
      for (;;) {
        const slot = Math.min(...schedule.map((s) => s.next));
        const next = Math.min(slot, due ?? Infinity);
        if (next >= t) return;
        clock.set(next);
        sim.tick();
        if (slot === next) {
          await fleet.recordMarks();
          for (const s of schedule.filter((x) => x.next === next)) {
            const step = s.entry.step!;
            const at = slotAtOrBefore(s.entry.cadence, next);
            await fleet.engine.start([{ handler: step.handler, lane: step.lane, args: argsFor(step, at) }], { set: step.set ?? fleet.engine.o.registry.get(step.handler).set ?? 'default', dedupeKey: `schedule:${s.entry.name}:${at}` });
            s.next = nextSlotAfter(s.entry.cadence, next);
          }
        }
        await fleet.settle();
        due = await fleet.nextDue();
      }
    };

    const equity: Array<[number, string]> = [];
    const open = new Map<string, Exposure & { worst: number }>();
    const exposures: Exposure[] = [];
    // After each price: the equity curve, and each leg's worst unrealised PnL with its liquidation distance then.
    // Only the margin balance and the maintenance margin are needed, summed in accountTotals' order
    // and arithmetic (so the same digits), without its order and position initial margins: this runs
    // after every price of the path, and those divisions were most of its cost.
    const upOf = new Map<PositionLeg, number>();
    const observe = (time: number) => {
      let up = ZERO;
      let mm = ZERO;
      let notional = 0;
      upOf.clear();
      for (const leg of account.legs.values()) {
        if (leg.amount.isZero()) continue;
        const mark = sim.state.market(leg.symbol).mark;
        const legUp = unrealized(leg, mark);
        up = up.plus(legUp);
        mm = mm.plus(leg.amount.abs().times(mark).times(MAINT_MARGIN_RATE));
        notional += Math.abs(leg.amount.times(mark).toNumber());
        upOf.set(leg, legUp.toNumber());
      }
      const marginBalance = account.wallet.plus(up);
      equity.push([time, marginBalance.toFixed(8)]);
      const distance = notional > 0 ? (marginBalance.minus(mm).toNumber() / notional) * 100 : null;
      for (const leg of account.legs.values()) {
        const key = `${leg.symbol}:${leg.positionSide}`;
        const current = open.get(key);
        if (leg.amount.isZero()) {
          if (current) {
            exposures.push(exposureOf(current, time));
            open.delete(key);
          }
          continue;
        }
        const up = upOf.get(leg)!;
        if (!current) {
          open.set(key, { symbol: leg.symbol, positionSide: leg.positionSide, start: time, end: null, worstUnrealized: String(Math.min(0, up)), worst: Math.min(0, up), worstAt: time, liquidationDistancePct: distance });
        } else if (up < current.worst) {
          Object.assign(current, { worst: up, worstUnrealized: up.toFixed(8), worstAt: time, liquidationDistancePct: distance });
        }
      }
    };

    for (let i = 0; i < path.length;) {
      const t = path[i]!.time;
      const moment: ReplayPoint[] = [];
      while (i < path.length && path[i]!.time === t) moment.push(path[i++]!);
      await runUntil(t);
      clock.set(t);
      sim.tick();
      applyReplayPoints(sim, moment);
      if (fleet.pending()) {
        await fleet.settle();
        due = await fleet.nextDue();
      }
      observe(t);
    }
    await runUntil(end);
    clock.set(end);
    for (const e of open.values()) exposures.push(exposureOf(e, null));

    const positions = (await fleet.store.findRows('positions', {}, { orderBy: 'id' })).map(toPosition);
    const orders = (await fleet.store.findRows('orders', {}, { orderBy: 'id' })).map(toOrder);
    let steps = 0;
    for (const set of STEP_SETS) steps += (await fleet.store.listSteps(set, { limit: 1 }))[0]?.id ?? 0;
    return {
      start, end, candles: Object.values(input.candles).reduce((n, c) => n + c.length, 0), positions, orders,
      fills: account.trades.map((f) => ({
        time: f.time, symbol: f.symbol, side: f.side, price: f.price.toString(), qty: f.qty.toString(),
        commission: f.commission.toString(), realizedPnl: f.realizedPnl.toString(), maker: f.maker,
      })),
      funding: account.funding.map((f) => ({ time: f.time, symbol: f.symbol, amount: f.amount.toString() })),
      equity, exposures,
      finalWallet: account.wallet.toString(), steps,
      alerts: fleet.events.filter((e) => e.severity !== 'info').map((e) => `${new Date(e.createdAt).toISOString()} ${e.severity}: ${e.message}`),
    };
  } finally {
    await fleet.close();
  }
}
