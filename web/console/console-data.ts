// What the console's pages read for the signed-in trader: their positions (filtered and paged),
// marks and tick sizes of the symbols, the latest balance snapshots, the orders of open positions,
// and the fingerprint the live stream compares.
import type { AccountRow } from '../../core/trading/account.ts';
import type { OrderRow } from '../../core/trading/order.ts';
import type { PositionRow } from '../../core/trading/position.ts';
import { getSymbol, listPositions, ordersOf } from '../../core/trading/reads.ts';
import { isOpenPosition } from '../../core/trading/statuses.ts';
import { TABLES } from '../../core/trading/tables.ts';
import type { StepStore } from '../../core/steps/step-store.port.ts';

/** How many positions per account the pages read (the summary's history). */
export const HISTORY_LIMIT = 2_000;
/** Balance snapshots per account on the chart (five-minute snapshots: a week and a bit). */
export const BALANCE_POINTS = 2_100;

/** One balance snapshot. */
export interface BalancePoint {
  balance: string;
  available: string;
  unrealized: string;
  at: number;
}

/** A symbol's mark price and tick size. */
export interface SymbolInfo {
  mark: string | null;
  tickSize: string | null;
}

/** Everything the home page shows. */
export interface ConsoleView {
  accounts: AccountRow[];
  positions: PositionRow[];
  symbols: Map<string, SymbolInfo>;
  balances: Map<number, BalancePoint[]>;
  /** Orders of each open position (take-profit and stop distances). */
  openOrders: Map<number, OrderRow[]>;
}

const str = (v: unknown) => (v === null || v === undefined ? '0' : String(v));

/** An account's balance snapshots, oldest first. */
export async function balancesOf(store: StepStore, accountId: number, limit = BALANCE_POINTS): Promise<BalancePoint[]> {
  const rows = await store.findRows(TABLES.balances, { account_id: accountId }, { orderBy: 'taken_at', desc: true, limit });
  return rows.reverse().map((r) => ({ balance: str(r.balance), available: str(r.available), unrealized: str(r.unrealized_pnl), at: Number(r.taken_at) }));
}

/** Mark price and tick size of each symbol. */
export async function symbolInfo(store: StepStore, symbols: Iterable<string>): Promise<Map<string, SymbolInfo>> {
  const out = new Map<string, SymbolInfo>();
  for (const s of new Set(symbols)) {
    const row = await getSymbol(store, s);
    out.set(s, { mark: row?.markPrice ?? null, tickSize: row?.tickSize ?? null });
  }
  return out;
}

/** Reads the home page's rows for `accounts`. */
export async function loadConsoleView(store: StepStore, accounts: AccountRow[]): Promise<ConsoleView> {
  const positions = (await Promise.all(accounts.map((a) => listPositions(store, { accountId: a.id, limit: HISTORY_LIMIT })))).flat()
    .sort((a, b) => (b.openedAt ?? b.createdAt) - (a.openedAt ?? a.createdAt) || b.id - a.id);
  const open = positions.filter((p) => isOpenPosition(p.status));
  const openOrders = new Map(await Promise.all(open.map(async (p) => [p.id, await ordersOf(store, p.id)] as const)));
  const balances = new Map(await Promise.all(accounts.map(async (a) => [a.id, await balancesOf(store, a.id)] as const)));
  return { accounts, positions, symbols: await symbolInfo(store, positions.map((p) => p.symbol)), balances, openOrders };
}

/**
 * A string that changes whenever a console page of these accounts would: each position's status
 * and last write, each open position's orders' last writes (fills), and the newest balance snapshot.
 */
export async function consoleFingerprint(store: StepStore, accountIds: number[]): Promise<string> {
  const parts: string[] = [];
  for (const accountId of accountIds) {
    const positions = await listPositions(store, { accountId, limit: 200 });
    for (const p of positions) {
      parts.push(`${p.id}:${p.status}:${p.updatedAt}`);
      if (isOpenPosition(p.status)) parts.push(...(await ordersOf(store, p.id)).map((o) => `o${o.id}:${o.status}:${o.executedQty ?? ''}:${o.updatedAt}`));
    }
    const [latest] = await store.findRows(TABLES.balances, { account_id: accountId }, { orderBy: 'taken_at', desc: true, limit: 1 });
    parts.push(`b${accountId}:${latest ? String(latest.taken_at) : '-'}`);
  }
  return parts.join('|');
}
