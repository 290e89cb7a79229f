// The shared state every engine module works on: markets, accounts, id counters, the clock and
// the event sink. Modules are functions over this state so each stays small and testable.
import type { Clock } from '../ports/clock.ts';
import type { SimAccount } from './accounts.ts';
import type { SimMarket } from './market.ts';
import { errors } from './sim-error.ts';
import type { SimEvent } from './user-events.ts';

// funding.ts's period; repeated here because funding.ts imports this module.
const FUNDING_PERIOD = 8 * 3600_000;

/** Behaviour switches that Binance has changed over time or that tests want to pin. */
export interface SimBehaviour {
  /** Include avgPrice/cumQuote in new/modify/cancel responses (dropped from Binance's docs 2026-07-15). */
  legacyOrderFields: boolean;
  /** Publish TRADE_LITE frames beside ORDER_TRADE_UPDATE. */
  tradeLite: boolean;
  /** Open orders per symbol (MAX_NUM_ORDERS). */
  maxOpenOrders: number;
  /** Open algo orders across all symbols. */
  maxAlgoOrders: number;
  /** Modifications allowed per order (-5026 beyond). */
  maxModifies: number;
}

/** Default behaviour: today's Binance. */
export const DEFAULT_BEHAVIOUR: SimBehaviour = {
  legacyOrderFields: false, tradeLite: true, maxOpenOrders: 200, maxAlgoOrders: 200, maxModifies: 10000,
};

/** The id sequences of a simulator. */
export interface SimCounters {
  order: number;
  trade: number;
  algo: number;
  priority: number;
  tran: number;
}

/** Everything the engine's modules read and mutate. */
export class SimState {
  readonly markets = new Map<string, SimMarket>();
  readonly accounts = new Map<string, SimAccount>();
  private orderSeq = 8_389_765_000_000;
  private tradeSeq = 600_000_000;
  private algoSeq = 3_000_000;
  private prioritySeq = 0;
  private tranSeq = 9_000_000_000;
  /** The last funding time charged (funding.ts); the engine charges none from before it started. */
  fundedUpTo: number;
  /** Server clock offset in ms (the clock-skew fault). */
  skewMs = 0;
  /** While an input runs (sim-exchange.ts), the time it was recorded at: a replay sees the same clock. */
  pinnedAt: number | null = null;
  private readonly listeners = new Set<(event: SimEvent) => void>();

  constructor(readonly clock: Clock, readonly behaviour: SimBehaviour) {
    this.fundedUpTo = Math.floor(clock.now() / FUNDING_PERIOD) * FUNDING_PERIOD;
  }

  /** Server time: the injected clock plus any injected skew. */
  now(): number {
    return this.time() + this.skewMs;
  }

  /** The clock without skew (pinned while an input runs). */
  time(): number {
    return this.pinnedAt ?? this.clock.now();
  }

  /** The id counters, for a snapshot. */
  counters(): SimCounters {
    return { order: this.orderSeq, trade: this.tradeSeq, algo: this.algoSeq, priority: this.prioritySeq, tran: this.tranSeq };
  }

  /** Restores the id counters of a snapshot, so no id is handed out twice. */
  setCounters(c: SimCounters): void {
    this.orderSeq = c.order;
    this.tradeSeq = c.trade;
    this.algoSeq = c.algo;
    this.prioritySeq = c.priority;
    this.tranSeq = c.tran;
  }

  /** The market of a symbol; -1121 when unknown. */
  market(symbol: string | undefined): SimMarket {
    const m = symbol === undefined ? undefined : this.markets.get(symbol);
    if (!m) throw errors.invalidSymbol();
    return m;
  }

  /** Markets in listing order. */
  marketList(): SimMarket[] {
    return [...this.markets.values()];
  }

  /** A new order id. */
  nextOrderId(): number {
    return ++this.orderSeq;
  }

  /** A new trade id. */
  nextTradeId(): number {
    return ++this.tradeSeq;
  }

  /** A new algo id. */
  nextAlgoId(): number {
    return ++this.algoSeq;
  }

  /** A new income transaction id (funding fees). */
  nextTranId(): number {
    return ++this.tranSeq;
  }

  /** A new time-priority sequence number. */
  nextPriority(): number {
    return ++this.prioritySeq;
  }

  /** Publishes an event to every subscriber (the WS face, tests, the fake exchange). */
  emit(event: SimEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  /** Subscribes to engine events; returns the unsubscribe function. */
  subscribe(listener: (event: SimEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
