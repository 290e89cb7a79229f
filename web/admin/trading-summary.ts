// The trading figures the dashboard leads with: open positions and their exposure at the mark,
// unrealised PnL from the break-even, realized net PnL today (the ledger's net_pnl), positions by
// state, failures in the last hour and each account's newest balance snapshot with its last day of
// equity. Decimal
// arithmetic throughout; a figure with no price to value it at says so instead of guessing.
import { dec } from '../../core/exchange/precision.ts';
import type { RowReader } from '../../core/steps/step-store.port.ts';
import { toPosition, type PositionRow } from '../../core/trading/position.ts';
import { POSITION_STATUSES, TERMINAL_POSITION_STATUSES, type PositionStatus } from '../../core/trading/statuses.ts';
import { TABLES } from '../../core/trading/tables.ts';

/** One account's newest balance snapshot (account_balances, every five minutes). */
export interface BalanceView {
  accountId: number;
  name: string;
  asset: string;
  balance: string;
  available: string;
  unrealizedPnl: string;
  takenAt: number;
  /** Equity (balance plus unrealised PnL) at each snapshot of the last day, oldest first: [unix seconds, value]. */
  equity: [number, number][];
}

/** Snapshots of one day, one every five minutes. */
const DAY_OF_SNAPSHOTS = 288;

/** What the dashboard's trading panels show. */
export interface TradingSummary {
  open: number;
  /** Sum of |quantity| × mark over open positions, in the quote asset. */
  exposure: string;
  /** Open positions with a quantity but no mark price (left out of exposure and unrealised PnL). */
  unpriced: number;
  unrealizedPnl: string;
  /** Net PnL (after fees and funding) of positions closed since 00:00 UTC, and how many. */
  realizedToday: string;
  closedToday: number;
  byState: Partial<Record<PositionStatus, number>>;
  /** Positions that ended `failed` in the last hour. */
  failedPositionsLastHour: number;
  balances: BalanceView[];
}

/** Midnight UTC of the day holding `now`. */
export const utcMidnight = (now: number): number => Math.floor(now / 86_400_000) * 86_400_000;

/** Unrealised PnL of one open position at `mark`: (mark − break-even) × quantity, sign by direction; null without the figures. */
export function unrealized(p: Pick<PositionRow, 'direction' | 'quantity' | 'breakEvenPrice' | 'openingPrice'>, mark: string | null): ReturnType<typeof dec> | null {
  const basis = p.breakEvenPrice ?? p.openingPrice;
  if (mark === null || p.quantity === null || basis === null) return null;
  const diff = dec(mark).minus(basis).times(dec(p.quantity).abs());
  return p.direction === 'LONG' ? diff : diff.negated();
}

const TERMINAL_SCAN = 5_000;

/** Reads the trading summary once. */
export async function tradingSummary(rows: RowReader, now: number): Promise<TradingSummary> {
  const open = (await rows.findRows(TABLES.positions, { is_open: 1 }, { desc: true, limit: 5_000 })).map(toPosition);
  const marks = new Map<string, string | null>();
  for (const s of await rows.findRows(TABLES.symbols, {})) marks.set(`${String(s.exchange)}:${String(s.symbol)}`, s.mark_price === null || s.mark_price === undefined ? null : String(s.mark_price));
  let exposure = dec(0);
  let upnl = dec(0);
  let unpriced = 0;
  for (const p of open) {
    if (p.quantity === null) continue;
    const mark = marks.get(`${p.exchange}:${p.symbol}`) ?? null;
    const u = unrealized(p, mark);
    if (mark === null || u === null) {
      unpriced++;
      continue;
    }
    exposure = exposure.plus(dec(p.quantity).abs().times(mark));
    upnl = upnl.plus(u);
  }
  const byState: Partial<Record<PositionStatus, number>> = {};
  for (const p of open) byState[p.status] = (byState[p.status] ?? 0) + 1;
  const midnight = utcMidnight(now);
  let realized = dec(0);
  let closedToday = 0;
  let failedLastHour = 0;
  for (const status of TERMINAL_POSITION_STATUSES) {
    // Newest first, a bounded scan: the day's terminal positions are far fewer than the bound.
    const terminal = (await rows.findRows(TABLES.positions, { status }, { desc: true, limit: TERMINAL_SCAN })).map(toPosition);
    const today = terminal.filter((p) => (p.closedAt ?? p.updatedAt) >= midnight);
    byState[status] = today.length;
    if (status === 'closed') {
      closedToday = today.length;
      for (const p of today) realized = realized.plus(p.netPnl ?? p.pnl ?? 0);
    }
    if (status === 'failed') failedLastHour = terminal.filter((p) => (p.closedAt ?? p.updatedAt) >= now - 3_600_000).length;
  }
  const balances: BalanceView[] = [];
  for (const a of await rows.findRows(TABLES.accounts, { removed_at: null }, { orderBy: 'id' })) {
    const day = await rows.findRows(TABLES.balances, { account_id: Number(a.id), asset: String(a.quote_asset) }, { orderBy: 'taken_at', desc: true, limit: DAY_OF_SNAPSHOTS });
    const b = day[0];
    const equity = day.filter((s) => Number(s.taken_at) >= now - 86_400_000).reverse()
      .map((s): [number, number] => [Math.floor(Number(s.taken_at) / 1000), dec(String(s.balance)).plus(String(s.unrealized_pnl)).toNumber()]);
    if (b) balances.push({ accountId: Number(a.id), name: String(a.name), asset: String(b.asset), balance: String(b.balance), available: String(b.available), unrealizedPnl: String(b.unrealized_pnl), takenAt: Number(b.taken_at), equity });
  }
  return {
    open: open.length, exposure: exposure.toFixed(2), unpriced, unrealizedPnl: upnl.toFixed(2), realizedToday: realized.toFixed(2), closedToday,
    byState: Object.fromEntries(POSITION_STATUSES.filter((s) => byState[s] !== undefined).map((s) => [s, byState[s]])), failedPositionsLastHour: failedLastHour, balances,
  };
}
