// What the market handlers are built with: where public market data comes from, which indicator
// provider concludes directions, and the tunables. Passed once to marketHandlers(deps); the
// handlers stay pure `(job, ctx) => effects` over these ports.
import type { ExchangeAccountReads, ExchangeMarketData } from '../../exchange/exchange.port.ts';
import type { IndicatorProvider } from '../indicators/indicator-provider.port.ts';
import type { Timeframe } from '../timeframes.ts';

/** The slice of the exchange port market data needs (public data plus leverage brackets). */
export type MarketDataPort = ExchangeMarketData & Pick<ExchangeAccountReads, 'getLeverageBrackets'>;

/** Construction parameters of the market handlers. */
export interface MarketDeps {
  exchange: MarketDataPort;
  indicators: IndicatorProvider;
  /** Venue name of the rows written (default binance). */
  exchangeName?: string;
  /** The 15m shock reference basket and breadth core (default the majors). */
  basket?: readonly string[];
  /** Lowest timeframe allowed to flip a direction (default 4h). */
  minChangeTimeframe?: Timeframe;
  /** Cooldown armed by Critical (default 24 h). */
  cooldownMs?: number;
  /** Direction conclusion chains run side by side (default 4): the steps contending for the TAAPI budget. */
  indicatorChains?: number;
  /** Regime freshness budget (default just under 2 h). */
  freshnessMs?: number;
}

/** The reference basket when none is configured. */
export const DEFAULT_BASKET = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT', 'XRPUSDT'] as const;

/** The lanes market steps run on (tyche's queues). */
export const MARKET_LANES = { cron: 'cronjobs', indicators: 'indicators' } as const;
