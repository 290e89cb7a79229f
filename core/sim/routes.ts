// The REST surface: Binance's paths, security, IP weights and order-count costs, each mapped to an
// engine function. The gateway does auth and limits from this table; handlers only do the work.
import type { SimAccount } from './accounts.ts';
import { changeLeverage, changeMarginType, changePositionMode } from './account-settings.ts';
import { accountConfigBody, accountV2Body, accountV3Body, balanceBody, bracketsBody, commissionRateBody, incomeBody, positionRiskV2Body, positionRiskV3Body, symbolConfigBody } from './account-views.ts';
import type { ListenKeys } from './listen-keys.ts';
import { bookTickerBody, depthBody, depthWeight, exchangeInfoBody, klinesBody, klinesWeight, premiumIndexBody, tickerPriceBody } from './market-data.ts';
import * as orders from './order-api.ts';
import { intParam, limitParam, optional, required, type Params } from './params.ts';
import type { OrderCounter, RateLimitOptions } from './rate-limits.ts';
import type { SimState } from './sim-state.ts';

/** NONE: public; USER_STREAM: API key only; SIGNED: API key, timestamp and HMAC signature. */
export type Security = 'NONE' | 'USER_STREAM' | 'SIGNED';

/** What a handler gets. `account` is set for USER_STREAM and SIGNED routes. */
export interface RouteContext {
  state: SimState;
  account: SimAccount;
  params: Params;
  listenKeys: ListenKeys;
  limits: RateLimitOptions;
  orderCounts: OrderCounter;
}

/** One REST endpoint. */
export interface SimRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  security: Security;
  /** IP weight, fixed or by parameters. */
  weight: number | ((p: Params) => number);
  /** Order-count units charged to the account: [10 s bucket, 1 min bucket]. */
  orders?: readonly [number, number];
  handle(ctx: RouteContext): unknown;
}

const perSymbol = (withSymbol: number, without: number) => (p: Params) => (optional(p, 'symbol') ? withSymbol : without);
const route = (method: SimRoute['method'], path: string, security: Security, weight: SimRoute['weight'], handle: SimRoute['handle'], orderCost?: readonly [number, number]): SimRoute =>
  ({ method, path, security, weight, handle, orders: orderCost });
const ONE_ORDER = [1, 1] as const;

