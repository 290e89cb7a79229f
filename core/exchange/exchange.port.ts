// The exchange-neutral port handlers talk to, one per account. Money and quantities are decimal
// strings (never JS numbers); every normalised record keeps the vendor payload for the audit trail.

/** A base-10 number as a plain string without exponent, e.g. "0.001". */
export type DecimalString = string;

/** Order side. */
export type Side = 'BUY' | 'SELL';
/** BOTH in one-way mode; LONG or SHORT in hedge mode. */
export type PositionSide = 'BOTH' | 'LONG' | 'SHORT';
/** Margin mode of a symbol. */
export type MarginType = 'ISOLATED' | 'CROSSED';
/** Account-wide position mode. */
export type PositionMode = 'one-way' | 'hedge';
/** Plain orders; conditional types go through the algo order API. */
export type OrderType = 'LIMIT' | 'MARKET';
/** Conditional (algo) order types. */
export type AlgoOrderType = 'STOP_MARKET' | 'TAKE_PROFIT_MARKET' | 'STOP' | 'TAKE_PROFIT' | 'TRAILING_STOP_MARKET';
/** How long an order stays working; GTX is post-only. */
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'GTX' | 'GTD';
/** Price a conditional order triggers on. */
export type WorkingType = 'MARK_PRICE' | 'CONTRACT_PRICE';
/** Order lifecycle status as the exchange reports it (open-ended: venues add values). */
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'EXPIRED_IN_MATCH' | (string & {});
/** Algo order lifecycle: NEW → TRIGGERING → TRIGGERED → FINISHED, or CANCELED / REJECTED / EXPIRED. */
export type AlgoStatus = 'NEW' | 'TRIGGERING' | 'TRIGGERED' | 'FINISHED' | 'CANCELED' | 'REJECTED' | 'EXPIRED' | (string & {});

/** Anything normalised from a vendor payload keeps that payload for audit. */
export interface WithRaw {
  raw: unknown;
}

/** One asset's balance in the futures wallet. */
export interface Balance extends WithRaw {
  asset: string;
  balance: DecimalString;
  crossWalletBalance: DecimalString;
  crossUnrealizedPnl: DecimalString;
  availableBalance: DecimalString;
  maxWithdrawAmount?: DecimalString;
  updateTime: number;
}

/** One position leg; `positionAmt` is signed (negative = short in one-way mode). */
export interface Position extends WithRaw {
  symbol: string;
  positionSide: PositionSide;
  positionAmt: DecimalString;
  entryPrice: DecimalString;
  breakEvenPrice: DecimalString;
  markPrice: DecimalString;
  unrealizedProfit: DecimalString;
  liquidationPrice: DecimalString;
  notional: DecimalString;
  /** Absent on endpoints that do not report it (Binance v3 positionRisk). */
  marginType?: MarginType;
  leverage?: number;
  isolatedMargin?: DecimalString;
  updateTime: number;
}

/** A plain (LIMIT / MARKET) order as the exchange echoes it. */
export interface Order extends WithRaw {
  symbol: string;
  orderId: string;
  clientOrderId: string;
  side: Side;
  positionSide: PositionSide;
  type: string;
  origType?: string;
  status: OrderStatus;
  timeInForce: string;
  price: DecimalString;
  origQty: DecimalString;
  executedQty: DecimalString;
  /** Optional everywhere: modify/cancel responses may omit them. */
  avgPrice?: DecimalString;
  cumQuote?: DecimalString;
  reduceOnly: boolean;
  closePosition: boolean;
  stopPrice?: DecimalString;
  workingType?: string;
  updateTime: number;
}

/** A conditional order held by the exchange's algo service until it triggers. */
export interface AlgoOrder extends WithRaw {
  algoId: string;
  clientAlgoId: string;
  symbol: string;
  side: Side;
  positionSide: PositionSide;
  type: string;
  status: AlgoStatus;
  triggerPrice: DecimalString;
  price?: DecimalString;
  quantity?: DecimalString;
  workingType?: string;
  timeInForce?: string;
  closePosition: boolean;
  reduceOnly: boolean;
  priceProtect: boolean;
  /** Set once triggered: the child order in the matching engine. */
  actualOrderId?: string;
  actualPrice?: DecimalString;
  actualQty?: DecimalString;
  createTime?: number;
  updateTime: number;
  triggerTime?: number;
}

