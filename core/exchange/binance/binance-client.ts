// The Binance USDⓈ-M client: the exchange port on fetch + Web Crypto, for one account. Runs in any
// runtime; Node injects fetch functions bound to undici Agents, one per egress IP.
import type { Signer } from './signing.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ExchangeGovernor } from '../../governor/weight-governor.port.ts';
import type {
  AccountTrade, AccountTradeQuery, IncomeQuery, IncomeRecord, AlgoCancel, AlgoOrder, AlgoOrderRef, Balance, ConfigChange, ExchangeInfo, ExchangePort, Kline, KlineQuery, LeverageBracket,
  LeverageSetting, MarginType, MarkPrice, ModifyOrderRequest, Order, OrderRef, PlaceAlgoOrderRequest, PlaceOrderRequest, Position, PositionMode,
} from '../exchange.port.ts';
import * as account from './account-endpoints.ts';
import * as algo from './algo-order-endpoints.ts';
import * as history from './history-endpoints.ts';
import * as listenKeys from './listen-key-endpoints.ts';
import * as market from './market-data-endpoints.ts';
import * as orders from './order-endpoints.ts';
import { BinanceRequest, type CallEvent, type Egress, type FetchFn } from './request.ts';
import { ServerTimeSync } from './server-time.ts';

/** Production REST base URL. */
export const BINANCE_USDM_URL = 'https://fapi.binance.com';

/** How to build a client for one account. */
export interface BinanceClientOptions {
  /** REST base, e.g. https://fapi.binance.com or the simulator's restUrl. */
  baseUrl: string;
  apiKey: string;
  secret: string;
  clock: Clock;
  /** One fetch (single egress), or several egress IPs each with its own fetch. */
  fetch?: FetchFn;
  egress?: readonly Egress[];
  /** Weight per IP and orders per account; without one, only the exchange's 429/418 limit us. */
  governor?: ExchangeGovernor;
  /** Key of this account's order counters in the governor (default: "default"). */
  accountId?: string;
  /** Binance recvWindow in ms (default 5000). */
  recvWindow?: number;
  /** Share one across clients on the same host to sync server time once. */
  timeSync?: ServerTimeSync;
  /** Re-sync server time when older than this (default 30 min); -1021 always re-syncs. */
  timeSyncMaxAgeMs?: number;
  /** Per-attempt timeout (default 10 s); a timed-out mutation is ambiguous. */
  timeoutMs?: number;
  /** Where signed POST/PUT/DELETE params go (default query). */
  paramsIn?: 'query' | 'body';
  log?: Logger;
  /** Called after every attempt: metrics and audit. */
  onCall?: (event: CallEvent) => void;
  /** Request signer (default: HMAC-SHA256 on Web Crypto under `secret`); a backtest passes a synchronous one. */
  signer?: Signer;
}

/** The exchange port on Binance USDⓈ-M Futures REST. */
export class BinanceUsdmClient implements ExchangePort {
  readonly venue = 'binance-usdm';
  private readonly http: BinanceRequest;

  constructor(options: BinanceClientOptions) {
    const egress = options.egress ?? (options.fetch ? [{ ip: 'default', fetch: options.fetch }] : []);
    if (egress.length === 0) throw new RangeError('BinanceUsdmClient needs fetch or egress');
    this.http = new BinanceRequest({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      apiKey: options.apiKey,
      secret: options.secret,
      clock: options.clock,
      egress,
      governor: options.governor,
      accountId: options.accountId ?? 'default',
      recvWindow: options.recvWindow ?? 5_000,
      timeSync: options.timeSync ?? new ServerTimeSync(),
      timeSyncMaxAgeMs: options.timeSyncMaxAgeMs ?? 30 * 60_000,
      timeoutMs: options.timeoutMs ?? 10_000,
      paramsIn: options.paramsIn ?? 'query',
      log: options.log,
      onCall: options.onCall,
      signer: options.signer,
    });
  }

  /** Re-reads the server time offset now (also done lazily and on -1021). */
  syncTime(): Promise<void> {
    return this.http.syncTime();
  }

  getBalances(): Promise<Balance[]> {
    return account.getBalances(this.http);
  }
  getPositions(symbol?: string): Promise<Position[]> {
    return account.getPositions(this.http, symbol);
  }
  getOpenOrders(symbol?: string): Promise<Order[]> {
    return account.getOpenOrders(this.http, symbol);
  }
  getOpenAlgoOrders(symbol?: string): Promise<AlgoOrder[]> {
    return algo.getOpenAlgoOrders(this.http, symbol);
  }
  getPositionMode(): Promise<PositionMode> {
    return account.getPositionMode(this.http);
  }
  getLeverageBrackets(symbol?: string): Promise<LeverageBracket[]> {
    return account.getLeverageBrackets(this.http, symbol);
  }
  getAccountTrades(query: AccountTradeQuery): Promise<AccountTrade[]> {
    return history.getAccountTrades(this.http, query);
  }
  getIncome(query: IncomeQuery): Promise<IncomeRecord[]> {
    return history.getIncome(this.http, query);
  }

  getExchangeInfo(): Promise<ExchangeInfo> {
    return market.getExchangeInfo(this.http);
  }
  getMarkPrice(symbol: string): Promise<MarkPrice> {
    return market.getMarkPrice(this.http, symbol);
  }
  getMarkPrices(): Promise<MarkPrice[]> {
    return market.getMarkPrices(this.http);
  }
  getKlines(query: KlineQuery): Promise<Kline[]> {
    return market.getKlines(this.http, query);
  }

  setMarginType(symbol: string, marginType: MarginType): Promise<ConfigChange> {
    return account.setMarginType(this.http, symbol, marginType);
  }
  setLeverage(symbol: string, leverage: number): Promise<LeverageSetting> {
    return account.setLeverage(this.http, symbol, leverage);
  }
  setPositionMode(mode: PositionMode): Promise<ConfigChange> {
    return account.setPositionMode(this.http, mode);
  }

  placeOrder(request: PlaceOrderRequest): Promise<Order> {
    return orders.placeOrder(this.http, request);
  }
  modifyOrder(request: ModifyOrderRequest): Promise<Order> {
    return orders.modifyOrder(this.http, request);
  }
  cancelOrder(ref: OrderRef): Promise<Order> {
    return orders.cancelOrder(this.http, ref);
  }
  getOrder(ref: OrderRef): Promise<Order> {
    return orders.getOrder(this.http, ref);
  }
  findOrder(ref: OrderRef): Promise<Order | null> {
    return orders.findOrder(this.http, ref);
  }

  placeAlgoOrder(request: PlaceAlgoOrderRequest): Promise<AlgoOrder> {
    return algo.placeAlgoOrder(this.http, request);
  }
  cancelAlgoOrder(ref: AlgoOrderRef): Promise<AlgoCancel> {
    return algo.cancelAlgoOrder(this.http, ref);
  }
  getAlgoOrder(ref: AlgoOrderRef): Promise<AlgoOrder> {
    return algo.getAlgoOrder(this.http, ref);
  }
  findAlgoOrder(ref: AlgoOrderRef): Promise<AlgoOrder | null> {
    return algo.findAlgoOrder(this.http, ref);
  }

  createListenKey(): Promise<string> {
    return listenKeys.createListenKey(this.http);
  }
  // Binance keeps one key per account and its PUT/DELETE take no key; the argument serves other venues.
  keepAliveListenKey(_listenKey: string): Promise<void> {
    return listenKeys.keepAliveListenKey(this.http);
  }
  closeListenKey(_listenKey: string): Promise<void> {
    return listenKeys.closeListenKey(this.http);
  }
}
