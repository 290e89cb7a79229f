// The one way anything the exchange says about an order reaches its row. Placement answers, stream
// frames, polls and look-ups arrive in any order, duplicated or late; the merge only moves a row
// forward — status rank, executed quantity, average price, exchange id — and fills in what a
// terminal row still lacks, so no source's news is lost because another source wrote first.
//
// The write is conditional on exactly the fields the merge was computed from. If another writer
// moved the row in between, the update matches nothing, the transaction rolls back and the step
// runs again on a fresh read: the merge is then recomputed on top of what the other writer left.
import { compareDecimal, dec, toDecimalString } from '../exchange/precision.ts';
import type { UpdateEffect } from '../steps/effects.ts';
import type { OrderEcho, OrderWriteOptions } from './order-effects.ts';
import { ORDER_CODEC, type OrderRow } from './order.ts';
import { encodeRow } from './row-codec.ts';
import { isTerminalOrder, type LocalOrderStatus } from './statuses.ts';
import { TABLES } from './tables.ts';

// A status moves only up this ladder; every terminal status shares the top rung and never changes.
const RANK: Record<LocalOrderStatus, number> = { pending: 0, working: 1, partially_filled: 2, filled: 3, cancelled: 3, expired: 3, rejected: 3 };

/** The order fields the merge may write. */
export type MergedFields = Partial<Pick<OrderRow,
  'exchangeOrderId' | 'status' | 'exchangeStatus' | 'exchangePrice' | 'exchangeQuantity' | 'executedQty' | 'avgPrice' | 'exchangeUpdatedAt' | 'commission'>>;

/** The one trade a stream frame reports (Binance's `l` last filled quantity and `n` its commission). */
export interface TradeReport {
  qty: string;
  commission: string;
}

/**
 * What the merge takes: an echo, or fill evidence (trades) that knows only some fields. Absent
 * fields change nothing. `commission` is the total commission of `executedQty` (from the trades);
 * `trade` is the single trade a frame reports, which ends at `executedQty`.
 */
export type MergeInput = Pick<OrderEcho, 'status'> & Partial<Omit<OrderEcho, 'status'>> & { commission?: string; trade?: TradeReport };

const DECIMALS = new Set<keyof MergedFields>(['exchangePrice', 'exchangeQuantity', 'executedQty', 'avgPrice', 'commission']);
const more = (a: string | undefined, b: string | null) => a !== undefined && (b === null || compareDecimal(a, b) > 0);
const same = (a: string | null | undefined, b: string | null) => (a ?? null) === b || (a != null && b !== null && compareDecimal(a, b) === 0);

// A row's commission is always that of its executed quantity, or null when unknown. The echo knows
// the commission of the quantity the row ends with when it carries the total (trades), when its one
// trade is the whole fill, or when its trade is the very next one after what the row holds and the
// row's commission is known. A duplicated or late frame moves no quantity and adds nothing; a fill
// that arrives without its commission leaves it unknown until the trades (poll or ledger) fill it in.
function commissionFor(row: OrderRow, echo: MergeInput, filledMore: boolean): string | null | undefined {
  const held = row.executedQty ?? '0';
  const qty = filledMore ? echo.executedQty! : held;
  if (echo.executedQty !== undefined && compareDecimal(echo.executedQty, qty) === 0 && compareDecimal(qty, 0) > 0) {
    if (echo.commission !== undefined) return echo.commission;
    const trade = echo.trade;
    if (trade && compareDecimal(trade.qty, qty) === 0) return trade.commission;
    const before = compareDecimal(held, 0) === 0 ? '0' : row.commission;
    if (trade && filledMore && before !== null && compareDecimal(dec(held).plus(trade.qty), qty) === 0) return toDecimalString(dec(before).plus(trade.commission));
  }
  return filledMore ? null : undefined;
}

/**
 * What `echo` adds to `row`, or null when it adds nothing. Forward only: a status of a higher rank,
 * a larger executed quantity (with the average price and commission that go with it), the exchange
 * id when none is stored; the echo's price, quantity and status text when it is not older than what is stored;
 * and on a terminal row only the fields it still lacks.
 */
export function mergeFields(row: OrderRow, echo: MergeInput): MergedFields | null {
  const terminal = isTerminalOrder(row.status);
  const advanced = !terminal && RANK[echo.status] > RANK[row.status];
  const fresh = advanced || (!terminal && echo.updatedAt !== undefined && RANK[echo.status] === RANK[row.status] && echo.updatedAt >= (row.exchangeUpdatedAt ?? -Infinity));
  const filledMore = more(echo.executedQty, row.executedQty);
  const take = <K extends keyof MergedFields>(key: K, value: MergedFields[K] | undefined, when: boolean) => {
    if (value !== undefined && when) out[key] = value;
  };
  const out: MergedFields = {};
  take('exchangeOrderId', echo.exchangeOrderId, row.exchangeOrderId === null);
  take('status', echo.status, advanced);
  take('exchangeStatus', echo.exchangeStatus, fresh || row.exchangeStatus === null);
  take('exchangePrice', echo.price, fresh || row.exchangePrice === null);
  take('exchangeQuantity', echo.quantity, fresh || row.exchangeQuantity === null);
  take('exchangeUpdatedAt', echo.updatedAt, fresh || row.exchangeUpdatedAt === null);
  take('executedQty', echo.executedQty, filledMore);
  // The average belongs to an executed quantity: a newer total brings its own, otherwise fill a gap only.
  take('avgPrice', echo.avgPrice, filledMore || row.avgPrice === null);
  take('commission', commissionFor(row, echo, filledMore), true);
  for (const key of Object.keys(out) as (keyof MergedFields)[]) {
    const now = row[key];
    const next = out[key];
    const unchanged = DECIMALS.has(key) ? same(next as string | undefined, now as string | null) : next === now;
    if (unchanged) delete out[key];
  }
  // A newer stamp alone is no news: a poll of an unchanged order writes nothing.
  if (Object.keys(out).length === 1 && out.exchangeUpdatedAt !== undefined) return null;
  return Object.keys(out).length === 0 ? null : out;
}

/**
 * The conditional write of a merge, or null when the echo brings nothing new. `required` defaults
 * to true: a miss means another source moved the row since it was read, and the step must merge
 * again on a fresh read rather than drop this source's news.
 */
export function mergeEcho(row: OrderRow, echo: MergeInput, options: OrderWriteOptions): UpdateEffect | null {
  const fields = mergeFields(row, echo);
  if (!fields) return null;
  const where = {
    client_order_id: row.clientOrderId,
    ...encodeRow(TABLES.orders, ORDER_CODEC, {
      status: row.status, exchangeOrderId: row.exchangeOrderId, executedQty: row.executedQty, avgPrice: row.avgPrice, exchangeUpdatedAt: row.exchangeUpdatedAt,
    }),
  };
  return { kind: 'update', table: TABLES.orders, where, set: encodeRow(TABLES.orders, ORDER_CODEC, { ...fields, updatedAt: options.at }), required: options.required ?? true };
}

/** mergeEcho as a list (empty when there is nothing new), for handlers that collect effects. */
export function mergeEffects(row: OrderRow, echo: MergeInput, options: OrderWriteOptions): UpdateEffect[] {
  const effect = mergeEcho(row, echo, options);
  return effect ? [effect] : [];
}
