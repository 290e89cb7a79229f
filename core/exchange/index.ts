// The exchange's public surface: the port, its errors, decimal rules, client ids, and the Binance client.
export type {
  AccountTrade, AccountTradeQuery, AlgoCancel, AlgoOrder, AlgoOrderRef, AlgoOrderType, AlgoStatus, Balance, ConfigChange, DecimalString, ExchangeAccountReads,
  ExchangeAlgoOrders, ExchangeConfiguration, ExchangeInfo, ExchangeListenKeys, ExchangeMarketData, ExchangeOrders, ExchangePort,
  IncomeQuery, IncomeRecord, Kline, KlineQuery, LeverageBracket, LeverageSetting, LeverageTier, MarginType, MarkPrice, ModifyOrderRequest, Order, OrderRef,
  OrderStatus, OrderType, PlaceAlgoOrderRequest, PlaceOrderRequest, Position, PositionMode, PositionSide, RateLimit, Side,
  SymbolFilters, SymbolInfo, TimeInForce, WithRaw, WorkingType,
} from './exchange.port.ts';
export {
  AmbiguousMutationError, ExchangeError, RejectedExchangeError, RetryableExchangeError, ThrottledExchangeError, isExchangeError,
  type ExchangeErrorCode, type ExchangeErrorDetails, type ExchangeErrorKind,
} from './exchange-errors.ts';
export {
  aggressiveRounding, assertOrder, checkOrder, compareDecimal, decimalOf, floorQty, isDecimalString, isOnStep, minQtyForNotional,
  notional, passiveRounding, roundPrice, roundQty, roundToStep, toDecimalString,
  type DecimalInput, type FilterRule, type FilterViolation, type OrderCheck, type RoundingMode,
} from './precision.ts';
export {
  CLIENT_ORDER_ID_MAX, CLIENT_ORDER_ID_PATTERN, clientOrderId, parseClientOrderId,
  type ClientOrderIdParts, type OrderRole, type ParsedClientOrderId,
} from './client-order-id.ts';
export { BINANCE_USDM_URL, BinanceUsdmClient, type BinanceClientOptions } from './binance/binance-client.ts';
export type { CallEvent, Egress, FetchFn, FetchInit, FetchResponse } from './binance/request.ts';
export { ServerTimeSync } from './binance/server-time.ts';
export { hmacSigner, encodeParams } from './binance/signing.ts';
export { mapBinanceFailure, parseRetryAfter, type BinanceFailure } from './binance/binance-errors.ts';
