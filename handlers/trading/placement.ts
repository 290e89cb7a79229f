// The idempotency rule every placement follows (trading.md): the order row with its deterministic
// client id is committed first; a row that already holds an exchange id is never placed again; a
// re-run (attempt > 1: a retry, or a run taken over after a crash) first asks the exchange for the
// client id and adopts what it finds; an answer lost in transit is reconciled the same way.
import type { AlgoOrder, ExchangePort, Order, SymbolFilters } from '../../core/exchange/exchange.port.ts';
import { AmbiguousMutationError, isExchangeError, RetryableExchangeError } from '../../core/exchange/exchange-errors.ts';
import type { OrderRow } from '../../core/trading/order.ts';
import { echoOfAlgo, echoOfOrder, type OrderEcho } from '../../core/trading/order-effects.ts';

/** Looks an order row up on the exchange by its client id; null when the exchange never saw it. */
export async function findOnExchange(ex: ExchangePort, row: OrderRow, filters: SymbolFilters): Promise<OrderEcho | null> {
  if (row.isAlgo) {
    const algo = await ex.findAlgoOrder({ clientAlgoId: row.clientOrderId });
    return algo ? echoOfAlgo(algo, filters) : null;
  }
  const order = await ex.findOrder({ symbol: row.symbol, clientOrderId: row.clientOrderId });
  return order ? echoOfOrder(order, filters) : null;
}

function send(ex: ExchangePort, row: OrderRow): Promise<Order | AlgoOrder> {
  const hedged = row.positionSide !== 'BOTH';
  if (row.isAlgo) {
    return ex.placeAlgoOrder({
      symbol: row.symbol, side: row.side, type: row.type as 'STOP_MARKET' | 'TAKE_PROFIT_MARKET', clientAlgoId: row.clientOrderId,
      triggerPrice: row.price!, workingType: 'MARK_PRICE', priceProtect: true,
      ...(hedged ? { positionSide: row.positionSide } : {}),
      ...(row.closePosition ? { closePosition: true } : { quantity: row.quantity!, ...(hedged ? {} : { reduceOnly: row.reduceOnly }) }),
    });
  }
  return ex.placeOrder({
    symbol: row.symbol, side: row.side, type: row.type as 'LIMIT' | 'MARKET', clientOrderId: row.clientOrderId, quantity: row.quantity!,
    ...(row.type === 'LIMIT' ? { price: row.price!, timeInForce: 'GTC' as const } : {}),
    ...(hedged ? { positionSide: row.positionSide } : row.reduceOnly ? { reduceOnly: true } : {}),
  });
}

const echoOf = (placed: Order | AlgoOrder, filters: SymbolFilters): OrderEcho =>
  ('algoId' in placed ? echoOfAlgo(placed, filters) : echoOfOrder(placed, filters));

/**
 * Places a pending order row, or adopts the order the exchange already holds under its client id.
 * Never places twice: a re-run looks first, and an ambiguous answer is looked up before anything
 * else (not found → a retryable error, so the next attempt looks again before sending).
 */
export async function placeOrAdopt(ex: ExchangePort, row: OrderRow, filters: SymbolFilters, attempt: number): Promise<{ echo: OrderEcho; adopted: boolean }> {
  if (attempt > 1) {
    const found = await findOnExchange(ex, row, filters);
    if (found) return { echo: found, adopted: true };
  }
  try {
    return { echo: echoOf(await send(ex, row), filters), adopted: false };
  } catch (error) {
    if (!(error instanceof AmbiguousMutationError) && !isExchangeError(error, 'DUPLICATE_CLIENT_ORDER_ID')) throw error;
    const found = await findOnExchange(ex, row, filters);
    if (found) return { echo: found, adopted: true };
    throw new RetryableExchangeError('EXCHANGE_UNAVAILABLE', `placement of ${row.clientOrderId} has an unknown outcome and the exchange does not know it yet`, { cause: error });
  }
}
