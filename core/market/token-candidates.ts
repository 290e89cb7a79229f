// Token selection over stored data: eligible symbols in the slot's direction, their elasticity and
// BTC correlation (with its rolling stability) from 1h klines, S/R levels from the previous daily
// candle's pivots, BTC's concluded direction and the account's fast-track symbols; then the pure
// selectTokens. This is what slot assignment calls.
import type { RowReader } from '../steps/step-store.port.ts';
import { toPosition } from '../trading/position.ts';
import { eligibleSymbols, getSymbol } from '../trading/reads.ts';
import type { Direction } from '../trading/statuses.ts';
import { DEFAULT_EXCHANGE, TABLES } from '../trading/tables.ts';
import { ineligibility, type FreshnessOptions } from './eligibility.ts';
import { pivotPoints } from './indicators/local-indicators.ts';
import { recentCandles } from './klines-store.ts';
import { correlation, elasticity, logReturns, rollingCorrelationStddev } from './series-stats.ts';
import { selectTokens, type Candidate, type Pick } from './token-selection.ts';

/** Hourly closes the statistics read (7 days plus one). */
export const STATS_HOURS = 7 * 24 + 1;
/** A profitable clean close within this long fast-tracks its symbol (default 6 h). */
export const FAST_TRACK_MS = 6 * 3_600_000;
const BTC = 'BTCUSDT';

/** Candidates with statistics from stored klines (symbols without enough data get nulls). */
export async function buildCandidates(rows: RowReader, symbols: readonly string[], exchange = DEFAULT_EXCHANGE): Promise<Candidate[]> {
  const btc = logReturns((await recentCandles(rows, BTC, '1h', STATS_HOURS, exchange)).map((c) => c.close));
  const out: Candidate[] = [];
  for (const symbol of symbols) {
    const hourly = await recentCandles(rows, symbol, '1h', STATS_HOURS, exchange);
    const r = logReturns(hourly.map((c) => c.close));
    const daily = await recentCandles(rows, symbol, '1d', 2, exchange);
    const levels = daily.length === 2 ? pivotPoints(daily[0]!) : null;
    out.push({
      symbol, elasticity: elasticity(r, btc), correlation: correlation(r, btc), correlationStddev: rollingCorrelationStddev(r, btc),
      price: hourly.at(-1)?.close ?? 0, support: levels?.s1 ?? null, resistance: levels?.r1 ?? null,
    });
  }
  return out;
}

/** Symbols an account recently closed cleanly in profit in `direction`, most recent first. */
export async function fastTrackSymbols(rows: RowReader, accountId: number, direction: Direction, now: number, windowMs = FAST_TRACK_MS): Promise<string[]> {
  const closed = (await rows.findRows(TABLES.positions, { account_id: accountId, status: 'closed', direction }, { orderBy: 'closed_at', desc: true, limit: 20 }))
    .map(toPosition);
  return [...new Set(closed.filter((p) => p.closedAt !== null && now - p.closedAt <= windowMs && p.pnl !== null && Number(p.pnl) > 0).map((p) => p.symbol))];
}

/** What slot assignment asks for. */
export interface RankRequest {
  accountId: number;
  direction: Direction;
  count: number;
  /** Symbols the account already holds (either direction): never picked. */
  exclude: readonly string[];
  now: number;
  /** Operator override, tests only. */
  override?: readonly string[];
  freshness?: FreshnessOptions;
  exchange?: string;
}

/** Picks symbols for free slots, with the reason each was picked. */
export async function rankTokens(rows: RowReader, q: RankRequest): Promise<Pick[]> {
  const exchange = q.exchange ?? DEFAULT_EXCHANGE;
  const excluded = new Set(q.exclude);
  const eligible: string[] = [];
  for (const s of await eligibleSymbols(rows, q.direction, exchange)) {
    if (excluded.has(s.symbol)) continue;
    const [newest] = await recentCandles(rows, s.symbol, '1h', 1, exchange);
    if (ineligibility(s, newest?.openTime ?? null, q.now, q.freshness) === null) eligible.push(s.symbol);
  }
  const btc = await getSymbol(rows, BTC, exchange);
  return selectTokens({
    direction: q.direction, count: q.count, candidates: await buildCandidates(rows, eligible, exchange), btcDirection: btc?.direction ?? null,
    override: q.override, fastTrack: await fastTrackSymbols(rows, q.accountId, q.direction, q.now),
  });
}

