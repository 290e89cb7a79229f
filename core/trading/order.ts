// Orders as handlers read them: our intent (price, quantity) beside the exchange's echo, so a
// drifted working order is visible and average fill price never overwrites intent.
import type { OrderRole } from '../exchange/client-order-id.ts';
import type { DecimalString, PositionSide, Side } from '../exchange/exchange.port.ts';
import type { Row } from '../steps/effects.ts';
import { decodeRow, oneOf, type Codec } from './row-codec.ts';
import { ORDER_STATUSES, type LocalOrderStatus } from './statuses.ts';
import { TABLES } from './tables.ts';

/** Every order role, as the orders.role column holds them. */
export const ORDER_ROLES: readonly OrderRole[] = ['entry', 'rung', 'stop', 'profit', 'close'];

/** One exchange-side instruction owned by a position. */
export interface OrderRow {
  id: number;
  positionId: number;
  accountId: number;
  symbol: string;
  role: OrderRole;
  /** 1..N for DCA rungs, null otherwise. */
  rung: number | null;
  /** 0 for the original; bumped when a dead order is deliberately replaced. */
  replacement: number;
  clientOrderId: string;
  /** orderId, or algoId when isAlgo: set once placed (the idempotency anchor). */
  exchangeOrderId: string | null;
  isAlgo: boolean;
  /** Exchange order type: MARKET, LIMIT, STOP_MARKET, TAKE_PROFIT_MARKET… */
  type: string;
  side: Side;
  positionSide: PositionSide;
  reduceOnly: boolean;
  closePosition: boolean;
  /** Our intent: limit or trigger price (null for MARKET). */
  price: DecimalString | null;
  /** Our intent: quantity (null for close-position protection). */
  quantity: DecimalString | null;
  status: LocalOrderStatus;
  exchangeStatus: string | null;
  exchangePrice: DecimalString | null;
  exchangeQuantity: DecimalString | null;
  executedQty: DecimalString | null;
  avgPrice: DecimalString | null;
  /** Commission the exchange charged on the fills (non-negative), once the ledger read them. */
  commission: DecimalString | null;
  exchangeUpdatedAt: number | null;
  /** When WAP applied this fill to the take-profit; null on a filled rung = WAP still owed. */
  fillAppliedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** The order codec, shared with order-effects.ts. */
export const ORDER_CODEC: Codec<OrderRow> = {
  id: ['id', 'int'], positionId: ['position_id', 'int'], accountId: ['account_id', 'int'], symbol: ['symbol', 'string'],
  role: ['role', 'string'], rung: ['rung', 'int?'], replacement: ['replacement', 'int'], clientOrderId: ['client_order_id', 'string'],
  exchangeOrderId: ['exchange_order_id', 'string?'], isAlgo: ['is_algo', 'flag'], type: ['type', 'string'], side: ['side', 'string'],
  positionSide: ['position_side', 'string'], reduceOnly: ['reduce_only', 'flag'], closePosition: ['close_position', 'flag'],
  price: ['price', 'decimal?'], quantity: ['quantity', 'decimal?'], status: ['status', 'string'],
  exchangeStatus: ['exchange_status', 'string?'], exchangePrice: ['exchange_price', 'decimal?'], exchangeQuantity: ['exchange_quantity', 'decimal?'],
  executedQty: ['executed_qty', 'decimal?'], avgPrice: ['avg_price', 'decimal?'], commission: ['commission', 'decimal?'], exchangeUpdatedAt: ['exchange_updated_at', 'int?'],
  fillAppliedAt: ['fill_applied_at', 'int?'], createdAt: ['created_at', 'int'], updatedAt: ['updated_at', 'int'],
};

/** Reads an orders row. */
export function toOrder(row: Row): OrderRow {
  const o = decodeRow(TABLES.orders, ORDER_CODEC, row);
  return {
    ...o,
    role: oneOf(ORDER_ROLES, o.role, 'orders.role'),
    side: oneOf(['BUY', 'SELL'], o.side, 'orders.side'),
    positionSide: oneOf(['BOTH', 'LONG', 'SHORT'], o.positionSide, 'orders.position_side'),
    status: oneOf(ORDER_STATUSES, o.status, 'orders.status'),
  };
}
