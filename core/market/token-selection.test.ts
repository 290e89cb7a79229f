import { describe, expect, it } from 'vitest';
import { correlation, elasticity, logReturns, rollingCorrelationStddev } from './series-stats.ts';
import {
  baseScore, correlationCluster, diversificationFactor, proximityFactor, stabilityFactor, tokenScore,
} from './token-score.ts';
import { selectTokens, type Candidate } from './token-selection.ts';
import { ineligibility } from './eligibility.ts';

const cand = (symbol: string, elasticity: number | null, correlation: number | null, patch: Partial<Candidate> = {}): Candidate =>
  ({ symbol, elasticity, correlation, correlationStddev: null, price: 100, support: null, resistance: null, ...patch });

describe('the score formula', () => {
  it('is ln(1 + |elasticity|) × |correlation| times the three multipliers', () => {
    expect(baseScore(1.5, 0.8)).toBeCloseTo(Math.log(2.5) * 0.8, 12);
    expect(baseScore(-1.5, -0.8)).toBeCloseTo(Math.log(2.5) * 0.8, 12);
    const s = tokenScore({ elasticity: 2, correlation: 0.5, correlationStddev: 0.1, diversification: 0.5, proximity: 0.75 });
    expect(s.base).toBeCloseTo(Math.log(3) * 0.5, 12);
    expect(s.stability).toBeCloseTo(0.8, 12);
    expect(s.score).toBeCloseTo(Math.log(3) * 0.5 * 0.8 * 0.5 * 0.75, 12);
  });

  it('stability is max(0, 1 − 2 × stddev), 1 when missing', () => {
    expect(stabilityFactor(null)).toBe(1);
    expect(stabilityFactor(0)).toBe(1);
    expect(stabilityFactor(0.25)).toBe(0.5);
    expect(stabilityFactor(0.5)).toBe(0);
    expect(stabilityFactor(0.9)).toBe(0);
  });

  it('diversification halves per pick sharing direction and cluster', () => {
    const c = { direction: 'LONG' as const, cluster: correlationCluster(0.8) };
    expect(diversificationFactor(c, [])).toBe(1);
    expect(diversificationFactor(c, [c, { direction: 'SHORT', cluster: 'high' }, { direction: 'LONG', cluster: 'mid' }])).toBe(0.5);
    expect(diversificationFactor(c, [c, c])).toBe(0.25);
    expect([0.9, 0.7, 0.5, 0.2, -0.3].map(correlationCluster)).toEqual(['high', 'high', 'mid', 'low', 'inverse']);
  });

  it('S/R proximity softly discounts a LONG under resistance and a SHORT over support', () => {
    expect(proximityFactor('LONG', 100, { support: null, resistance: 100.5 })).toBeCloseTo(0.75, 12);
    expect(proximityFactor('LONG', 100, { support: null, resistance: 100 })).toBe(1); // at/through the level
    expect(proximityFactor('LONG', 100, { support: null, resistance: 100.001 })).toBeCloseTo(0.5, 2);
    expect(proximityFactor('LONG', 100, { support: 99.9, resistance: 102 })).toBe(1);
    expect(proximityFactor('SHORT', 100, { support: 99.75, resistance: null })).toBeCloseTo(0.625, 12);
    expect(proximityFactor('SHORT', 100, { support: null, resistance: 100.1 })).toBe(1);
  });
});

describe('statistics from closes', () => {
  const btc = Array.from({ length: 200 }, (_, i) => 100 * Math.exp(0.01 * Math.sin(i / 3) + 0.002 * i));
  it('measures elasticity as the beta of returns and correlation as Pearson', () => {
    const twice = logReturns(btc).map((r) => 2 * r);
    const rb = logReturns(btc);
    expect(elasticity(twice, rb)).toBeCloseTo(2, 10);
    expect(correlation(twice, rb)).toBeCloseTo(1, 10);
    expect(correlation(rb.map((r) => -r), rb)).toBeCloseTo(-1, 10);
    expect(correlation([1, 1, 1, 1], [1, 2, 3, 4])).toBeNull();
    expect(rollingCorrelationStddev(twice, rb)).toBeCloseTo(0, 10);
    expect(rollingCorrelationStddev([1, 2], [1, 2])).toBeNull();
  });
});

describe('token selection priorities', () => {
  const pool = [cand('AAAUSDT', 1, 0.9), cand('BBBUSDT', 3, 0.6), cand('CCCUSDT', 2, -0.8), cand('DDDUSDT', null, 0.9)];

  it('takes the override first, then fast-track, then scores', () => {
    const picks = selectTokens({ direction: 'LONG', count: 3, candidates: pool, btcDirection: 'LONG', override: ['CCCUSDT'], fastTrack: ['AAAUSDT', 'ZZZUSDT'] });
    expect(picks.map((p) => [p.symbol, p.priority])).toEqual([['CCCUSDT', 'override'], ['AAAUSDT', 'fast-track'], ['BBBUSDT', 'btc-bias']]);
  });

  it('rejects, under BTC bias, candidates whose correlation sign disagrees with the slot', () => {
    const long = selectTokens({ direction: 'LONG', count: 5, candidates: pool, btcDirection: 'LONG' });
    expect(long.map((p) => p.symbol)).toEqual(['BBBUSDT', 'AAAUSDT']);
    const short = selectTokens({ direction: 'SHORT', count: 5, candidates: pool, btcDirection: 'LONG' });
    expect(short.map((p) => p.symbol)).toEqual(['CCCUSDT']);
    expect(short[0]!.priority).toBe('btc-bias');
  });

  it('falls back to scoring without the sign filter when BTC has no direction', () => {
    const picks = selectTokens({ direction: 'SHORT', count: 5, candidates: pool, btcDirection: null });
    expect(picks.map((p) => [p.symbol, p.priority])).toEqual([['CCCUSDT', 'fallback'], ['BBBUSDT', 'fallback'], ['AAAUSDT', 'fallback']]);
  });

  it('discounts the second pick of the same cluster so a diversifying one can win', () => {
    const c = [cand('H1USDT', 2, 0.9), cand('H2USDT', 2, 0.89), cand('MIDUSDT', 2, 0.6)];
    const picks = selectTokens({ direction: 'LONG', count: 2, candidates: c, btcDirection: 'LONG' });
    // H2 alone would beat MID (0.89 > 0.6) but shares H1's cluster: 0.89 × 0.5 < 0.6.
    expect(picks.map((p) => p.symbol)).toEqual(['H1USDT', 'MIDUSDT']);
    expect(picks[1]!.score!.diversification).toBe(1);
  });
});

describe('eligibility', () => {
  const now = Date.UTC(2026, 2, 3, 10);
  const ok = { status: 'TRADING', isEligible: true, isBlocked: false, markPriceAt: now - 1000 };
  it('needs approval, trading status, no block and fresh data', () => {
    expect(ineligibility(ok, now - 3_600_000, now)).toBeNull();
    expect(ineligibility({ ...ok, isEligible: false }, now, now)).toBe('not approved by the operator');
    expect(ineligibility({ ...ok, status: 'SETTLING' }, now, now)).toBe('exchange status SETTLING');
    expect(ineligibility({ ...ok, isBlocked: true }, now, now)).toBe('blocked');
    expect(ineligibility(ok, null, now)).toBe('klines stale');
    expect(ineligibility(ok, now - 4 * 3_600_000, now)).toBe('klines stale');
    expect(ineligibility({ ...ok, markPriceAt: now - 10 * 60_000 }, now, now)).toBe('mark price stale');
  });
});
