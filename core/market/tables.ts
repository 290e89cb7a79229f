// The market tables (infra/migrations/0004_market.sql) and the unique keys the in-memory store must
// enforce to behave like MySQL: merge MARKET_UNIQUE_KEYS into MemoryStepStore({ uniqueKeys }).

/** Table names, so builders and reads never spell one differently. */
export const MARKET_TABLES = {
  klines: 'klines',
  conclusions: 'direction_conclusions',
  readouts: 'indicator_readouts',
  snapshots: 'regime_snapshots',
  signals: 'regime_signals',
  overrides: 'regime_overrides',
  cooldown: 'regime_cooldown',
  shocks: 'market_shocks',
} as const;

/** The migration's UNIQUE keys, column for column. */
export const MARKET_UNIQUE_KEYS: Record<string, string[][]> = {
  [MARKET_TABLES.klines]: [['exchange', 'symbol', 'timeframe', 'open_time']],
  [MARKET_TABLES.conclusions]: [['uuid']],
  [MARKET_TABLES.readouts]: [['conclusion_uuid', 'timeframe']],
  [MARKET_TABLES.snapshots]: [['uuid'], ['period_at']],
  [MARKET_TABLES.signals]: [['snapshot_uuid', 'name']],
};

/** A statistic as a DECIMAL(36,18) column value: fixed-point text, never exponent notation. */
export function statText(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite statistic: ${x}`);
  return x.toFixed(10).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/** Reads a DECIMAL column (string in both stores) back as a number. */
export function statNumber(value: unknown): number {
  const n = typeof value === 'string' || typeof value === 'number' ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new RangeError(`not a number: ${String(value)}`);
  return n;
}