/** The symbol filters orders must satisfy ("0" disables a bound, as on Binance). */
export interface SymbolFilters {
  tickSize: DecimalString;
  minPrice: DecimalString;
  maxPrice: DecimalString;
  stepSize: DecimalString;
  minQty: DecimalString;
  maxQty: DecimalString;
  /** MARKET orders use their own lot size where the exchange has one. */
  marketStepSize?: DecimalString;
  marketMinQty?: DecimalString;
  marketMaxQty?: DecimalString;
  minNotional: DecimalString;
  percentPrice?: { multiplierUp: DecimalString; multiplierDown: DecimalString };
  maxNumOrders?: number;
}

/** One tradeable contract and its rules. */
export interface SymbolInfo extends WithRaw {
  symbol: string;
  status: string;
  contractType?: string;
  baseAsset: string;
  quoteAsset: string;
  marginAsset: string;
  /** Display precisions only: never use them as tick or step size. */
  pricePrecision: number;
  quantityPrecision: number;
  filters: SymbolFilters;
  orderTypes: string[];
  timeInForce: string[];
  triggerProtect?: DecimalString;
}

/** An exchange-wide rate limit. */
export interface RateLimit {
  type: string;
  interval: string;
  intervalNum: number;
  limit: number;
}

/** Symbols and rate limits. */
export interface ExchangeInfo extends WithRaw {
  rateLimits: RateLimit[];
  symbols: SymbolInfo[];
}

/** One notional tier of a symbol's leverage brackets. */
export interface LeverageTier {
  bracket: number;
  initialLeverage: number;
  notionalCap: DecimalString;
  notionalFloor: DecimalString;
  maintMarginRatio: DecimalString;
  cum: DecimalString;
}

/** The leverage tiers of one symbol. */
export interface LeverageBracket extends WithRaw {
  symbol: string;
  brackets: LeverageTier[];
}

/** Mark and index price of one symbol. */
export interface MarkPrice extends WithRaw {
  symbol: string;
  markPrice: DecimalString;
  indexPrice: DecimalString;
  lastFundingRate: DecimalString;
  nextFundingTime: number;
  time: number;
}

/** One candle. */
export interface Kline extends WithRaw {
  openTime: number;
  open: DecimalString;
  high: DecimalString;
  low: DecimalString;
  close: DecimalString;
  volume: DecimalString;
  closeTime: number;
  quoteVolume: DecimalString;
  trades: number;
  takerBuyBaseVolume: DecimalString;
  takerBuyQuoteVolume: DecimalString;
}

/** Which candles to read. */
export interface KlineQuery {
  symbol: string;
  interval: string;
  limit?: number;
  startTime?: number;
  endTime?: number;
}

/** A configuration change that may already have been in place ("no need to change" is success). */
export interface ConfigChange extends WithRaw {
  changed: boolean;
}

/** Leverage as the exchange accepted it. */
export interface LeverageSetting extends WithRaw {
  symbol: string;
  leverage: number;
  maxNotionalValue: DecimalString;
}

/** A new LIMIT or MARKET order; the client id is required so every placement is idempotent. */
export interface PlaceOrderRequest {
  symbol: string;
  side: Side;
  type: OrderType;
  clientOrderId: string;
  quantity: DecimalString;
  price?: DecimalString;
  timeInForce?: TimeInForce;
  positionSide?: PositionSide;
  reduceOnly?: boolean;
  goodTillDate?: number;
}

/** Identifies an order by our client id (preferred) or the exchange id. */
export type OrderRef = { symbol: string } & ({ clientOrderId: string; orderId?: never } | { orderId: string; clientOrderId?: never });

/** Modify a resting LIMIT order in place (the order id stays). */
export type ModifyOrderRequest = OrderRef & { side: Side; quantity: DecimalString; price: DecimalString };

/** A new conditional order (stop-loss, take-profit…). */
export interface PlaceAlgoOrderRequest {
  symbol: string;
  side: Side;
  type: AlgoOrderType;
  clientAlgoId: string;
  triggerPrice: DecimalString;
  quantity?: DecimalString;
  price?: DecimalString;
  positionSide?: PositionSide;
  timeInForce?: TimeInForce;
  workingType?: WorkingType;
  closePosition?: boolean;
  reduceOnly?: boolean;
  priceProtect?: boolean;
  activatePrice?: DecimalString;
  callbackRate?: DecimalString;
}

/** Identifies an algo order by our client id (preferred) or the exchange id. */
export type AlgoOrderRef = { clientAlgoId: string; algoId?: never } | { algoId: string; clientAlgoId?: never };

/** Confirmation of an algo cancel (the exchange does not echo the order). */
export interface AlgoCancel extends WithRaw {
  algoId: string;
  clientAlgoId: string;
}

