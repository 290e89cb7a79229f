// The trader's profit figures, computed from the ledger's rows (decimal.js, never floats): realized
// net PnL over windows, win rate, profit factor, max drawdown, best and worst symbol, and the open
// book's exposure and unrealised PnL at the latest mark price. Pure: the pages and tests share it.
import { dec, toDecimalString } from '../../core/exchange/precision.ts';
import type { OrderRow } from '../../core/trading/order.ts';
import type { PositionRow } from '../../core/trading/position.ts';
import { isOpenPosition } from '../../core/trading/statuses.ts';

type Dec = ReturnType<typeof dec>;
const DAY = 86_400_000;

/** One account's (or the total's) profit figures, as decimal strings. */
export interface ProfitSummary {
  today: string;
  week: string;
  month: string;
  all: string;
  trades: number;
  wins: number;
  /** Wins over trades, 0..1; null without trades. */
  winRate: number | null;
  /** Gross wins over gross losses; null without a losing trade. */
  profitFactor: string | null;
  /** The largest fall of cumulative realized PnL from a previous peak (positive or zero). */
  maxDrawdown: string;
  best: { symbol: string; pnl: string } | null;
  worst: { symbol: string; pnl: string } | null;
  /** Open notional at mark (quantity × mark), summed. */
  exposure: string;
  unrealized: string;
  openPositions: number;
}

/** A position's booked net PnL (net_pnl, or pnl for rows written before the ledger). */
export function netOf(p: PositionRow): string | null {
  return p.netPnl ?? p.pnl;
}

/** Whether a position counts as a realized trade: terminal and its books written. */
export function isRealized(p: PositionRow): boolean {
  return !isOpenPosition(p.status) && netOf(p) !== null && p.closedAt !== null;
}

/** What an open position holds by its fills: quantity and average entry price (null before any fill). */
export function heldByFills(p: PositionRow, orders: readonly OrderRow[]): { qty: string; avg: string } | null {
  const entrySide = p.direction === 'LONG' ? 'BUY' : 'SELL';
  let boughtQty = dec(0);
  let cost = dec(0);
  let soldQty = dec(0);
  for (const o of orders) {
    if (o.executedQty === null || dec(o.executedQty).isZero()) continue;
    const px = o.avgPrice ?? o.price;
    if (o.side === entrySide && px !== null) {
      boughtQty = boughtQty.plus(o.executedQty);
      cost = cost.plus(dec(o.executedQty).times(px));
    } else if (o.side !== entrySide) soldQty = soldQty.plus(o.executedQty);
  }
  if (boughtQty.isZero()) return null;
  return { qty: toDecimalString(boughtQty.minus(soldQty)), avg: toDecimalString(cost.div(boughtQty)) };
}

/**
 * The unrealised PnL of an open position at `mark`: from its fills (every rung included) when its
 * orders are given, else from the opening price and quantity.
 */
export function unrealizedOf(p: PositionRow, mark: string | null, orders?: readonly OrderRow[]): string | null {
  if (!isOpenPosition(p.status) || mark === null) return null;
  const held = orders ? heldByFills(p, orders) : null;
  const entry = held?.avg ?? p.openingPrice;
  const qty = held?.qty ?? p.quantity;
  if (entry === null || qty === null) return null;
  const move = dec(mark).minus(entry).times(qty);
  return toDecimalString(p.direction === 'LONG' ? move : move.negated());
}

/** The UTC midnight at or before `at`. */
export function utcDay(at: number): number {
  return Math.floor(at / DAY) * DAY;
}

/** The figures of `positions` at `now`, marks by symbol. */
export function profitSummary(positions: readonly PositionRow[], marks: ReadonlyMap<string, string | null>, now: number, orders: ReadonlyMap<number, readonly OrderRow[]> = new Map()): ProfitSummary {
  const realized = positions.filter(isRealized).sort((a, b) => a.closedAt! - b.closedAt! || a.id - b.id);
  const sumSince = (from: number) => toDecimalString(realized.filter((p) => p.closedAt! >= from).reduce((s, p) => s.plus(netOf(p)!), dec(0)));
  let wins = 0;
  let won = dec(0);
  let lost = dec(0);
  let cumulative = dec(0);
  let peak = dec(0);
  let drawdown = dec(0);
  const bySymbol = new Map<string, Dec>();
  for (const p of realized) {
    const net = dec(netOf(p)!);
    if (net.gt(0)) {
      wins += 1;
      won = won.plus(net);
    } else lost = lost.plus(net.negated());
    cumulative = cumulative.plus(net);
    peak = peak.gt(cumulative) ? peak : cumulative;
    drawdown = peak.minus(cumulative).gt(drawdown) ? peak.minus(cumulative) : drawdown;
    bySymbol.set(p.symbol, (bySymbol.get(p.symbol) ?? dec(0)).plus(net));
  }
  const ranked = [...bySymbol].sort((a, b) => b[1].comparedTo(a[1]) || a[0].localeCompare(b[0]));
  const open = positions.filter((p) => isOpenPosition(p.status));
  let exposure = dec(0);
  let unrealized = dec(0);
  for (const p of open) {
    const mark = marks.get(p.symbol) ?? null;
    const own = orders.get(p.id);
    const qty = (own && heldByFills(p, own)?.qty) ?? p.quantity;
    if (mark !== null && qty !== null) exposure = exposure.plus(dec(qty).times(mark));
    const u = unrealizedOf(p, mark, own);
    if (u !== null) unrealized = unrealized.plus(u);
  }
  return {
    today: sumSince(utcDay(now)), week: sumSince(now - 7 * DAY), month: sumSince(now - 30 * DAY), all: sumSince(-Infinity),
    trades: realized.length, wins, winRate: realized.length ? wins / realized.length : null,
    profitFactor: lost.isZero() ? null : toDecimalString(won.div(lost).toDecimalPlaces(2)),
    maxDrawdown: toDecimalString(drawdown),
    best: ranked.length ? { symbol: ranked[0]![0], pnl: toDecimalString(ranked[0]![1]) } : null,
    worst: ranked.length ? { symbol: ranked.at(-1)![0], pnl: toDecimalString(ranked.at(-1)![1]) } : null,
    exposure: toDecimalString(exposure), unrealized: toDecimalString(unrealized), openPositions: open.length,
  };
}

/** Cumulative realized PnL as [seconds, value] points (one per second: the chart needs distinct times). */
export function cumulativeSeries(positions: readonly PositionRow[]): [number, number][] {
  const points = new Map<number, Dec>();
  let total = dec(0);
  const realized = positions.filter(isRealized).sort((a, b) => a.closedAt! - b.closedAt! || a.id - b.id);
  // The line starts at zero when the first trade opened, so a single trade still draws a line.
  const first = realized[0];
  if (first) points.set(Math.floor(Math.min(first.openedAt ?? first.closedAt!, first.closedAt! - 1000) / 1000), dec(0));
  for (const p of realized) {
    total = total.plus(netOf(p)!);
    points.set(Math.floor(p.closedAt! / 1000), total);
  }
  return [...points].map(([t, v]) => [t, v.toNumber()]);
}

/** Realized PnL per UTC day as [seconds of the day's start, value]. */
export function dailySeries(positions: readonly PositionRow[]): [number, number][] {
  const days = new Map<number, Dec>();
  for (const p of positions.filter(isRealized)) {
    const day = utcDay(p.closedAt!) / 1000;
    days.set(day, (days.get(day) ?? dec(0)).plus(netOf(p)!));
  }
  return [...days].sort((a, b) => a[0] - b[0]).map(([t, v]) => [t, v.toNumber()]);
}
