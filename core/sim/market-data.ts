// Public market data bodies: exchangeInfo, premiumIndex, tickers, synthetic depth, klines built
// from the recorded price path, and the mark-price stream frames.
import { fixed, plain, type Dec } from './decimal.ts';
import { firstAtOrAfter, isTimeOrdered } from './history-order.ts';
import { FUNDING_PERIOD_MS, lastFundingTime } from './funding.ts';
import type { SimMarket } from './market.ts';
import { intParam, limitParam, optional, required, type Params } from './params.ts';
import type { RateLimitOptions } from './rate-limits.ts';
import { errors } from './sim-error.ts';
import type { SimState } from './sim-state.ts';
import { markPriceUpdate, type Frame } from './user-events.ts';

/** Next 8-hourly funding time after `now`. */
export function nextFundingTime(now: number): number {
  return lastFundingTime(now) + FUNDING_PERIOD_MS;
}

function symbolInfo(m: SimMarket): Record<string, unknown> {
  const s = m.spec;
  return {
    symbol: s.symbol, pair: s.symbol, contractType: 'PERPETUAL', deliveryDate: 4133404800000, onboardDate: 1569398400000,
    status: 'TRADING', maintMarginPercent: '2.5000', requiredMarginPercent: '5.0000', baseAsset: s.baseAsset,
    quoteAsset: s.quoteAsset, marginAsset: 'USDT', pricePrecision: s.pricePrecision, quantityPrecision: s.quantityPrecision,
    baseAssetPrecision: 8, quotePrecision: 8, underlyingType: 'COIN', underlyingSubType: [], settlePlan: 0,
    triggerProtect: '0.0500', liquidationFee: '0.012500', marketTakeBound: '0.05', maxMoveOrderLimit: 10000,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: s.minPrice, maxPrice: s.maxPrice, tickSize: s.tickSize },
      { filterType: 'LOT_SIZE', minQty: s.minQty, maxQty: s.maxQty, stepSize: s.stepSize },
      { filterType: 'MARKET_LOT_SIZE', minQty: s.marketMinQty, maxQty: s.marketMaxQty, stepSize: s.marketStepSize },
      { filterType: 'MAX_NUM_ORDERS', limit: 200 },
      { filterType: 'MIN_NOTIONAL', notional: s.minNotional },
      { filterType: 'PERCENT_PRICE', multiplierUp: s.multiplierUp, multiplierDown: s.multiplierDown, multiplierDecimal: '4' },
    ],
    orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'], permissionSets: ['GRID', 'COPY'],
  };
}

/** GET /fapi/v1/exchangeInfo. */
export function exchangeInfoBody(state: SimState, limits: RateLimitOptions): Record<string, unknown> {
  return {
    timezone: 'UTC', serverTime: state.now(), futuresType: 'U_MARGINED',
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: limits.weightPerMinute },
      { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: limits.ordersPerMinute },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: limits.ordersPer10s },
    ],
    exchangeFilters: [],
    assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }],
    symbols: state.marketList().map(symbolInfo),
  };
}

/** GET /fapi/v1/premiumIndex: one object with `symbol`, else an array. */
export function premiumIndexBody(state: SimState, symbol?: string): unknown {
  const now = state.now();
  const one = (m: SimMarket) => ({
    symbol: m.symbol, markPrice: fixed(m.mark), indexPrice: fixed(m.mark), estimatedSettlePrice: fixed(m.mark),
    lastFundingRate: fixed(m.fundingRate), interestRate: '0.00010000', nextFundingTime: nextFundingTime(now), time: now,
  });
  return symbol ? one(state.market(symbol)) : state.marketList().map(one);
}

/** GET /fapi/v1|v2/ticker/price. */
export function tickerPriceBody(state: SimState, symbol?: string): unknown {
  const one = (m: SimMarket) => ({ symbol: m.symbol, price: plain(m.last), time: state.now() });
  return symbol ? one(state.market(symbol)) : state.marketList().map(one);
}

/** GET /fapi/v1/ticker/bookTicker: the synthetic book's top (bid one tick under the last price). */
export function bookTickerBody(state: SimState, symbol?: string): unknown {
  const one = (m: SimMarket) => {
    const qty = plain(m.depth ?? m.minQty.times(1000));
    return { symbol: m.symbol, bidPrice: plain(m.last.minus(m.tick)), bidQty: qty, askPrice: plain(m.last), askQty: qty, time: state.now() };
  };
  return symbol ? one(state.market(symbol)) : state.marketList().map(one);
}

