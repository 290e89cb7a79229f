// The backtest report: per-trade rows from the fleet's own ledger (positions and orders as the
// handlers wrote them), and the figures traders compare runs by — win rate, profit factor, max
// drawdown, Sharpe and Sortino, exposure time, worst-case loss reached against the frozen figure
// and the liquidation distance at the worst moment — total and per symbol, with the equity curve.
import { Decimal } from 'decimal.js';
import type { SavedTrade } from '../../core/backtest/saved-backtests.ts';
import type { BacktestFill, BacktestRun, Exposure } from './run-backtest.ts';

/** One closed or still-open position: the saved trade's fields, and how far liquidation was at its worst. */
export interface TradeRow extends SavedTrade {
  liquidationDistancePct: number | null;
}

/** The figures of a set of trades over the run. */
// A type alias (not an interface) so it fits core/backtest's saved-summary record.
export type Summary = {
  trades: number;
  wins: number;
  losses: number;
  winRate: number | null;
  grossPnl: string;
  fees: string;
  funding: string;
  netPnl: string;
  profitFactor: number | null;
  /** Largest equity drop from a peak, quote asset and % of that peak (account-wide figures in the total only). */
  maxDrawdown: string;
  maxDrawdownPct: number;
  sharpe: number | null;
  sortino: number | null;
  /** Share of the run with at least one position open (0..1). */
  exposure: number;
  /** Largest worst-loss-reached / frozen worst-case loss over the trades (1 = the ladder's full loss). */
  worstLossVsFrozen: number | null;
  /** Liquidation distance (%) at the single worst moment of any trade. */
  liquidationDistanceAtWorstPct: number | null;
};

/** A whole report. */
export interface BacktestReport {
  kind: 'kraite-backtest';
  settings: Record<string, unknown>;
  range: { from: string; to: string; candles: number };
  startingBalance: string;
  finalBalance: string;
  total: Summary;
  perSymbol: Record<string, Summary>;
  trades: TradeRow[];
  /** Every fill the simulator booked, and every funding payment: the raw material the trades add up. */
  fills: BacktestFill[];
  funding: BacktestRun['funding'];
  /** [time ms, equity], at most ~2,000 points (each bucket's last). */
  equity: Array<[number, number]>;
  alerts: string[];
}

const sum = (xs: readonly string[]) => xs.reduce((a, x) => a.plus(x), new Decimal(0));

function exposureOf(exposures: readonly Exposure[], t: { symbol: string; openedAt: number | null; closedAt: number | null }): Exposure[] {
  if (t.openedAt === null) return [];
  return exposures.filter((e) => e.symbol === t.symbol && e.start <= (t.closedAt ?? Infinity) && (e.end ?? Infinity) >= t.openedAt!);
}

/** Per-trade rows from the run's positions and orders. */
export function tradeRows(run: BacktestRun): TradeRow[] {
  return run.positions.filter((p) => p.openedAt !== null || (p.fees !== null && !new Decimal(p.fees).isZero())).map((p) => {
    const rungs = run.orders.filter((o) => o.positionId === p.id && o.role === 'rung');
    const worst = exposureOf(run.exposures, p).reduce<Exposure | null>((w, e) => (w === null || Number(e.worstUnrealized) < Number(w.worstUnrealized) ? e : w), null);
    const gross = p.grossPnl ?? '0';
    const fees = p.fees ?? '0';
    const funding = p.funding ?? '0';
    return {
      id: p.id, symbol: p.symbol, direction: p.direction, status: p.status, openedAt: p.openedAt, closedAt: p.closedAt,
      entryPrice: p.openingPrice, rungsFilled: rungs.filter((o) => o.status === 'filled' || o.status === 'partially_filled').length, rungs: p.rungs,
      exitReason: p.exitReason, closingPrice: p.closingPrice, grossPnl: gross, fees, funding,
      netPnl: p.netPnl ?? new Decimal(gross).minus(fees).plus(funding).toString(),
      worstCaseLoss: p.worstCaseLoss, worstLossReached: worst ? new Decimal(worst.worstUnrealized).neg().toString() : '0',
      liquidationDistancePct: worst?.liquidationDistancePct ?? null,
    };
  });
}

// Hourly equity returns (the last equity of each hour), for Sharpe and Sortino annualised by √(24·365).
function hourlyReturns(equity: readonly (readonly [number, string])[]): number[] {
  const closes: number[] = [];
  let hour = -1;
  for (const [t, e] of equity) {
    const h = Math.floor(t / 3_600_000);
    if (h !== hour) closes.push(Number(e));
    else closes[closes.length - 1] = Number(e);
    hour = h;
  }
  const r: number[] = [];
  for (let i = 1; i < closes.length; i++) if (closes[i - 1]! > 0) r.push(closes[i]! / closes[i - 1]! - 1);
  return r;
}

function ratios(returns: readonly number[]): { sharpe: number | null; sortino: number | null } {
  if (returns.length < 2) return { sharpe: null, sortino: null };
  const mean = returns.reduce((a, x) => a + x, 0) / returns.length;
  const sd = Math.sqrt(returns.reduce((a, x) => a + (x - mean) ** 2, 0) / (returns.length - 1));
  const down = Math.sqrt(returns.reduce((a, x) => a + Math.min(0, x) ** 2, 0) / returns.length);
  const annual = Math.sqrt(24 * 365);
  return { sharpe: sd > 0 ? (mean / sd) * annual : null, sortino: down > 0 ? (mean / down) * annual : null };
}

