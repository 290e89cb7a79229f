// Which symbols token selection may consider: operator-approved, enabled on the exchange, not
// blocked, and with fresh data (klines and a mark price younger than their budgets).
import type { ExchangeSymbolRow } from '../trading/exchange-symbol.ts';

/** Freshness budgets. */
export interface FreshnessOptions {
  /** Newest stored 1h candle must have opened within this long (default 3 h). */
  klineMaxAgeMs?: number;
  /** Mark price must be at most this old (default 5 min). */
  markMaxAgeMs?: number;
}

/** Default budgets. */
export const FRESHNESS_DEFAULTS = { klineMaxAgeMs: 3 * 3_600_000, markMaxAgeMs: 5 * 60_000 } as const;

/** Why a symbol is not eligible, or null when it is. */
export function ineligibility(
  s: Pick<ExchangeSymbolRow, 'status' | 'isEligible' | 'isBlocked' | 'markPriceAt'>,
  newestKlineOpenTime: number | null,
  now: number,
  options: FreshnessOptions = {},
): string | null {
  const o = { ...FRESHNESS_DEFAULTS, ...options };
  if (!s.isEligible) return 'not approved by the operator';
  if (s.status !== 'TRADING') return `exchange status ${s.status}`;
  if (s.isBlocked) return 'blocked';
  if (newestKlineOpenTime === null || now - newestKlineOpenTime > o.klineMaxAgeMs) return 'klines stale';
  if (s.markPriceAt === null || now - s.markPriceAt > o.markMaxAgeMs) return 'mark price stale';
  return null;
}
