// A simulator's whole state as JSON-safe data, and back: accounts (wallet, settings, legs, orders,
// algo orders, trades, funding), markets (prices, funding rate, depth, price history), the id
// counters and the price path's position and generators. With the inputs recorded after it
// (sim-input.ts) it rebuilds the same exchange after a restart. Not kept: listen keys, rate-limit
// windows and fault rules (a restarted exchange starts those afresh, as Binance's would after a
// reconnect).
import { SimAccount } from './accounts.ts';
import type { SimAlgoOrder } from './algo-order.ts';
import { D, dec, type Dec } from './decimal.ts';
import type { SimFundingFee } from './funding.ts';
import type { SimOrder, SimTrade } from './orders.ts';
import { legKey, type PositionLeg } from './positions.ts';
import type { PricePathState } from './price-path.ts';
import type { SimExchange } from './sim-exchange.ts';
import type { SimCounters } from './sim-state.ts';

/** A decimal in a snapshot. */
type Plain = null | boolean | number | string | { $d: string } | Plain[] | { [key: string]: Plain };

/** Decimals become `{ $d: "1.5" }`; everything else is already JSON-safe. */
function toPlain(value: unknown): Plain {
  if (value instanceof D) return { $d: value.toString() };
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Plain> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toPlain(v);
    return out;
  }
  return value as Plain;
}

function fromPlain<T>(value: Plain): T {
  if (Array.isArray(value)) return value.map((v) => fromPlain(v)) as T;
  if (value !== null && typeof value === 'object') {
    if ('$d' in value && typeof value.$d === 'string') return dec(value.$d) as T;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = fromPlain(v as Plain);
    return out as T;
  }
  return value as T;
}

/** One account in a snapshot. */
interface AccountSnapshot {
  apiKey: string;
  secret: string;
  balance: string;
  dualSidePosition: boolean;
  makerRate: string;
  takerRate: string;
  updateTime: number;
  settings: [string, { leverage: number; marginType: 'CROSSED' | 'ISOLATED' }][];
  legs: Plain;
  orders: Plain;
  openOrderIds: number[];
  algoOrders: Plain;
  trades: Plain;
  funding: Plain;
}

/** One market's moving parts in a snapshot (its filters come from the listing). */
interface MarketSnapshot {
  symbol: string;
  mark: string;
  last: string;
  depth: string | null;
  fundingRate: string;
  /** [time, price] per path step. */
  history: [number, string][];
}

/** A simulator's state as JSON-safe data. */
export interface SimSnapshot {
  version: 1;
  counters: SimCounters;
  fundedUpTo: number;
  path: PricePathState;
  markets: MarketSnapshot[];
  accounts: AccountSnapshot[];
}

/** The simulator's state now (call between inputs: the engine is synchronous, so any await is between). */
export function simSnapshot(ex: SimExchange): SimSnapshot {
  return {
    version: 1,
    counters: ex.state.counters(),
    fundedUpTo: ex.state.fundedUpTo,
    path: ex.path.saveState(),
    markets: ex.state.marketList().map((m) => ({
      symbol: m.symbol, mark: m.mark.toString(), last: m.last.toString(), depth: m.depth?.toString() ?? null, fundingRate: m.fundingRate.toString(),
      history: m.history.map(([t, p]) => [t, p.toString()]),
    })),
    accounts: [...ex.state.accounts.values()].map((a) => ({
      apiKey: a.apiKey, secret: a.secret, balance: a.wallet.toString(), dualSidePosition: a.dualSidePosition,
      makerRate: a.makerRate.toString(), takerRate: a.takerRate.toString(), updateTime: a.updateTime,
      settings: [...a.settings].map(([symbol, s]) => [symbol, { ...s }]),
      legs: toPlain([...a.legs.values()]), orders: toPlain([...a.orders.values()]), openOrderIds: [...a.openOrders.keys()],
      algoOrders: toPlain([...a.algoOrders.values()]), trades: toPlain(a.trades), funding: toPlain(a.funding),
    })),
  };
}

/** Puts a snapshot's state into `ex` (built with the same listing and seed), replacing its accounts. */
export function restoreSim(ex: SimExchange, snap: SimSnapshot): void {
  if (snap.version !== 1) throw new Error(`simulator snapshot version ${String(snap.version)} is not supported`);
  ex.state.setCounters(snap.counters);
  ex.state.fundedUpTo = snap.fundedUpTo;
  ex.path.loadState(snap.path);
  for (const m of snap.markets) {
    const market = ex.state.markets.get(m.symbol);
    // A symbol the listing no longer has is dropped; a new one starts at its listing price.
    if (!market) continue;
    market.mark = dec(m.mark);
    market.last = dec(m.last);
    market.depth = m.depth === null ? null : dec(m.depth);
    market.fundingRate = dec(m.fundingRate);
    market.history.splice(0, market.history.length, ...m.history.map(([t, p]): [number, Dec] => [t, dec(p)]));
  }
  ex.state.accounts.clear();
  for (const a of snap.accounts) {
    const account = new SimAccount({ apiKey: a.apiKey, secret: a.secret, balance: a.balance, dualSidePosition: a.dualSidePosition, makerRate: a.makerRate, takerRate: a.takerRate });
    account.updateTime = a.updateTime;
    for (const [symbol, s] of a.settings) account.settings.set(symbol, s);
    for (const leg of fromPlain<PositionLeg[]>(a.legs)) account.legs.set(legKey(leg.symbol, leg.positionSide), leg);
    for (const order of fromPlain<SimOrder[]>(a.orders)) account.orders.set(order.orderId, order);
    for (const id of a.openOrderIds) account.openOrders.set(id, account.orders.get(id)!);
    for (const algo of fromPlain<SimAlgoOrder[]>(a.algoOrders)) account.algoOrders.set(algo.algoId, algo);
    account.trades.push(...fromPlain<SimTrade[]>(a.trades));
    account.funding.push(...fromPlain<SimFundingFee[]>(a.funding));
    ex.state.accounts.set(account.apiKey, account);
  }
}
