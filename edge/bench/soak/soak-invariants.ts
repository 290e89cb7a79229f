// The invariants of the fault soak, checked against the simulator's own account state (its orders,
// algo orders, legs and trades — never through REST) and the store's rows. Two run during the
// faulty phase after every settle (they must hold at every moment: the ladder, the stop); all are
// checked once more at the end, after the faults are off and the polls have run.
import { D, type Dec } from '../../../core/sim/decimal.ts';
import { dec } from '../../../core/sim/decimal.ts';
import type { SimAccount } from '../../../core/sim/accounts.ts';
import type { SimExchange } from '../../../core/sim/sim-exchange.ts';
import type { Step } from '../../../core/steps/step.ts';
import { TERMINAL_STATES } from '../../../core/steps/step.ts';
import type { OrderRow } from '../../../core/trading/order.ts';
import type { PositionRow } from '../../../core/trading/position.ts';
import { isOpenPosition, TERMINAL_POSITION_STATUSES } from '../../../core/trading/statuses.ts';

/** Every invariant class, in the order the report prints them. */
export const INVARIANT_CLASSES = [
  'client-id-twice', 'ladder-grew', 'exposure-without-stop', 'ours-on-flat-or-closed-pair', 'quantity-mismatch',
  'tp-not-covering', 'pnl-mismatch', 'fee-mismatch', 'position-stuck', 'step-not-terminal',
] as const;
/** One invariant class. */
export type InvariantClass = (typeof INVARIANT_CLASSES)[number];

/** One broken invariant. */
export interface Violation {
  invariant: InvariantClass;
  /** What makes two sightings the same violation (a position, a symbol); the detail when absent. */
  key?: string;
  /** Clock offset from the run's start when it was seen, ms. */
  at: number;
  detail: string;
}

/** What the checks read: the simulator's account and the store's rows at one moment. */
export interface SoakSnapshot {
  sim: SimExchange;
  apiKey: string;
  positions: PositionRow[];
  orders: OrderRow[];
  /** Only for the final check. */
  steps?: Step[];
  now: number;
  startedAt: number;
}

const TOLERANCE = dec('0.00000001');

function rowIndex(orders: readonly OrderRow[]): Map<string, OrderRow> {
  return new Map(orders.map((o) => [o.clientOrderId, o]));
}

function legAmount(account: SimAccount, symbol: string): Dec {
  return account.legsOf(symbol).reduce((s, l) => s.plus(l.amount), D(0));
}

/** The ladder on the exchange may never outgrow the one frozen at activation. */
export function checkLadder(s: SoakSnapshot): Violation[] {
  const account = s.sim.account(s.apiKey)!;
  const orders = s.orders;
  const byClient = rowIndex(orders);
  const frozen = new Map<number, Dec>();
  for (const o of orders) if (o.role === 'rung' && o.replacement === 0) frozen.set(o.positionId, (frozen.get(o.positionId) ?? D(0)).plus(o.quantity ?? 0));
  // Exposure the exchange's rung orders of a position can ever reach: what filled plus what still rests.
  const reach = new Map<number, Dec>();
  for (const o of account.orders.values()) {
    const row = byClient.get(o.clientOrderId);
    if (!row || row.role !== 'rung') continue;
    const open = o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';
    reach.set(row.positionId, (reach.get(row.positionId) ?? D(0)).plus(open ? o.origQty : o.executedQty));
  }
  const out: Violation[] = [];
  for (const [positionId, qty] of reach) {
    const limit = frozen.get(positionId) ?? D(0);
    if (qty.greaterThan(limit)) out.push({ invariant: 'ladder-grew', key: `position ${positionId}`, at: s.now - s.startedAt, detail: `position ${positionId}: rungs on the exchange reach ${qty} > frozen ladder ${limit}` });
  }
  return out;
}

/** Exposure without a working stop of ours on its side, outside the open and cancel windows. */
export function checkStops(s: SoakSnapshot): Violation[] {
  const account = s.sim.account(s.apiKey)!;
  const positions = s.positions;
  const byClient = rowIndex(s.orders);
  const out: Violation[] = [];
  for (const symbol of new Set([...account.legs.values()].map((l) => l.symbol))) {
    const amount = legAmount(account, symbol);
    if (amount.isZero()) continue;
    const side = amount.isPositive() ? 'SELL' : 'BUY';
    const guarded = account.workingAlgos(symbol).some((a) => a.side === side && byClient.get(a.clientAlgoId)?.role === 'stop'
      && (a.closePosition || (a.quantity ?? D(0)).greaterThanOrEqualTo(amount.abs())));
    if (guarded) continue;
    const open = positions.find((p) => p.symbol === symbol && isOpenPosition(p.status));
    // Before the stop is placed (opening) and while a failed open is unwound (cancelling) exposure is bare by design.
    if (open && (open.status === 'new' || open.status === 'opening' || open.status === 'cancelling')) continue;
    out.push({ invariant: 'exposure-without-stop', key: `${symbol} ${open?.id ?? 'none'}`, at: s.now - s.startedAt, detail: `${symbol} holds ${amount} with no working stop${open ? ` (position ${open.id} ${open.status})` : ' and no open position'}` });
  }
  return out;
}

