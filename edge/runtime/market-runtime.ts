// Wires market intelligence into a fleet process: the market handlers (tyche's lanes) over a
// market-data port and the indicator provider (TAAPI under the fleet-wide Redis limiter when
// TAAPI_SECRET is set, local indicators over stored klines otherwise), and what the trading
// lifecycle asks of it: the regime's open allowance and token selection for slot assignment.
import { Redis } from 'ioredis';
import { marketHandlers, rankTokens, regimeAllowance, type MarketDataPort } from '../../core/market/index.ts';
import { systemClock } from '../../core/ports/clock.ts';
import type { HandlerDefinition } from '../../core/steps/registry.ts';
import type { StepStore } from '../../core/steps/step-store.port.ts';
import type { AllowanceSource, CandidateRanking } from '../../handlers/trading/index.ts';
import { redisOptions } from '../adapters/bullmq/redis-connection.ts';
import { indicatorProvider } from '../taapi/indicator-provider.ts';
import type { KraiteConfig } from './config.ts';

/** Market intelligence inside one process. */
export interface MarketRuntime {
  handlers: HandlerDefinition[];
  allowance: AllowanceSource;
  /** Token selection; undefined keeps slot assignment on the symbols' stored flags. */
  ranking: CandidateRanking | undefined;
  stop(): Promise<void>;
}

/**
 * Builds the market side. `selectTokens` is off for paper trading on the embedded simulator: its
 * history is flat before the process started, so token selection would have no returns to rank
 * and the demo would open nothing; paper trading ranks the symbols' stored directions and flags instead.
 */
export function marketRuntime(o: { config: KraiteConfig; store: StepStore; exchange: MarketDataPort; selectTokens: boolean }): MarketRuntime {
  const redis = o.config.REDIS_URL && o.config.TAAPI_SECRET ? new Redis(redisOptions(o.config.REDIS_URL)) : null;
  const indicators = indicatorProvider({ config: o.config, redis, rows: o.store, clock: systemClock });
  return {
    handlers: marketHandlers({ exchange: o.exchange, indicators }),
    allowance: regimeAllowance(o.store),
    ranking: o.selectTokens ? async (rows, q) => (await rankTokens(rows, q)).map((p) => p.symbol) : undefined,
    async stop() {
      await redis?.quit();
    },
  };
}
