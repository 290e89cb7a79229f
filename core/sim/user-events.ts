// User-data and mark-price frames with Binance's field names (see binance-reference.md §4–5).
import { fixed, plain, ZERO, type Dec } from './decimal.ts';
import type { SimAlgoOrder } from './algo-order.ts';
import type { SimMarket } from './market.ts';
import { avgPrice, type SimOrder, type SimTrade } from './orders.ts';
import { breakEven, unrealized, type PositionLeg } from './positions.ts';

/** A JSON frame as sent on the wire. */
export type Frame = Record<string, unknown>;

/** What the engine publishes: user-stream frames, listen-key expiry, and transport commands. */
export type SimEvent =
  | { kind: 'user'; apiKey: string; frame: Frame }
  | { kind: 'listen-key-expired'; apiKey: string; listenKey: string; frame: Frame }
  | { kind: 'drop-connections'; stream: 'user' | 'market' | 'all'; apiKey?: string };

/** The execution an ORDER_TRADE_UPDATE reports. */
export interface Execution {
  x: 'NEW' | 'CANCELED' | 'EXPIRED' | 'TRADE' | 'AMENDMENT';
  trade?: SimTrade;
}

/** ORDER_TRADE_UPDATE for one order event; `b`/`a` are the account's open bid/ask notionals on the symbol. */
export function orderTradeUpdate(o: SimOrder, exec: Execution, notional: { bid: Dec; ask: Dec }, time: number): Frame {
  const t = exec.trade;
  return {
    e: 'ORDER_TRADE_UPDATE', E: time, T: time,
    o: {
      s: o.symbol, c: o.clientOrderId, S: o.side, o: o.type, f: o.timeInForce, q: plain(o.origQty),
      p: plain(o.price), ap: plain(avgPrice(o)), sp: '0', x: exec.x, X: o.status, i: o.orderId,
      l: t ? plain(t.qty) : '0', z: plain(o.executedQty), L: t ? plain(t.price) : '0',
      // Binance omits the commission fields when there is no commission.
      ...(t && !t.commission.isZero() ? { N: 'USDT', n: plain(t.commission) } : {}),
      T: time, t: t ? t.id : 0, b: plain(notional.bid), a: plain(notional.ask), m: t ? t.maker : false,
      R: o.reduceOnly, wt: o.workingType, ot: o.origType, ps: o.positionSide, cp: o.closePosition,
      rp: t ? plain(t.realizedPnl) : '0', pP: o.priceProtect, si: 0, ss: 0, V: o.selfTradePreventionMode,
      pm: o.priceMatch, gtd: o.goodTillDate, er: String(o.expiryReason),
    },
  };
}

/** TRADE_LITE: the slim fill frame. */
export function tradeLite(o: SimOrder, t: SimTrade, time: number): Frame {
  return {
    e: 'TRADE_LITE', E: time, T: time, s: o.symbol, q: plain(o.origQty), p: plain(o.price), m: t.maker,
    c: o.clientOrderId, S: o.side, L: plain(t.price), l: plain(t.qty), t: t.id, i: o.orderId,
  };
}

/** One position entry of ACCOUNT_UPDATE. */
export interface LegView {
  leg: PositionLeg;
  market: SimMarket;
  marginType: 'CROSSED' | 'ISOLATED';
  isolatedWallet: Dec;
}

/** ACCOUNT_UPDATE: the USDT balance and the changed positions. */
export function accountUpdate(reason: string, wallet: Dec, balanceChange: Dec, legs: LegView[], time: number): Frame {
  return {
    e: 'ACCOUNT_UPDATE', E: time, T: time,
    a: {
      m: reason,
      B: [{ a: 'USDT', wb: fixed(wallet), cw: fixed(wallet), bc: fixed(balanceChange) }],
      P: legs.map(({ leg, market, marginType, isolatedWallet }) => ({
        s: leg.symbol, pa: plain(leg.amount), ep: plain(leg.entry), bep: plain(breakEven(leg)),
        cr: plain(leg.realized), up: plain(unrealized(leg, market.mark)), mt: marginType === 'CROSSED' ? 'cross' : 'isolated',
        iw: plain(marginType === 'ISOLATED' ? isolatedWallet : ZERO), ps: leg.positionSide,
      })),
    },
  };
}

/** ALGO_UPDATE for an algo order's current state. */
export function algoUpdate(a: SimAlgoOrder, time: number): Frame {
  const triggered = a.actualOrderId !== undefined;
  return {
    e: 'ALGO_UPDATE', T: time, E: time,
    o: {
      caid: a.clientAlgoId, aid: a.algoId, at: 'CONDITIONAL', o: a.orderType, s: a.symbol, S: a.side,
      ps: a.positionSide, f: a.timeInForce, q: a.quantity ? plain(a.quantity) : '0', X: a.status,
      ai: triggered ? String(a.actualOrderId) : '',
      ...(triggered ? { ap: plain(a.actualAvgPrice ?? ZERO), aq: plain(a.actualQty ?? ZERO), act: a.actualType } : {}),
      tp: plain(a.triggerPrice), p: a.price ? plain(a.price) : '0', V: 'EXPIRE_MAKER', wt: a.workingType,
      pm: 'NONE', cp: a.closePosition, pP: a.priceProtect, R: a.reduceOnly, tt: a.triggerTime, gtd: 0,
      ...(a.reason ? { rm: a.reason } : {}),
    },
  };
}

/** ACCOUNT_CONFIG_UPDATE for a leverage change. */
export function leverageUpdate(symbol: string, leverage: number, time: number): Frame {
  return { e: 'ACCOUNT_CONFIG_UPDATE', E: time, T: time, ac: { s: symbol, l: leverage } };
}

/** listenKeyExpired. */
export function listenKeyExpired(listenKey: string, time: number): Frame {
  return { e: 'listenKeyExpired', E: time, listenKey };
}

/** One markPriceUpdate entry (the array stream sends one per symbol). */
export function markPriceUpdate(m: SimMarket, time: number, fundingRate: string, nextFundingTime: number): Frame {
  return {
    e: 'markPriceUpdate', E: time, s: m.symbol, p: fixed(m.mark), ap: fixed(m.mark), i: fixed(m.mark),
    P: fixed(m.mark), r: fundingRate, T: nextFundingTime,
  };
}