/** The exchange's realised PnL, fees and funding of one position's orders. */
export function exchangeLedger(sim: SimExchange, apiKey: string, position: PositionRow, rows: readonly OrderRow[]): { gross: Dec; fees: Dec; funding: Dec; net: Dec; closingPrice: Dec | null } {
  const account = sim.account(apiKey)!;
  const ours = new Set(rows.filter((r) => r.positionId === position.id).map((r) => r.clientOrderId));
  let gross = D(0);
  let fees = D(0);
  let exitQty = D(0);
  let exitValue = D(0);
  for (const t of account.trades) {
    const order = account.orders.get(t.orderId);
    if (!order || !ours.has(order.clientOrderId)) continue;
    gross = gross.plus(t.realizedPnl);
    fees = fees.plus(t.commission);
    const exit = (position.direction === 'LONG') === (t.side === 'SELL');
    if (exit) {
      exitQty = exitQty.plus(t.qty);
      exitValue = exitValue.plus(t.qty.times(t.price));
    }
  }
  const funding = exchangeFunding(sim, apiKey, position);
  return { gross, fees, funding, net: gross.minus(fees).plus(funding), closingPrice: exitQty.isZero() ? null : exitValue.div(exitQty) };
}

// Funding the simulator's income history charged the symbol while the position was open (none
// until the simulator charges funding; read through its in-process endpoint, no faults).
function exchangeFunding(sim: SimExchange, apiKey: string, position: PositionRow): Dec {
  const rows = sim.call('GET', '/fapi/v1/income', {
    symbol: position.symbol, incomeType: 'FUNDING_FEE', startTime: String(position.openedAt ?? position.createdAt),
    endTime: String(position.closedAt ?? sim.now()), limit: '1000',
  }, apiKey) as { income: string }[];
  return rows.reduce((s, r) => s.plus(r.income), D(0));
}

/**
 * What our books say a closed position made: the ledger columns (gross_pnl, fees, funding,
 * net_pnl; fees stored positive, net = gross − fees + funding, the exchange's convention) and
 * `pnl`, which carries the net figure for readers that predate the ledger.
 */
export function localLedger(p: PositionRow): { gross: string | null; fees: string | null; funding: string | null; net: string | null; pnl: string | null } {
  return { gross: p.grossPnl, fees: p.fees, funding: p.funding, net: p.netPnl, pnl: p.pnl };
}

const show = (d: Dec) => d.toDecimalPlaces(8).toString();

/**
 * A fill's fee, once our row knows it, is the exchange's commission of exactly the quantity the row
 * has filled: no duplicated, replayed or reordered frame counted twice or skipped. A row whose
 * quantity is not a run of its order's first trades (it lags mid-trade) has nothing to compare yet.
 */
export function checkFees(s: SoakSnapshot): Violation[] {
  const account = s.sim.account(s.apiKey)!;
  const trades = new Map<string, { qty: Dec; commission: Dec }[]>();
  for (const t of [...account.trades].sort((a, b) => a.id - b.id)) {
    const order = account.orders.get(t.orderId);
    if (order) trades.set(order.clientOrderId, [...(trades.get(order.clientOrderId) ?? []), t]);
  }
  const out: Violation[] = [];
  for (const row of s.orders) {
    if (row.commission === null || row.executedQty === null) continue;
    const filled = dec(row.executedQty);
    let qty = D(0);
    let fee = D(0);
    for (const t of trades.get(row.clientOrderId) ?? []) {
      if (qty.greaterThanOrEqualTo(filled)) break;
      qty = qty.plus(t.qty);
      fee = fee.plus(t.commission);
    }
    if (!qty.equals(filled)) continue;
    if (differs(row.commission, fee)) {
      out.push({ invariant: 'fee-mismatch', key: row.clientOrderId, at: s.now - s.startedAt, detail: `${row.clientOrderId} (${row.status}, ${row.executedQty} filled): fee ${row.commission}, exchange ${show(fee)}` });
    }
  }
  return out;
}

function differs(local: string | null | undefined, exchange: Dec): boolean {
  return local === null || local === undefined || dec(local).minus(exchange).abs().greaterThan(TOLERANCE);
}