/** GET /fapi/v1/depth: a synthetic book around the last price (depth per level, 1000 when unlimited). */
export function depthBody(state: SimState, p: Params): Record<string, unknown> {
  const m = state.market(required(p, 'symbol'));
  const n = limitParam(p, 500, 1000);
  const qty = plain(m.depth ?? m.minQty.times(1000));
  const level = (price: Dec) => [plain(price), qty];
  const bids = Array.from({ length: n }, (_, i) => m.last.minus(m.tick.times(i + 1))).filter((x) => x.isPositive()).map(level);
  const asks = Array.from({ length: n }, (_, i) => level(m.last.plus(m.tick.times(i))));
  const now = state.now();
  return { lastUpdateId: now, E: now, T: now, bids, asks };
}

/** Kline interval lengths in ms. */
export const INTERVALS: Record<string, number> = {
  '1m': 60_000, '3m': 180_000, '5m': 300_000, '15m': 900_000, '30m': 1_800_000, '1h': 3_600_000, '2h': 7_200_000,
  '4h': 14_400_000, '6h': 21_600_000, '8h': 28_800_000, '12h': 43_200_000, '1d': 86_400_000, '3d': 259_200_000, '1w': 604_800_000,
};

/** GET /fapi/v1/klines from the recorded price history (flat candles where nothing moved). */
export function klinesBody(state: SimState, p: Params): unknown[] {
  const m = state.market(required(p, 'symbol'));
  const interval = required(p, 'interval');
  const len = INTERVALS[interval];
  if (!len) throw errors.invalidParam('interval');
  const limit = limitParam(p, 500, 1500);
  const end = intParam(p, 'endTime') ?? state.now();
  const start = intParam(p, 'startTime') ?? Math.floor(end / len) * len - (limit - 1) * len;
  const rows: unknown[] = [];
  // History is recorded in time order, so a binary search finds the first window's points and one
  // cursor walks on from there (filtering the whole history per candle cost limit × history, and
  // walking it from its start cost a history per request: the backtest's largest sim costs); a
  // history out of order (a clock moved back) takes the filter.
  const hist = m.history;
  const ordered = isTimeOrdered(hist);
  const firstOpen = Math.floor(start / len) * len;
  let price = (ordered ? hist[firstAtOrAfter(hist, start)] : hist.find(([t]) => t >= start))?.[1] ?? m.last;
  let cursor = ordered ? firstAtOrAfter(hist, firstOpen) : 0;
  for (let open = firstOpen; open <= end && rows.length < limit; open += len) {
    let points: Dec[];
    if (ordered) {
      while (cursor < hist.length && hist[cursor]![0] < open) cursor++;
      points = [];
      for (let j = cursor; j < hist.length && hist[j]![0] < open + len; j++) points.push(hist[j]![1]);
    } else {
      points = hist.filter(([t]) => t >= open && t < open + len).map(([, px]) => px);
    }
    const o = price;
    const all = [o, ...points];
    const c = points.at(-1) ?? o;
    const h = all.reduce((a, b) => (b.greaterThan(a) ? b : a));
    const l = all.reduce((a, b) => (b.lessThan(a) ? b : a));
    rows.push([open, plain(o), plain(h), plain(l), plain(c), '0', open + len - 1, '0', 0, '0', '0', '0']);
    price = c;
  }
  return rows;
}

/** The `!markPrice@arr` frame: one markPriceUpdate per symbol. */
export function markPriceFrames(state: SimState): Frame[] {
  const now = state.now();
  return state.marketList().map((m) => markPriceUpdate(m, now, fixed(m.fundingRate), nextFundingTime(now)));
}

/** Weight of GET /fapi/v1/klines by `limit`, per Binance. */
export function klinesWeight(p: Params): number {
  const limit = Number(optional(p, 'limit') ?? 500);
  if (limit < 100) return 1;
  if (limit < 500) return 2;
  if (limit <= 1000) return 5;
  return 10;
}

/** Weight of GET /fapi/v1/depth by `limit`, per Binance. */
export function depthWeight(p: Params): number {
  const limit = Number(optional(p, 'limit') ?? 500);
  if (limit <= 50) return 2;
  if (limit <= 100) return 5;
  if (limit <= 500) return 10;
  return 20;
}
