// The algo (conditional) order service: POST /fapi/v1/algoOrder validation, cancel, and triggers.
// A triggered algo goes TRIGGERING → TRIGGERED (child order id in `ai`) → FINISHED once its child
// MARKET (or LIMIT) order is done; each step publishes ALGO_UPDATE.
import type { Dec } from './decimal.ts';
import type { SimAccount } from './accounts.ts';
import { closedLegSide, setAlgoStatus } from './algo-lifecycle.ts';
import { triggerMet, type AlgoOrderType, type SimAlgoOrder } from './algo-order.ts';
import { checkNotional, checkPrice, checkQty } from './filters.ts';
import { reducibleQty } from './margin.ts';
import type { SimMarket } from './market.ts';
import { placeOrder } from './matching-engine.ts';
import { sideParams } from './order-params.ts';
import type { Side } from './orders.ts';
import { boolParam, clientIdParam, decimalParam, enumParam, optional, required, type Params } from './params.ts';
import type { PositionSide } from './positions.ts';
import { errors, SimError } from './sim-error.ts';
import type { SimState } from './sim-state.ts';

/** A validated POST /fapi/v1/algoOrder request. */
export interface NewAlgoRequest {
  symbol: string;
  side: Side;
  positionSide?: PositionSide;
  type: AlgoOrderType;
  quantity: Dec | null;
  price: Dec | null;
  triggerPrice: Dec;
  workingType: 'MARK_PRICE' | 'CONTRACT_PRICE';
  timeInForce: string;
  closePosition: boolean;
  reduceOnly: boolean;
  reduceOnlySent: boolean;
  priceProtect: boolean;
  clientAlgoId?: string;
}

const TYPES = ['STOP_MARKET', 'TAKE_PROFIT_MARKET', 'STOP', 'TAKE_PROFIT'] as const;

/** Parses POST /fapi/v1/algoOrder parameters with Binance's rejections. */
export function parseAlgoOrder(p: Params): NewAlgoRequest {
  if (required(p, 'algoType') !== 'CONDITIONAL') throw errors.invalidParam('algoType');
  const symbol = required(p, 'symbol');
  const { side, positionSide } = sideParams(p);
  const type = enumParam(p, 'type', TYPES, errors.invalidOrderType);
  if (!type) throw errors.mandatory('type');
  const triggerPrice = decimalParam(p, 'triggerPrice');
  if (!triggerPrice) throw errors.mandatory('triggerPrice');
  const closePosition = boolParam(p, 'closePosition') ?? false;
  const reduceOnly = boolParam(p, 'reduceOnly');
  const quantity = decimalParam(p, 'quantity') ?? null;
  const price = decimalParam(p, 'price') ?? null;
  if (closePosition) {
    if (type !== 'STOP_MARKET' && type !== 'TAKE_PROFIT_MARKET') throw errors.notRequired('closePosition');
    if (quantity) throw errors.closePositionQty();
    if (reduceOnly === true) throw errors.notRequired('reduceOnly');
  } else if (!quantity) throw errors.mandatory('quantity');
  if ((type === 'STOP' || type === 'TAKE_PROFIT') && !price) throw errors.mandatory('price');
  if ((type === 'STOP_MARKET' || type === 'TAKE_PROFIT_MARKET') && price) throw errors.notRequired('price');
  return {
    symbol, side, positionSide, type, quantity, price, triggerPrice,
    workingType: enumParam(p, 'workingType', ['MARK_PRICE', 'CONTRACT_PRICE'] as const) ?? 'CONTRACT_PRICE',
    timeInForce: closePosition ? 'GTE_GTC' : (enumParam(p, 'timeInForce', ['GTC', 'IOC', 'FOK', 'GTX'] as const) ?? 'GTC'),
    closePosition, reduceOnly: reduceOnly ?? false, reduceOnlySent: reduceOnly === true,
    priceProtect: boolParam(p, 'priceProtect') ?? false, clientAlgoId: clientIdParam(p, 'clientAlgoId'),
  };
}

/** The price an algo order watches. */
export function watchedPrice(market: SimMarket, workingType: SimAlgoOrder['workingType']): Dec {
  return workingType === 'MARK_PRICE' ? market.mark : market.last;
}

function positionSideOf(account: SimAccount, req: NewAlgoRequest): PositionSide {
  const ps = req.positionSide ?? 'BOTH';
  if (account.dualSidePosition) {
    if (ps === 'BOTH') throw errors.positionSideMismatch();
    if (req.reduceOnlySent) throw errors.notRequired('reduceOnly');
    // A close-all stop in hedge mode must close its own leg: SELL LONG or BUY SHORT.
    if (req.closePosition && ((req.side === 'BUY' && ps === 'LONG') || (req.side === 'SELL' && ps === 'SHORT'))) throw errors.positionSideMismatch();
  } else if (ps !== 'BOTH') throw errors.positionSideMismatch();
  return ps;
}

