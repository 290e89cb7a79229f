// The reconciliation pass after a restore: per account, what the exchange holds of ours (orders
// recognised by the deterministic client id, k-<position>-<role>) that the restored books do not.
// Where it is safe the books adopt it (a position's entry, rungs and protection by client id, or a
// missing order of a position the books hold open); the rest is reported for the operator. Only
// reads reach the exchange here: nothing is placed, modified or cancelled.
import { parseClientOrderId, type ParsedClientOrderId } from '../../core/exchange/client-order-id.ts';
import type { AlgoOrder, ExchangePort, Order, Position } from '../../core/exchange/exchange.port.ts';
import { dec } from '../../core/exchange/precision.ts';
import type { StepStore } from '../../core/steps/step-store.port.ts';
import type { AccountRow } from '../../core/trading/account.ts';
import type { ExchangeDirectory } from '../../core/trading/exchange-directory.ts';
import { ORDER_CODEC, toOrder, type OrderRow } from '../../core/trading/order.ts';
import { POSITION_CODEC, toPosition, type PositionRow } from '../../core/trading/position.ts';
import { allAccounts } from '../../core/trading/reads.ts';
import { encodeRow } from '../../core/trading/row-codec.ts';
import { orderStatusFromExchange, type Direction } from '../../core/trading/statuses.ts';
import { TABLES } from '../../core/trading/tables.ts';

/** A position the books adopted from the exchange. */
export interface AdoptedPosition {
  positionId: number;
  symbol: string;
  direction: Direction;
  quantity: string;
  /** Client ids of the order rows written for it (entry, rungs, protection). */
  orders: string[];
}

/** Something of ours on the exchange the books do not hold and the pass left alone. */
export interface Unadopted {
  symbol: string;
  clientOrderIds: string[];
  reason: string;
}

/** One account's reconciliation. */
export interface AccountReconciliation {
  accountId: number;
  name: string;
  adoptedPositions: AdoptedPosition[];
  /** Orders of a position the books hold open, written into the books. */
  adoptedOrders: { positionId: number; clientOrderId: string }[];
  unadopted: Unadopted[];
  /** Exchange positions with no order of ours: manual or foreign exposure. */
  foreignPositions: { symbol: string; positionAmt: string }[];
  /** Positions open in the books with no exposure on the exchange (drift looks at them once trading is on). */
  booksOnly: { positionId: number; symbol: string; status: string }[];
  /** Why the account could not be reconciled (exchange unreachable, key refused). */
  error?: string;
}

/** The fleet's reconciliation. */
export interface ReconciliationReport {
  accounts: AccountReconciliation[];
  /** The highest position id seen in a client id of ours: new positions must number above it. */
  highestPositionId: number;
}

type Working = { clientId: string; parsed: ParsedClientOrderId } & ({ kind: 'order'; order: Order } | { kind: 'algo'; algo: AlgoOrder });

/** Reconciles every account in use against its exchange. */
export async function reconcileRestoredFleet(o: { store: StepStore; exchanges: ExchangeDirectory; now: () => number; prefix?: string; newUuid?: () => string }): Promise<ReconciliationReport> {
  const report: ReconciliationReport = { accounts: [], highestPositionId: 0 };
  for (const account of await allAccounts(o.store)) {
    const entry: AccountReconciliation = { accountId: account.id, name: account.name, adoptedPositions: [], adoptedOrders: [], unadopted: [], foreignPositions: [], booksOnly: [] };
    report.accounts.push(entry);
    try {
      const highest = await reconcileAccount(o, account, await o.exchanges.forAccount(account), entry);
      report.highestPositionId = Math.max(report.highestPositionId, highest);
    } catch (error) {
      entry.error = (error as Error).message;
    }
  }
  return report;
}

const OPEN_STATUSES = new Set(['new', 'opening', 'active', 'syncing', 'waping', 'closing', 'cancelling']);

