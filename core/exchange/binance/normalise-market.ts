// Binance market payloads (exchangeInfo, premiumIndex, klines) → our types.
import type { ExchangeInfo, Kline, MarkPrice, SymbolFilters, SymbolInfo } from '../exchange.port.ts';
import { malformed, arr, dec, int, obj, optDec, optInt, optStr, str, type Json } from './wire.ts';

function filtersOf(list: unknown[]): SymbolFilters {
  const byType = new Map<string, Json>();
  for (const f of list) {
    const o = obj(f, 'filter');
    const type = optStr(o, 'filterType');
    if (type) byType.set(type, o);
  }
  const price = byType.get('PRICE_FILTER') ?? {};
  const lot = byType.get('LOT_SIZE') ?? {};
  const market = byType.get('MARKET_LOT_SIZE');
  const percent = byType.get('PERCENT_PRICE');
  const notional = byType.get('MIN_NOTIONAL') ?? {};
  return {
    tickSize: optDec(price, 'tickSize') ?? '0',
    minPrice: optDec(price, 'minPrice') ?? '0',
    maxPrice: optDec(price, 'maxPrice') ?? '0',
    stepSize: optDec(lot, 'stepSize') ?? '0',
    minQty: optDec(lot, 'minQty') ?? '0',
    maxQty: optDec(lot, 'maxQty') ?? '0',
    ...(market ? { marketStepSize: optDec(market, 'stepSize'), marketMinQty: optDec(market, 'minQty'), marketMaxQty: optDec(market, 'maxQty') } : {}),
    minNotional: optDec(notional, 'notional') ?? optDec(notional, 'minNotional') ?? '0',
    ...(percent ? { percentPrice: { multiplierUp: dec(percent, 'multiplierUp'), multiplierDown: dec(percent, 'multiplierDown') } } : {}),
    maxNumOrders: byType.has('MAX_NUM_ORDERS') ? optInt(byType.get('MAX_NUM_ORDERS')!, 'limit') : undefined,
  };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** One entry of exchangeInfo.symbols. */
export function toSymbolInfo(payload: unknown): SymbolInfo {
  const o = obj(payload, 'symbol');
  return {
    symbol: str(o, 'symbol'),
    status: str(o, 'status'),
    contractType: optStr(o, 'contractType'),
    baseAsset: str(o, 'baseAsset'),
    quoteAsset: str(o, 'quoteAsset'),
    marginAsset: optStr(o, 'marginAsset') ?? str(o, 'quoteAsset'),
    pricePrecision: optInt(o, 'pricePrecision') ?? 0,
    quantityPrecision: optInt(o, 'quantityPrecision') ?? 0,
    filters: filtersOf(arr(o.filters ?? [], 'filters')),
    // Binance's own docs spell it "OrderType" in one example and "orderTypes" in live payloads.
    orderTypes: strings(o.orderTypes ?? o.OrderType),
    timeInForce: strings(o.timeInForce),
    triggerProtect: optDec(o, 'triggerProtect'),
    raw: payload,
  };
}

/** GET /fapi/v1/exchangeInfo. */
export function toExchangeInfo(payload: unknown): ExchangeInfo {
  const o = obj(payload, 'exchangeInfo');
  return {
    rateLimits: arr(o.rateLimits ?? [], 'rateLimits').map((r) => {
      const l = obj(r, 'rateLimit');
      return { type: str(l, 'rateLimitType'), interval: str(l, 'interval'), intervalNum: int(l, 'intervalNum'), limit: int(l, 'limit') };
    }),
    symbols: arr(o.symbols, 'symbols').map(toSymbolInfo),
    raw: payload,
  };
}

/** One GET /fapi/v1/premiumIndex entry. */
export function toMarkPrice(payload: unknown): MarkPrice {
  const o = obj(payload, 'premiumIndex');
  return {
    symbol: str(o, 'symbol'),
    markPrice: dec(o, 'markPrice'),
    indexPrice: optDec(o, 'indexPrice') ?? '0',
    lastFundingRate: optDec(o, 'lastFundingRate') ?? '0',
    nextFundingTime: optInt(o, 'nextFundingTime') ?? 0,
    time: optInt(o, 'time') ?? 0,
    raw: payload,
  };
}

/** One kline row: [openTime, o, h, l, c, volume, closeTime, quoteVolume, trades, takerBuyBase, takerBuyQuote, ignore]. */
export function toKline(payload: unknown): Kline {
  const row = arr(payload, 'kline');
  if (row.length < 11) throw malformed(`kline has ${row.length} fields`);
  const o: Json = Object.fromEntries(['openTime', 'open', 'high', 'low', 'close', 'volume', 'closeTime', 'quoteVolume', 'trades', 'takerBuyBase', 'takerBuyQuote'].map((k, i) => [k, row[i]]));
  return {
    openTime: int(o, 'openTime'),
    open: dec(o, 'open'),
    high: dec(o, 'high'),
    low: dec(o, 'low'),
    close: dec(o, 'close'),
    volume: dec(o, 'volume'),
    closeTime: int(o, 'closeTime'),
    quoteVolume: dec(o, 'quoteVolume'),
    trades: int(o, 'trades'),
    takerBuyBaseVolume: dec(o, 'takerBuyBase'),
    takerBuyQuoteVolume: dec(o, 'takerBuyQuote'),
    raw: payload,
  };
}