/** Validates and stores a new algo order; publishes ALGO_UPDATE NEW. */
export function placeAlgo(state: SimState, account: SimAccount, req: NewAlgoRequest): SimAlgoOrder {
  const market = state.market(req.symbol);
  const ps = positionSideOf(account, req);
  checkPrice(market, req.triggerPrice);
  if (req.price) checkPrice(market, req.price);
  if (req.quantity) checkQty(market, req.quantity, req.type.endsWith('_MARKET'));
  const leg = account.leg(market.symbol, ps);
  if (req.closePosition) {
    if (leg.amount.isZero() && account.working(market.symbol).length === 0) throw errors.gteNeedsPosition();
    const twin = account.workingAlgos(market.symbol).find((a) => a.closePosition && a.side === req.side && a.positionSide === ps && a.orderType === req.type);
    if (twin) throw errors.duplicateClosePosition();
  } else if (req.reduceOnly && reducibleQty(leg, req.side).isZero()) {
    throw errors.reduceOnlyRejected();
  } else if (req.quantity && !req.reduceOnly && ps === 'BOTH') {
    checkNotional(market, req.quantity, req.price ?? req.triggerPrice, false);
  }
  if (triggerMet({ orderType: req.type, side: req.side, triggerPrice: req.triggerPrice }, watchedPrice(market, req.workingType))) throw errors.wouldTrigger();
  if (req.clientAlgoId && account.workingAlgos().some((a) => a.clientAlgoId === req.clientAlgoId)) throw errors.duplicateClientId();
  if (account.workingAlgos().length >= state.behaviour.maxAlgoOrders) throw errors.maxStopOrders();
  const now = state.now();
  const algoId = state.nextAlgoId();
  const algo: SimAlgoOrder = {
    apiKey: account.apiKey, algoId, clientAlgoId: req.clientAlgoId ?? `simalgo_${algoId}`, orderType: req.type,
    symbol: market.symbol, side: req.side, positionSide: ps, timeInForce: req.timeInForce, quantity: req.quantity,
    price: req.price, triggerPrice: req.triggerPrice, workingType: req.workingType, closePosition: req.closePosition,
    reduceOnly: req.reduceOnly, priceProtect: req.priceProtect, status: 'NEW', createTime: now, updateTime: now, triggerTime: 0,
  };
  account.algoOrders.set(algoId, algo);
  setAlgoStatus(state, account, algo, 'NEW');
  return algo;
}

/** Cancels a waiting algo order; -2011 when it is unknown or no longer waiting. */
export function cancelAlgo(state: SimState, account: SimAccount, algo: SimAlgoOrder | undefined): SimAlgoOrder {
  if (!algo || algo.status !== 'NEW') throw errors.unknownOrder();
  setAlgoStatus(state, account, algo, 'CANCELED');
  return algo;
}

/** Reads `algoId` / `clientAlgoId` and finds the algo order. */
export function findAlgoByParams(account: SimAccount, p: Params): SimAlgoOrder | undefined {
  const id = optional(p, 'algoId');
  const clientAlgoId = optional(p, 'clientAlgoId');
  if (id === undefined && clientAlgoId === undefined) throw errors.eitherAlgoId();
  if (id !== undefined && !/^\d+$/.test(id)) throw errors.illegalChars('algoId');
  return account.findAlgo(id !== undefined ? { algoId: Number(id) } : { clientAlgoId });
}

/** Triggers every waiting algo order on the market whose condition the current prices meet. */
export function checkTriggers(state: SimState, market: SimMarket): void {
  for (const account of state.accounts.values()) {
    for (const algo of account.workingAlgos(market.symbol)) {
      if (algo.status === 'NEW' && triggerMet(algo, watchedPrice(market, algo.workingType))) trigger(state, account, algo);
    }
  }
}

/** Fires one algo order: sends its child order to the matching engine. */
export function trigger(state: SimState, account: SimAccount, algo: SimAlgoOrder): void {
  algo.triggerTime = state.now();
  setAlgoStatus(state, account, algo, 'TRIGGERING');
  let qty = algo.quantity;
  if (algo.closePosition) {
    qty = reducibleQty(account.leg(algo.symbol, closedLegSide(algo)), algo.side);
    if (qty.isZero()) return setAlgoStatus(state, account, algo, 'EXPIRED');
  }
  const type = algo.orderType.endsWith('_MARKET') ? 'MARKET' : 'LIMIT';
  try {
    placeOrder(state, account, {
      symbol: algo.symbol, side: algo.side, type, positionSide: algo.positionSide,
      timeInForce: type === 'LIMIT' ? (algo.timeInForce as 'GTC') : 'GTC', quantity: qty!,
      price: type === 'LIMIT' ? algo.price! : undefined, reduceOnly: algo.reduceOnly, reduceOnlySent: false,
      clientOrderId: algo.clientAlgoId, respType: 'RESULT', goodTillDate: 0,
    }, {
      algoId: algo.algoId, closePosition: algo.closePosition, trusted: algo.closePosition,
      onAccepted: (child) => {
        algo.actualOrderId = child.orderId;
        algo.actualType = type;
        setAlgoStatus(state, account, algo, 'TRIGGERED');
      },
    });
  } catch (error) {
    if (!(error instanceof SimError)) throw error;
    setAlgoStatus(state, account, algo, 'REJECTED', error.message);
  }
}