/** Every check of the end of a run. */
export function checkFinal(s: SoakSnapshot): Violation[] {
  const at = s.now - s.startedAt;
  const account = s.sim.account(s.apiKey)!;
  const positions = s.positions;
  const orders = s.orders;
  const byClient = rowIndex(orders);
  const byId = new Map(positions.map((p) => [p.id, p]));
  const out: Violation[] = [...checkLadder(s), ...checkStops(s), ...checkFees(s)];
  const v = (invariant: InvariantClass, detail: string) => out.push({ invariant, at, detail });

  const seen = new Map<string, number>();
  for (const o of account.orders.values()) if (!o.algoId) seen.set(`order ${o.clientOrderId}`, (seen.get(`order ${o.clientOrderId}`) ?? 0) + 1);
  for (const a of account.algoOrders.values()) seen.set(`algo ${a.clientAlgoId}`, (seen.get(`algo ${a.clientAlgoId}`) ?? 0) + 1);
  for (const [id, n] of seen) if (n > 1) v('client-id-twice', `${id} placed ${n} times`);

  const working = [
    ...account.working().map((o) => ({ symbol: o.symbol, clientId: o.clientOrderId })),
    ...account.workingAlgos().map((a) => ({ symbol: a.symbol, clientId: a.clientAlgoId })),
  ];
  for (const w of working) {
    const row = byClient.get(w.clientId);
    const position = row ? byId.get(row.positionId) : undefined;
    const flat = legAmount(account, w.symbol).isZero();
    if (!position) v('ours-on-flat-or-closed-pair', `${w.clientId} on ${w.symbol} works with no row in our books`);
    else if (!isOpenPosition(position.status)) v('ours-on-flat-or-closed-pair', `${w.clientId} still works for position ${position.id}, ${position.status}`);
    else if (flat) v('ours-on-flat-or-closed-pair', `${w.clientId} still works on flat ${w.symbol} (position ${position.id} ${position.status})`);
  }

  const openSymbols = new Set(positions.filter((p) => isOpenPosition(p.status)).map((p) => p.symbol));
  for (const symbol of new Set([...account.legs.values()].map((l) => l.symbol))) {
    const amount = legAmount(account, symbol);
    if (!amount.isZero() && !openSymbols.has(symbol)) v('quantity-mismatch', `${symbol}: exchange holds ${amount} with no open position`);
  }
  for (const p of positions.filter((x) => x.status === 'active')) {
    const held = legAmount(account, p.symbol).abs();
    if (differs(p.quantity, held)) v('quantity-mismatch', `position ${p.id} ${p.symbol}: ours ${p.quantity ?? 'null'}, exchange ${held}`);
    const tps = account.working(p.symbol).filter((o) => byClient.get(o.clientOrderId)?.role === 'profit' && byClient.get(o.clientOrderId)?.positionId === p.id);
    const covered = tps.reduce((sum, o) => sum.plus(o.origQty.minus(o.executedQty)), D(0));
    if (!held.isZero() && !covered.equals(held)) v('tp-not-covering', `position ${p.id} ${p.symbol}: take-profit covers ${covered} of ${held}`);
  }

  for (const p of positions.filter((x) => x.status === 'closed')) {
    const ex = exchangeLedger(s.sim, s.apiKey, p, orders);
    const local = localLedger(p);
    const wrong: string[] = [];
    if (differs(local.gross, ex.gross)) wrong.push(`gross ${local.gross ?? 'null'} vs ${show(ex.gross)}`);
    if (differs(local.fees, ex.fees)) wrong.push(`fees ${local.fees ?? 'null'} vs ${show(ex.fees)}`);
    if (differs(local.funding, ex.funding)) wrong.push(`funding ${local.funding ?? 'null'} vs ${show(ex.funding)}`);
    if (differs(local.net, ex.net)) wrong.push(`net ${local.net ?? 'null'} vs ${show(ex.net)}`);
    if (differs(local.pnl, ex.net)) wrong.push(`pnl ${local.pnl ?? 'null'} vs net ${show(ex.net)}`);
    if (ex.closingPrice && differs(p.closingPrice, ex.closingPrice)) wrong.push(`closing price ${p.closingPrice ?? 'null'} vs ${show(ex.closingPrice)}`);
    if (wrong.length) v('pnl-mismatch', `position ${p.id} ${p.symbol} (${p.statusReason ?? ''}): ${wrong.join('; ')}`);
  }

  for (const p of positions.filter((x) => x.status !== 'active' && !TERMINAL_POSITION_STATUSES.includes(x.status))) {
    v('position-stuck', `position ${p.id} ${p.symbol} still ${p.status} (${p.statusReason ?? 'no reason'}) since +${((p.updatedAt - s.startedAt) / 1000).toFixed(0)}s`);
  }
  for (const step of s.steps ?? []) {
    if (!TERMINAL_STATES.has(step.state)) v('step-not-terminal', `step ${step.id} ${step.handler} ${step.state}${step.errorMessage ? `: ${step.errorMessage}` : ''}`);
  }
  return out;
}