async function reconcileAccount(
  o: { store: StepStore; now: () => number; prefix?: string; newUuid?: () => string }, account: AccountRow, ex: ExchangePort, out: AccountReconciliation,
): Promise<number> {
  const prefix = o.prefix ?? 'k';
  const [positions, orders, legs, openOrders, openAlgos] = await Promise.all([
    o.store.findRows(TABLES.positions, { account_id: account.id }).then((r) => r.map(toPosition)),
    o.store.findRows(TABLES.orders, { account_id: account.id }).then((r) => r.map(toOrder)),
    ex.getPositions(), ex.getOpenOrders(), ex.getOpenAlgoOrders(),
  ]);
  const byId = new Map(positions.map((p) => [p.id, p]));
  const known = new Set(orders.map((r) => r.clientOrderId));
  const exposure = new Map<string, Position[]>();
  for (const l of legs) if (dec(l.positionAmt).abs().gt(0)) exposure.set(l.symbol, [...(exposure.get(l.symbol) ?? []), l]);

  // Every working order of ours, grouped by the position its client id names.
  const groups = new Map<string, Working[]>();
  const add = (w: Working) => groups.set(w.parsed.positionToken, [...(groups.get(w.parsed.positionToken) ?? []), w]);
  for (const order of openOrders) {
    const parsed = parseClientOrderId(order.clientOrderId, prefix);
    if (parsed) add({ kind: 'order', order, clientId: order.clientOrderId, parsed });
  }
  for (const algo of openAlgos) {
    const parsed = parseClientOrderId(algo.clientAlgoId, prefix);
    if (parsed) add({ kind: 'algo', algo, clientId: algo.clientAlgoId, parsed });
  }

  let highest = 0;
  const ours = new Set<string>();
  for (const [token, group] of groups) {
    const symbol = symbolOf(group[0]!);
    ours.add(symbol);
    const unknown = group.filter((w) => !known.has(w.clientId));
    if (!/^\d+$/.test(token)) {
      if (unknown.length) out.unadopted.push({ symbol, clientOrderIds: unknown.map((w) => w.clientId), reason: 'the client id carries a hashed position id the books cannot map back' });
      continue;
    }
    const positionId = Number(token);
    highest = Math.max(highest, positionId);
    if (unknown.length === 0) continue;
    const booked = byId.get(positionId);
    if (booked) {
      if (!OPEN_STATUSES.has(booked.status)) {
        out.unadopted.push({ symbol, clientOrderIds: unknown.map((w) => w.clientId), reason: `position ${positionId} is ${booked.status} in the books but these orders still work on the exchange` });
        continue;
      }
      const rows = unknown.map((w) => workingRow(w, account, positionId, o.now()));
      await o.store.transaction(async (tx) => {
        for (const row of rows) await tx.insertRow(TABLES.orders, row, { ignoreDuplicate: true });
      });
      for (const w of unknown) out.adoptedOrders.push({ positionId, clientOrderId: w.clientId });
      continue;
    }
    const adopted = await adoptPosition(o, account, ex, positionId, symbol, group, exposure.get(symbol) ?? [], positions, out);
    if (adopted) out.adoptedPositions.push(adopted);
  }

  for (const [symbol, held] of exposure) {
    const bookedOpen = positions.some((p) => p.symbol === symbol && OPEN_STATUSES.has(p.status));
    if (!ours.has(symbol) && !bookedOpen) for (const l of held) out.foreignPositions.push({ symbol, positionAmt: l.positionAmt });
  }
  for (const p of positions) {
    if (OPEN_STATUSES.has(p.status) && !exposure.has(p.symbol) && p.status !== 'new' && p.status !== 'opening') {
      out.booksOnly.push({ positionId: p.id, symbol: p.symbol, status: p.status });
    }
  }
  return highest;
}

const symbolOf = (w: Working) => (w.kind === 'order' ? w.order.symbol : w.algo.symbol);

