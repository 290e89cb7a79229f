// POST /fapi/v1/order parameters → a typed request, with Binance's rejections for malformed input.
import type { Dec } from './decimal.ts';
import type { Side } from './orders.ts';
import { boolParam, clientIdParam, decimalParam, enumParam, intParam, optional, required, type Params } from './params.ts';
import type { PositionSide } from './positions.ts';
import { errors } from './sim-error.ts';

/** A validated new-order request (LIMIT or MARKET). */
export interface NewOrderRequest {
  symbol: string;
  side: Side;
  type: 'LIMIT' | 'MARKET';
  /** Absent means BOTH; the engine checks it against the account's position mode. */
  positionSide?: PositionSide;
  timeInForce: 'GTC' | 'IOC' | 'FOK' | 'GTX' | 'GTD';
  quantity: Dec;
  price?: Dec;
  reduceOnly: boolean;
  /** Whether `reduceOnly` was sent at all (hedge mode rejects it). */
  reduceOnlySent: boolean;
  clientOrderId?: string;
  respType: 'ACK' | 'RESULT';
  goodTillDate: number;
}

const CONDITIONAL = ['STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'];

/** Reads the shared side / positionSide parameters. */
export function sideParams(p: Params): { side: Side; positionSide?: PositionSide } {
  const side = enumParam(p, 'side', ['BUY', 'SELL'] as const, errors.invalidSide);
  if (!side) throw errors.mandatory('side');
  const positionSide = enumParam(p, 'positionSide', ['BOTH', 'LONG', 'SHORT'] as const);
  return { side, positionSide };
}

/** Parses and validates the parameters of a new LIMIT or MARKET order. */
export function parseNewOrder(p: Params): NewOrderRequest {
  const symbol = required(p, 'symbol');
  const { side, positionSide } = sideParams(p);
  const rawType = required(p, 'type');
  if (CONDITIONAL.includes(rawType)) throw errors.useAlgoApi();
  if (rawType !== 'LIMIT' && rawType !== 'MARKET') throw errors.invalidOrderType();
  const type = rawType;
  if (optional(p, 'closePosition') !== undefined) throw errors.notRequired('closePosition');
  if (optional(p, 'priceMatch') !== undefined && optional(p, 'priceMatch') !== 'NONE') throw errors.invalidParam('priceMatch');
  const quantity = decimalParam(p, 'quantity');
  if (!quantity) throw errors.mandatory('quantity');
  const price = decimalParam(p, 'price');
  let timeInForce = enumParam(p, 'timeInForce', ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'] as const);
  if (type === 'LIMIT') {
    if (!timeInForce) throw errors.mandatory('timeInForce');
    if (!price) throw errors.mandatory('price');
  } else {
    if (price) throw errors.notRequired('price');
    timeInForce = 'GTC';
  }
  const goodTillDate = intParam(p, 'goodTillDate') ?? 0;
  if (timeInForce === 'GTD' && goodTillDate === 0) throw errors.mandatory('goodTillDate');
  const reduceOnly = boolParam(p, 'reduceOnly');
  return {
    symbol, side, type, positionSide, timeInForce: timeInForce ?? 'GTC', quantity, price,
    reduceOnly: reduceOnly ?? false, reduceOnlySent: reduceOnly === true,
    clientOrderId: clientIdParam(p, 'newClientOrderId'),
    respType: enumParam(p, 'newOrderRespType', ['ACK', 'RESULT'] as const) ?? 'ACK',
    goodTillDate,
  };
}