/** One fill of one of the account's orders (GET /fapi/v1/userTrades): the exchange's own record of it. */
export interface AccountTrade extends WithRaw {
  id: string;
  orderId: string;
  symbol: string;
  side: Side;
  positionSide: PositionSide;
  price: DecimalString;
  qty: DecimalString;
  quoteQty: DecimalString;
  /** The fee charged, as a non-negative amount (venues disagree on its sign). */
  commission: DecimalString;
  commissionAsset: string;
  /** Realised PnL of the part that reduced the position, before fees. */
  realizedPnl: DecimalString;
  maker: boolean;
  time: number;
}

/** Which trades to read: one symbol, by order or by a time window (Binance: at most 7 days). */
export interface AccountTradeQuery {
  symbol: string;
  orderId?: string;
  startTime?: number;
  endTime?: number;
  fromId?: string;
  limit?: number;
}

/** One row of the account's income history (funding, commission, realised PnL…), signed as credited. */
export interface IncomeRecord extends WithRaw {
  symbol: string;
  incomeType: string;
  income: DecimalString;
  asset: string;
  time: number;
  tranId: string;
  tradeId: string;
}

/** Which income to read (Binance: startTime and endTime inclusive, at most 1000 rows). */
export interface IncomeQuery {
  symbol?: string;
  incomeType?: string;
  startTime?: number;
  endTime?: number;
  limit?: number;
}

/** Account reads: what the account holds and has working. */
export interface ExchangeAccountReads {
  getBalances(): Promise<Balance[]>;
  /** Positions with a non-zero amount or open orders; one symbol when given. */
  getPositions(symbol?: string): Promise<Position[]>;
  getOpenOrders(symbol?: string): Promise<Order[]>;
  getOpenAlgoOrders(symbol?: string): Promise<AlgoOrder[]>;
  getPositionMode(): Promise<PositionMode>;
  getLeverageBrackets(symbol?: string): Promise<LeverageBracket[]>;
  /** The account's fills on one symbol, oldest first: fill prices, fees and realised PnL as the exchange booked them. */
  getAccountTrades(query: AccountTradeQuery): Promise<AccountTrade[]>;
  /** The account's income history (funding fees, commissions, realised PnL), oldest first. */
  getIncome(query: IncomeQuery): Promise<IncomeRecord[]>;
}

/** Public market data. */
export interface ExchangeMarketData {
  getExchangeInfo(): Promise<ExchangeInfo>;
  getMarkPrice(symbol: string): Promise<MarkPrice>;
  getMarkPrices(): Promise<MarkPrice[]>;
  getKlines(query: KlineQuery): Promise<Kline[]>;
}

/** Account and symbol configuration. */
export interface ExchangeConfiguration {
  setMarginType(symbol: string, marginType: MarginType): Promise<ConfigChange>;
  setLeverage(symbol: string, leverage: number): Promise<LeverageSetting>;
  setPositionMode(mode: PositionMode): Promise<ConfigChange>;
}

/** Plain orders by client id. */
export interface ExchangeOrders {
  placeOrder(request: PlaceOrderRequest): Promise<Order>;
  modifyOrder(request: ModifyOrderRequest): Promise<Order>;
  cancelOrder(ref: OrderRef): Promise<Order>;
  getOrder(ref: OrderRef): Promise<Order>;
  /** Like getOrder, but null when the exchange does not know the order (reconcile by client id). */
  findOrder(ref: OrderRef): Promise<Order | null>;
}

/** Conditional orders by client id. */
export interface ExchangeAlgoOrders {
  placeAlgoOrder(request: PlaceAlgoOrderRequest): Promise<AlgoOrder>;
  cancelAlgoOrder(ref: AlgoOrderRef): Promise<AlgoCancel>;
  getAlgoOrder(ref: AlgoOrderRef): Promise<AlgoOrder>;
  /** Like getAlgoOrder, but null when the exchange does not know it. */
  findAlgoOrder(ref: AlgoOrderRef): Promise<AlgoOrder | null>;
}

/** User-data stream keys. */
export interface ExchangeListenKeys {
  createListenKey(): Promise<string>;
  keepAliveListenKey(listenKey: string): Promise<void>;
  closeListenKey(listenKey: string): Promise<void>;
}

/** Everything a handler can do on one account's exchange. */
export interface ExchangePort
  extends ExchangeAccountReads, ExchangeMarketData, ExchangeConfiguration, ExchangeOrders, ExchangeAlgoOrders, ExchangeListenKeys {
  /** Which venue this is, for logs and audit rows. */
  readonly venue: string;
}
