// Market intelligence's public surface: direction rules, token selection, the regime and its one
// decision boundary (openAllowance), stored klines, indicator providers and the step handlers.
export { concludeDirection, DEFAULT_MIN_CHANGE_TIMEFRAME, type DirectionDecision, type DirectionOptions } from './direction.ts';
export { FRESHNESS_DEFAULTS, ineligibility, type FreshnessOptions } from './eligibility.ts';
export type { IndicatorProvider } from './indicators/indicator-provider.port.ts';
export { choppiness, ema, pivotPoints, trueRanges } from './indicators/local-indicators.ts';
export { localIndicatorProvider, readoutsFromCandles } from './indicators/local-provider.ts';
export { klineInserts, newestCandleOpenTime, recentCandles, toCandle, type Candle } from './klines-store.ts';
export {
  candleFreshness, CHOP_MAX, CHOP_PERIOD, DIRECTIONAL_CHECKS, directionalChecks, EMA_PERIODS, evaluateTimeframe,
  type CheckAnswer, type RawReadouts, type TimeframeVerdict,
} from './readouts.ts';
export {
  ALLOWANCE_DEFAULTS, openAllowance, snapshotStale,
  type AllowanceInput, type AllowanceOptions, type OpenAllowance, type RegimeSnapshotView,
} from './regime/allowance.ts';
export { BAND_FLOORS, bandEffects, bandOf, BANDS, type Band, type BandEffects } from './regime/bands.ts';
export { applyCooldown, cooldownActive, DEFAULT_COOLDOWN_MS, NO_COOLDOWN, type CooldownState, type CooldownTransition } from './regime/cooldown.ts';
export { currentOverride, MAX_OVERRIDE_MS, newOverride, overrideActive, type RegimeOverride } from './regime/override.ts';
export {
  cooldownWrites, latestShock, latestSnapshot, overrideInsert, readCooldown, readRegimeState, recentOverrides, regimeAllowance, shockInsert,
  snapshotInserts, type RegimeSnapshot, type RegimeState,
} from './regime/regime-store.ts';
export { SHOCK_DEFAULTS, ShockDetector, type Shock, type ShockOptions } from './regime/shock.ts';
export { readSignals, regimeScore, signalPoints, SIGNALS, type RegimeInputs, type SignalName, type SignalReading } from './regime/signals.ts';
export { correlation, elasticity, logReturns, rollingCorrelationStddev } from './series-stats.ts';
export { MARKET_TABLES, MARKET_UNIQUE_KEYS } from './tables.ts';
export { INTERVAL_MS, KLINE_INTERVALS, lastClosedOpenTime, TIMEFRAMES, type KlineInterval, type Timeframe } from './timeframes.ts';
export {
  baseScore, correlationCluster, diversificationFactor, proximityFactor, stabilityFactor, tokenScore,
  type CorrelationCluster, type ScoreBreakdown, type ScoreInputs,
} from './token-score.ts';
export { buildCandidates, FAST_TRACK_MS, fastTrackSymbols, rankTokens, STATS_HOURS, type RankRequest } from './token-candidates.ts';
export { expectedCorrelationSign, selectTokens, type Candidate, type Pick, type PickPriority, type SelectionInput } from './token-selection.ts';
export {
  DEFAULT_BASKET, fetchKlinesSteps, MARKET_LANES, marketHandlers, refreshSymbolsSteps, type MarketDataPort, type MarketDeps, type MissingMarketData,
} from './handlers/index.ts';