// A position is adopted only when the pair is otherwise ours alone: exposure on the exchange in
// the entry's direction, an entry of ours that filled, and no open position of the books on it.
async function adoptPosition(
  o: { store: StepStore; now: () => number; prefix?: string; newUuid?: () => string }, account: AccountRow, ex: ExchangePort, positionId: number, symbol: string,
  group: Working[], legs: Position[], positions: PositionRow[], out: AccountReconciliation,
): Promise<AdoptedPosition | null> {
  const ids = group.map((w) => w.clientId);
  const refuse = (reason: string) => {
    out.unadopted.push({ symbol, clientOrderIds: ids, reason });
    return null;
  };
  if (group.some((w) => symbolOf(w) !== symbol)) return refuse(`orders of position ${positionId} sit on more than one symbol`);
  const holder = positions.find((p) => p.symbol === symbol && OPEN_STATUSES.has(p.status));
  if (holder) return refuse(`the books hold position ${holder.id} open on ${symbol}: two positions of ours cannot share the pair`);
  const amount = legs.reduce((s, l) => s.plus(l.positionAmt), dec(0));
  if (amount.isZero()) return refuse(`no exposure on ${symbol}: orders of a position that is no longer open (the drift check cancels orphans once trading is on)`);
  const prefix = o.prefix ?? 'k';
  const entry = await ex.findOrder({ symbol, clientOrderId: `${prefix}-${positionId}-en` });
  if (!entry || entry.status !== 'FILLED') return refuse(`the entry ${prefix}-${positionId}-en is ${entry ? entry.status : 'unknown to the exchange'}, not FILLED`);
  const direction: Direction = entry.side === 'BUY' ? 'LONG' : 'SHORT';
  if ((direction === 'LONG') !== amount.gt(0)) return refuse(`the exposure on ${symbol} (${amount.toString()}) runs against the entry (${entry.side})`);
  const settings = account.settings[direction];
  const now = o.now();

  // Rungs that are no longer working (filled or cancelled) are found by their client ids.
  const workingRungs = new Set(group.filter((w) => w.parsed.role === 'rung').map((w) => w.parsed.rung));
  const settledRungs: Order[] = [];
  for (let rung = 1; rung <= Math.max(settings.rungs, ...[...workingRungs].map(Number)); rung++) {
    if (workingRungs.has(rung)) continue;
    const found = await ex.findOrder({ symbol, clientOrderId: `${prefix}-${positionId}-dca${rung}` });
    if (found) settledRungs.push(found);
  }
  const leg = legs[0]!;
  // Our own filled quantity (entry plus rungs), not the leg: someone else may hold exposure on the pair too.
  const quantity = [entry, ...settledRungs, ...group.flatMap((w) => (w.kind === 'order' ? [w.order] : []))]
    .filter((x) => x.side === entry.side).reduce((sum, x) => sum.plus(x.executedQty), dec(0)).toString();
  const position = encodeRow(TABLES.positions, POSITION_CODEC, {
    id: positionId, uuid: (o.newUuid ?? (() => crypto.randomUUID()))(), accountId: account.id, exchange: account.exchange, symbol, direction, status: 'active',
    margin: settings.margin, leverage: leg.leverage ?? settings.leverage, profitPct: settings.profitPct, stopPct: settings.stopPct, gapPct: settings.gapPct,
    rungMultiplier: settings.rungMultiplier, rungs: settings.rungs, regimeBand: null, regimeScore: null, openingPrice: entry.avgPrice ?? entry.price,
    quantity, breakEvenPrice: leg.breakEvenPrice, worstCaseLoss: null, closingPrice: null, pnl: null, isFastTrade: null,
    statusReason: 'adopted from the exchange by the restore reconciliation', openedAt: entry.updateTime, closedAt: null, createdAt: now, updatedAt: now,
  });
  const rows = [
    orderRow(entry, account, positionId, { role: 'entry', replacement: 0 }, now),
    ...settledRungs.map((r) => orderRow(r, account, positionId, parseClientOrderId(r.clientOrderId, prefix)!, now)),
    ...group.map((w) => workingRow(w, account, positionId, now)),
  ];
  await o.store.transaction(async (tx) => {
    await tx.insertRow(TABLES.positions, { ...position, is_open: 1 });
    for (const row of rows) await tx.insertRow(TABLES.orders, row, { ignoreDuplicate: true });
  });
  return { positionId, symbol, direction, quantity, orders: rows.map((r) => String(r.client_order_id)) };
}

function workingRow(w: Working, account: AccountRow, positionId: number, now: number) {
  if (w.kind === 'order') return orderRow(w.order, account, positionId, w.parsed, now);
  const a = w.algo;
  return encodeRow(TABLES.orders, ORDER_CODEC, {
    positionId, accountId: account.id, symbol: a.symbol, role: w.parsed.role, rung: w.parsed.rung ?? null, replacement: w.parsed.replacement,
    clientOrderId: a.clientAlgoId, exchangeOrderId: a.algoId, isAlgo: true, type: a.type, side: a.side, positionSide: a.positionSide,
    reduceOnly: a.reduceOnly, closePosition: a.closePosition, price: a.triggerPrice, quantity: a.quantity ?? null,
    status: orderStatusFromExchange(a.status, true) ?? 'working', exchangeStatus: a.status, exchangePrice: a.triggerPrice, exchangeQuantity: a.quantity ?? null,
    executedQty: null, avgPrice: null, exchangeUpdatedAt: a.updateTime ?? now, fillAppliedAt: null, createdAt: now, updatedAt: now,
  } satisfies Partial<OrderRow>);
}

function orderRow(o: Order, account: AccountRow, positionId: number, parsed: Pick<ParsedClientOrderId, 'role' | 'rung' | 'replacement'>, now: number) {
  const price = o.type === 'MARKET' ? null : (o.stopPrice && dec(o.price).isZero() ? o.stopPrice : o.price);
  return encodeRow(TABLES.orders, ORDER_CODEC, {
    positionId, accountId: account.id, symbol: o.symbol, role: parsed.role, rung: parsed.rung ?? null, replacement: parsed.replacement,
    clientOrderId: o.clientOrderId, exchangeOrderId: o.orderId, isAlgo: false, type: o.type, side: o.side, positionSide: o.positionSide,
    reduceOnly: o.reduceOnly, closePosition: o.closePosition, price, quantity: o.origQty,
    status: orderStatusFromExchange(o.status, false) ?? 'working', exchangeStatus: o.status, exchangePrice: o.price, exchangeQuantity: o.origQty,
    executedQty: o.executedQty, avgPrice: o.avgPrice ?? null, exchangeUpdatedAt: o.updateTime, fillAppliedAt: null, createdAt: now, updatedAt: now,
  } satisfies Partial<OrderRow>);
}
