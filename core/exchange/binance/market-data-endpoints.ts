// Public market data: exchange info, mark prices, klines (weights from Binance's docs).
import type { ExchangeInfo, Kline, KlineQuery, MarkPrice } from '../exchange.port.ts';
import { toExchangeInfo, toKline, toMarkPrice } from './normalise-market.ts';
import type { BinanceRequest, Endpoint, Params } from './request.ts';
import { arr } from './wire.ts';

/** Kline weight by limit: [1,100) 1, [100,500) 2, [500,1000] 5, above 10; Binance's default limit is 500. */
export function klinesWeight(params: Params): number {
  const limit = typeof params.limit === 'number' ? params.limit : 500;
  return limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10;
}

const EXCHANGE_INFO: Endpoint = { method: 'GET', path: '/fapi/v1/exchangeInfo', security: 'NONE', weight: 1, mutation: false };
const PREMIUM_INDEX: Endpoint = { method: 'GET', path: '/fapi/v1/premiumIndex', security: 'NONE', weight: (p) => (p.symbol ? 1 : 10), mutation: false };
const KLINES: Endpoint = { method: 'GET', path: '/fapi/v1/klines', security: 'NONE', weight: klinesWeight, mutation: false };

/** Symbols, filters and rate limits. */
export function getExchangeInfo(http: BinanceRequest): Promise<ExchangeInfo> {
  return http.call(EXCHANGE_INFO, {}, toExchangeInfo);
}

/** Mark price of one symbol. */
export function getMarkPrice(http: BinanceRequest, symbol: string): Promise<MarkPrice> {
  return http.call(PREMIUM_INDEX, { symbol }, toMarkPrice);
}

/** Mark prices of every symbol (weight 10). */
export function getMarkPrices(http: BinanceRequest): Promise<MarkPrice[]> {
  return http.call(PREMIUM_INDEX, {}, (body) => arr(body, 'premiumIndex').map(toMarkPrice));
}

/** Candles, oldest first. */
export function getKlines(http: BinanceRequest, q: KlineQuery): Promise<Kline[]> {
  const params = { symbol: q.symbol, interval: q.interval, startTime: q.startTime, endTime: q.endTime, limit: q.limit };
  return http.call(KLINES, params, (body) => arr(body, 'klines').map(toKline));
}
