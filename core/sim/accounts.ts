// Simulated accounts: credentials, USDT wallet, position mode, per-symbol leverage and margin type,
// and everything the account owns (position legs, orders, algo orders, trades).
import { dec, type Dec } from './decimal.ts';
import type { SimAlgoOrder } from './algo-order.ts';
import type { SimFundingFee } from './funding.ts';
import { isOpen, type SimOrder, type SimTrade } from './orders.ts';
import { AlgoMap, OrderMap } from './order-books.ts';
import { flatLeg, legKey, type PositionLeg, type PositionSide } from './positions.ts';

/** How an account is created. */
export interface SimAccountOptions {
  apiKey: string;
  secret: string;
  /** Starting USDT wallet balance; default "10000". */
  balance?: string;
  /** Hedge mode (dual side position); default one-way. */
  dualSidePosition?: boolean;
  /** Maker and taker commission rates; default 0.0002 / 0.0005. */
  makerRate?: string;
  takerRate?: string;
}

/** Per-symbol settings. */
export interface SymbolSettings {
  leverage: number;
  marginType: 'CROSSED' | 'ISOLATED';
}

/** One account and everything it owns. */
export class SimAccount {
  readonly apiKey: string;
  readonly secret: string;
  wallet: Dec;
  dualSidePosition: boolean;
  readonly makerRate: Dec;
  readonly takerRate: Dec;
  readonly settings = new Map<string, SymbolSettings>();
  readonly legs = new Map<string, PositionLeg>();
  /** Every order ever placed (history), by order id. */
  readonly orders = new OrderMap();
  /** Working orders, by order id. */
  readonly openOrders = new Map<number, SimOrder>();
  readonly algoOrders = new AlgoMap();
  readonly trades: SimTrade[] = [];
  /** Funding fees paid or received, oldest first (income history FUNDING_FEE). */
  readonly funding: SimFundingFee[] = [];
  /** The wallet's last change: its funding, then every settlement; 0 only for a wallet never funded. */
  updateTime: number;

  /** `fundedAt` is when the starting balance arrived (the simulator's clock at creation). */
  constructor(options: SimAccountOptions, fundedAt = 0) {
    this.apiKey = options.apiKey;
    this.secret = options.secret;
    this.wallet = dec(options.balance ?? '10000');
    // Binance stamps a funded asset with its last change; a client (ccxt) reads 0 as "never funded".
    this.updateTime = this.wallet.isZero() ? 0 : fundedAt;
    this.dualSidePosition = options.dualSidePosition ?? false;
    this.makerRate = dec(options.makerRate ?? '0.0002');
    this.takerRate = dec(options.takerRate ?? '0.0005');
  }

  /** Leverage and margin type of a symbol (Binance's defaults: 20x cross). */
  settingsOf(symbol: string, maxLeverage: number): SymbolSettings {
    let s = this.settings.get(symbol);
    if (!s) {
      s = { leverage: Math.min(20, maxLeverage), marginType: 'CROSSED' };
      this.settings.set(symbol, s);
    }
    return s;
  }

  /** The position leg an order on `positionSide` acts on, created flat on first use. */
  leg(symbol: string, positionSide: PositionSide): PositionLeg {
    const key = legKey(symbol, positionSide);
    let leg = this.legs.get(key);
    if (!leg) {
      leg = flatLeg(symbol, positionSide);
      this.legs.set(key, leg);
    }
    return leg;
  }

  /** The legs the current position mode reports for a symbol (BOTH, or LONG and SHORT). */
  legsOf(symbol: string): PositionLeg[] {
    return this.dualSidePosition ? [this.leg(symbol, 'LONG'), this.leg(symbol, 'SHORT')] : [this.leg(symbol, 'BOTH')];
  }

  /** Working orders, optionally of one symbol, in placement order. */
  working(symbol?: string): SimOrder[] {
    return [...this.openOrders.values()].filter((o) => isOpen(o) && (!symbol || o.symbol === symbol));
  }

  /** Algo orders waiting for their trigger, optionally of one symbol. */
  workingAlgos(symbol?: string): SimAlgoOrder[] {
    return this.algoOrders.waiting().filter((a) => !symbol || a.symbol === symbol);
  }

  /** Finds an order by id or client id (the newest one with that client id). */
  findOrder(symbol: string, ref: { orderId?: number; clientOrderId?: string }): SimOrder | undefined {
    if (ref.orderId !== undefined) {
      const o = this.orders.get(ref.orderId);
      return o && o.symbol === symbol ? o : undefined;
    }
    if (ref.clientOrderId === undefined) return undefined;
    return this.orders.withClientId(ref.clientOrderId).findLast((o) => o.symbol === symbol);
  }

  /** Finds an algo order by id or client id (the newest one with that client id). */
  findAlgo(ref: { algoId?: number; clientAlgoId?: string }): SimAlgoOrder | undefined {
    if (ref.algoId !== undefined) return this.algoOrders.get(ref.algoId);
    if (ref.clientAlgoId === undefined) return undefined;
    return this.algoOrders.withClientId(ref.clientAlgoId).at(-1);
  }
}