function drawdown(equity: readonly (readonly [number, string])[]): { abs: number; pct: number } {
  let peak = -Infinity;
  let abs = 0;
  let pct = 0;
  for (const [, e] of equity) {
    const v = Number(e);
    peak = Math.max(peak, v);
    if (peak - v > abs) abs = peak - v;
    if (peak > 0 && (peak - v) / peak > pct) pct = (peak - v) / peak;
  }
  return { abs, pct: pct * 100 };
}

function exposureShare(exposures: readonly Exposure[], start: number, end: number): number {
  const spans = exposures.map((e) => [e.start, e.end ?? end] as const).sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let until = start;
  for (const [s, e] of spans) {
    const from = Math.max(s, until);
    if (e > from) covered += e - from;
    until = Math.max(until, e);
  }
  return end > start ? covered / (end - start) : 0;
}

/** The figures of `trades`; drawdown and ratios come from `equity` (the account's, or a symbol's realised curve). */
export function summarise(trades: readonly TradeRow[], equity: readonly (readonly [number, string])[], exposures: readonly Exposure[], span: { start: number; end: number }): Summary {
  const done = trades.filter((t) => t.closedAt !== null);
  const nets = done.map((t) => new Decimal(t.netPnl));
  const won = nets.filter((n) => n.greaterThan(0));
  const lost = nets.filter((n) => n.lessThan(0));
  const lossSum = lost.reduce((a, x) => a.plus(x), new Decimal(0)).abs();
  const wonSum = won.reduce((a, x) => a.plus(x), new Decimal(0));
  const dd = drawdown(equity);
  const worst = trades.reduce<TradeRow | null>((w, t) => (w === null || Number(t.worstLossReached) > Number(w.worstLossReached) ? t : w), null);
  const vsFrozen = trades.filter((t) => t.worstCaseLoss !== null && Number(t.worstCaseLoss) > 0).map((t) => Number(t.worstLossReached) / Number(t.worstCaseLoss));
  return {
    trades: done.length, wins: won.length, losses: lost.length, winRate: done.length ? won.length / done.length : null,
    grossPnl: sum(trades.map((t) => t.grossPnl)).toString(), fees: sum(trades.map((t) => t.fees)).toString(),
    funding: sum(trades.map((t) => t.funding)).toString(), netPnl: sum(trades.map((t) => t.netPnl)).toString(),
    profitFactor: lossSum.isZero() ? (wonSum.isZero() ? null : Infinity) : wonSum.div(lossSum).toNumber(),
    maxDrawdown: dd.abs.toFixed(8), maxDrawdownPct: dd.pct, ...ratios(hourlyReturns(equity)),
    exposure: exposureShare(exposures, span.start, span.end),
    worstLossVsFrozen: vsFrozen.length ? Math.max(...vsFrozen) : null,
    liquidationDistanceAtWorstPct: worst && Number(worst.worstLossReached) > 0 ? worst.liquidationDistancePct : null,
  };
}

// A symbol's own curve: starting balance plus its realised net PnL at each close.
function realisedCurve(balance: string, trades: readonly TradeRow[], start: number): Array<[number, string]> {
  let equity = new Decimal(balance);
  const curve: Array<[number, string]> = [[start, equity.toString()]];
  for (const t of [...trades].filter((x) => x.closedAt !== null).sort((a, b) => a.closedAt! - b.closedAt!)) {
    equity = equity.plus(t.netPnl);
    curve.push([t.closedAt!, equity.toString()]);
  }
  return curve;
}

function downsample(equity: readonly (readonly [number, string])[], max = 2_000): Array<[number, number]> {
  const every = Math.max(1, Math.ceil(equity.length / max));
  const out: Array<[number, number]> = [];
  for (let i = 0; i < equity.length; i += every) {
    const [t, e] = equity[Math.min(equity.length - 1, i + every - 1)]!;
    out.push([t, Number(e)]);
  }
  return out;
}

/** Builds the report of a run. */
export function buildReport(run: BacktestRun, o: { settings: Record<string, unknown>; balance: string }): BacktestReport {
  const trades = tradeRows(run);
  const span = { start: run.start, end: run.end };
  const symbols = [...new Set([...trades.map((t) => t.symbol), ...run.exposures.map((e) => e.symbol)])].sort();
  return {
    kind: 'kraite-backtest', settings: o.settings,
    range: { from: new Date(run.start).toISOString(), to: new Date(run.end).toISOString(), candles: run.candles },
    startingBalance: o.balance, finalBalance: run.equity.at(-1)?.[1] ?? o.balance,
    total: summarise(trades, run.equity, run.exposures, span),
    perSymbol: Object.fromEntries(symbols.map((s) => {
      const mine = trades.filter((t) => t.symbol === s);
      return [s, summarise(mine, realisedCurve(o.balance, mine, run.start), run.exposures.filter((e) => e.symbol === s), span)];
    })),
    trades, fills: run.fills, funding: run.funding, equity: downsample(run.equity), alerts: run.alerts.slice(0, 200),
  };
}