/** Every endpoint the simulator serves. */
export const ROUTES: readonly SimRoute[] = [
  route('GET', '/fapi/v1/ping', 'NONE', 1, () => ({})),
  route('GET', '/fapi/v1/time', 'NONE', 1, ({ state }) => ({ serverTime: state.now() })),
  route('GET', '/fapi/v1/exchangeInfo', 'NONE', 1, ({ state, limits }) => exchangeInfoBody(state, limits)),
  route('GET', '/fapi/v1/premiumIndex', 'NONE', perSymbol(1, 10), ({ state, params }) => premiumIndexBody(state, optional(params, 'symbol'))),
  route('GET', '/fapi/v1/ticker/price', 'NONE', perSymbol(1, 2), ({ state, params }) => tickerPriceBody(state, optional(params, 'symbol'))),
  route('GET', '/fapi/v2/ticker/price', 'NONE', perSymbol(1, 2), ({ state, params }) => tickerPriceBody(state, optional(params, 'symbol'))),
  route('GET', '/fapi/v1/ticker/bookTicker', 'NONE', perSymbol(2, 5), ({ state, params }) => bookTickerBody(state, optional(params, 'symbol'))),
  route('GET', '/fapi/v1/depth', 'NONE', depthWeight, ({ state, params }) => depthBody(state, params)),
  route('GET', '/fapi/v1/klines', 'NONE', klinesWeight, ({ state, params }) => klinesBody(state, params)),

  route('GET', '/fapi/v1/leverageBracket', 'SIGNED', 1, ({ state, params }) => bracketsBody(state, optional(params, 'symbol'))),
  route('GET', '/fapi/v2/account', 'SIGNED', 5, ({ state, account }) => accountV2Body(state, account)),
  route('GET', '/fapi/v3/account', 'SIGNED', 5, ({ state, account }) => accountV3Body(state, account)),
  route('GET', '/fapi/v2/balance', 'SIGNED', 5, ({ state, account }) => balanceBody(state, account)),
  route('GET', '/fapi/v3/balance', 'SIGNED', 5, ({ state, account }) => balanceBody(state, account)),
  route('GET', '/fapi/v2/positionRisk', 'SIGNED', 5, ({ state, account, params }) => positionRiskV2Body(state, account, optional(params, 'symbol'))),
  route('GET', '/fapi/v3/positionRisk', 'SIGNED', 5, ({ state, account, params }) => positionRiskV3Body(state, account, optional(params, 'symbol'))),
  route('GET', '/fapi/v1/symbolConfig', 'SIGNED', 5, ({ state, account, params }) => symbolConfigBody(state, account, optional(params, 'symbol'))),
  route('GET', '/fapi/v1/accountConfig', 'SIGNED', 5, ({ account }) => accountConfigBody(account)),
  route('GET', '/fapi/v1/commissionRate', 'SIGNED', 20, ({ state, account, params }) => commissionRateBody(state, account, required(params, 'symbol'))),
  route('GET', '/fapi/v1/multiAssetsMargin', 'SIGNED', 30, () => ({ multiAssetsMargin: false })),
  route('GET', '/fapi/v1/income', 'SIGNED', 30, ({ account, params }) => incomeBody(account, {
    symbol: optional(params, 'symbol'), incomeType: optional(params, 'incomeType'), startTime: intParam(params, 'startTime'),
    endTime: intParam(params, 'endTime'), limit: limitParam(params, 100, 1000),
  })),
  route('GET', '/fapi/v1/positionSide/dual', 'SIGNED', 30, ({ account }) => ({ dualSidePosition: account.dualSidePosition })),
  route('POST', '/fapi/v1/positionSide/dual', 'SIGNED', 1, ({ state, account, params }) => changePositionMode(state, account, params)),
  route('POST', '/fapi/v1/marginType', 'SIGNED', 1, ({ state, account, params }) => changeMarginType(state, account, params)),
  route('POST', '/fapi/v1/leverage', 'SIGNED', 1, ({ state, account, params }) => changeLeverage(state, account, params)),
  route('GET', '/fapi/v1/rateLimit/order', 'SIGNED', 1, ({ limits }) => [
    { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: limits.ordersPer10s },
    { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: limits.ordersPerMinute },
  ]),

  route('POST', '/fapi/v1/order', 'SIGNED', 0, ({ state, account, params }) => orders.newOrder(state, account, params), ONE_ORDER),
  route('PUT', '/fapi/v1/order', 'SIGNED', 0, ({ state, account, params }) => orders.modifyOrderApi(state, account, params), ONE_ORDER),
  route('DELETE', '/fapi/v1/order', 'SIGNED', 1, ({ state, account, params }) => orders.cancelOrderApi(state, account, params)),
  route('GET', '/fapi/v1/order', 'SIGNED', 1, ({ state, account, params }) => orders.queryOrder(state, account, params)),
  route('GET', '/fapi/v1/openOrder', 'SIGNED', 1, ({ state, account, params }) => orders.queryOpenOrder(state, account, params)),
  route('GET', '/fapi/v1/openOrders', 'SIGNED', perSymbol(1, 40), ({ state, account, params }) => orders.openOrders(state, account, params)),
  route('GET', '/fapi/v1/allOrders', 'SIGNED', 5, ({ state, account, params }) => orders.allOrders(state, account, params)),
  route('GET', '/fapi/v1/userTrades', 'SIGNED', 5, ({ state, account, params }) => orders.userTrades(state, account, params)),
  route('DELETE', '/fapi/v1/allOpenOrders', 'SIGNED', 1, ({ state, account, params }) => orders.cancelAllOpenOrders(state, account, params)),
  route('POST', '/fapi/v1/batchOrders', 'SIGNED', 5, ({ state, account, params }) => orders.batchNewOrders(state, account, params), [5, 1]),
  route('PUT', '/fapi/v1/batchOrders', 'SIGNED', 5, ({ state, account, params }) => orders.batchModifyOrders(state, account, params), [5, 1]),
  route('DELETE', '/fapi/v1/batchOrders', 'SIGNED', 1, ({ state, account, params }) => orders.batchCancelOrders(state, account, params)),

  route('POST', '/fapi/v1/algoOrder', 'SIGNED', 0, ({ state, account, params }) => orders.newAlgoOrder(state, account, params), ONE_ORDER),
  route('DELETE', '/fapi/v1/algoOrder', 'SIGNED', 1, ({ state, account, params }) => orders.cancelAlgoOrder(state, account, params)),
  route('GET', '/fapi/v1/algoOrder', 'SIGNED', 1, ({ state, account, params }) => orders.queryAlgoOrder(state, account, params)),
  route('GET', '/fapi/v1/openAlgoOrders', 'SIGNED', perSymbol(1, 40), ({ state, account, params }) => orders.openAlgoOrders(state, account, params)),
  route('GET', '/fapi/v1/allAlgoOrders', 'SIGNED', 5, ({ state, account, params }) => orders.allAlgoOrders(state, account, params)),
  route('DELETE', '/fapi/v1/algoOpenOrders', 'SIGNED', 1, ({ state, account, params }) => orders.cancelAllAlgoOrders(state, account, params)),

  route('POST', '/fapi/v1/listenKey', 'USER_STREAM', 1, ({ account, listenKeys }) => ({ listenKey: listenKeys.create(account.apiKey) })),
  route('PUT', '/fapi/v1/listenKey', 'USER_STREAM', 1, ({ account, listenKeys }) => ({ listenKey: listenKeys.keepalive(account.apiKey) })),
  route('DELETE', '/fapi/v1/listenKey', 'USER_STREAM', 1, ({ state, account, listenKeys }) => {
    listenKeys.close(account.apiKey);
    state.emit({ kind: 'drop-connections', stream: 'user', apiKey: account.apiKey });
    return {};
  }),
];

/** The route for a method and path, if the simulator serves it. */
export function findRoute(method: string, path: string): SimRoute | undefined {
  return ROUTES.find((r) => r.method === method && r.path === path);
}

/** The IP weight of a request to a route. */
export function weightOf(route: SimRoute, params: Params): number {
  return typeof route.weight === 'number' ? route.weight : route.weight(params);
}
