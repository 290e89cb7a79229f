// Every market handler, built over one set of deps: register `marketHandlers(deps)` in the
// process's registry (tyche consumes their lanes, cronjobs and indicators).
import type { HandlerDefinition } from '../../steps/registry.ts';
import type { MarketDeps } from './deps.ts';
import { concludeDirectionHandler, scheduleDirectionsHandler } from './direction-steps.ts';
import { firstRunHandler } from './first-run-steps.ts';
import { fetchKlinesHandler, scheduleKlinesHandler } from './kline-steps.ts';
import { applyCooldownHandler, computeRegimeHandler } from './regime-steps.ts';
import { refreshSymbolsHandler } from './symbol-steps.ts';

export { DEFAULT_BASKET, MARKET_LANES, type MarketDataPort, type MarketDeps } from './deps.ts';
export { fetchKlinesSteps, refreshSymbolsSteps, type MissingMarketData } from './first-run-steps.ts';

/** The market handlers, ready for a HandlerRegistry. */
export function marketHandlers(deps: MarketDeps): HandlerDefinition<any>[] {
  return [
    refreshSymbolsHandler(deps), scheduleKlinesHandler(deps), fetchKlinesHandler(deps), scheduleDirectionsHandler(deps),
    concludeDirectionHandler(deps), computeRegimeHandler(deps), applyCooldownHandler(deps), firstRunHandler(deps),
  ];
}
