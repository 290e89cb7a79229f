// Account reads and settings: balances, positions, open orders, leverage brackets, position mode,
// margin type and leverage. Settings are idempotent ("no need to change" is success).
import { isExchangeError } from '../exchange-errors.ts';
import type { Balance, ConfigChange, LeverageBracket, LeverageSetting, MarginType, Order, Position, PositionMode } from '../exchange.port.ts';
import { toBalance, toLeverageBrackets, toLeverageSetting, toPosition } from './normalise-account.ts';
import { toOrder } from './normalise-orders.ts';
import type { BinanceRequest, Endpoint } from './request.ts';
import { arr, bool, obj } from './wire.ts';

const BALANCE: Endpoint = { method: 'GET', path: '/fapi/v3/balance', security: 'SIGNED', weight: 5, mutation: false };
const POSITION_RISK: Endpoint = { method: 'GET', path: '/fapi/v3/positionRisk', security: 'SIGNED', weight: 5, mutation: false };
const OPEN_ORDERS: Endpoint = { method: 'GET', path: '/fapi/v1/openOrders', security: 'SIGNED', weight: (p) => (p.symbol ? 1 : 40), mutation: false };
const LEVERAGE_BRACKET: Endpoint = { method: 'GET', path: '/fapi/v1/leverageBracket', security: 'SIGNED', weight: 1, mutation: false };
const POSITION_MODE_GET: Endpoint = { method: 'GET', path: '/fapi/v1/positionSide/dual', security: 'SIGNED', weight: 30, mutation: false };
// Settings are mutations, but repeating one cannot double anything: an unknown outcome is just retried.
const POSITION_MODE_SET: Endpoint = { method: 'POST', path: '/fapi/v1/positionSide/dual', security: 'SIGNED', weight: 1, mutation: false };
const MARGIN_TYPE: Endpoint = { method: 'POST', path: '/fapi/v1/marginType', security: 'SIGNED', weight: 1, mutation: false };
const LEVERAGE: Endpoint = { method: 'POST', path: '/fapi/v1/leverage', security: 'SIGNED', weight: 1, mutation: false };

/** Futures wallet balances per asset. */
export function getBalances(http: BinanceRequest): Promise<Balance[]> {
  return http.call(BALANCE, {}, (body) => arr(body, 'balances').map(toBalance));
}

/** Positions (with break-even price); one symbol when given. */
export function getPositions(http: BinanceRequest, symbol?: string): Promise<Position[]> {
  return http.call(POSITION_RISK, { symbol }, (body) => arr(body, 'positions').map(toPosition));
}

/** Working LIMIT/MARKET orders (weight 40 without a symbol). */
export function getOpenOrders(http: BinanceRequest, symbol?: string): Promise<Order[]> {
  return http.call(OPEN_ORDERS, { symbol }, (body) => arr(body, 'openOrders').map(toOrder));
}

/** Notional tiers and their maximum leverage. */
export function getLeverageBrackets(http: BinanceRequest, symbol?: string): Promise<LeverageBracket[]> {
  return http.call(LEVERAGE_BRACKET, { symbol }, toLeverageBrackets);
}

/** One-way or hedge (weight 30: cache it). */
export function getPositionMode(http: BinanceRequest): Promise<PositionMode> {
  return http.call(POSITION_MODE_GET, {}, (body) => (bool(obj(body, 'positionSide/dual'), 'dualSidePosition') ? 'hedge' : 'one-way'));
}

/** Runs a setting; Binance's "no need to change" (-4046 / -4059) means it was already so. */
async function idempotent(run: () => Promise<unknown>): Promise<ConfigChange> {
  try {
    return { changed: true, raw: await run() };
  } catch (error) {
    if (isExchangeError(error, 'NO_CHANGE_NEEDED')) return { changed: false, raw: { code: error.vendorCode, msg: error.vendorMessage } };
    throw error;
  }
}

/** Switches the account between one-way and hedge mode. */
export function setPositionMode(http: BinanceRequest, mode: PositionMode): Promise<ConfigChange> {
  return idempotent(() => http.call(POSITION_MODE_SET, { dualSidePosition: mode === 'hedge' ? 'true' : 'false' }, (b) => b));
}

/** Sets ISOLATED or CROSSED margin on a symbol. */
export function setMarginType(http: BinanceRequest, symbol: string, marginType: MarginType): Promise<ConfigChange> {
  return idempotent(() => http.call(MARGIN_TYPE, { symbol, marginType }, (b) => b));
}

/** Sets the symbol's initial leverage (1–125, capped by the brackets). */
export function setLeverage(http: BinanceRequest, symbol: string, leverage: number): Promise<LeverageSetting> {
  return http.call(LEVERAGE, { symbol, leverage }, toLeverageSetting);
}
