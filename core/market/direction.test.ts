import { describe, expect, it } from 'vitest';
import { ManualClock } from '../ports/clock.ts';
import type { Direction } from '../trading/statuses.ts';
import { concludeDirection } from './direction.ts';
import { evaluateTimeframe, type RawReadouts } from './readouts.ts';
import { lastClosedOpenTime, type Timeframe } from './timeframes.ts';

const clock = new ManualClock(Date.UTC(2026, 2, 3, 10, 20));

/** Readouts that lean `d` on every check and pass both gates at the last closed candle of `tf`. */
function trending(tf: Timeframe, d: Direction, patch: Partial<RawReadouts> = {}): RawReadouts {
  const up = d === 'LONG';
  return {
    candle: { openTime: lastClosedOpenTime(tf, clock.now()), close: up ? 110 : 90 },
    previousClose: 100,
    emaFast: up ? [105, 104] : [95, 96],
    emaMid: up ? [103, 102] : [97, 98],
    emaSlow: up ? [101, 100.5] : [99, 99.5],
    chop: 40,
    pivot: { p: 100, r1: 120, s1: 80 },
    ...patch,
  };
}
const flat = (tf: Timeframe): RawReadouts => trending(tf, 'LONG', { emaFast: [100, 100], previousClose: 120 });

function provider(map: Partial<Record<Timeframe, RawReadouts>>) {
  const asked: Timeframe[] = [];
  return {
    asked,
    evaluate: async (tf: Timeframe) => {
      asked.push(tf);
      return evaluateTimeframe(tf, map[tf] ?? flat(tf), clock.now());
    },
  };
}

describe('timeframe verdicts', () => {
  it('concludes when every available check agrees and both gates pass', () => {
    expect(evaluateTimeframe('1h', trending('1h', 'LONG'), clock.now())).toMatchObject({ conclusion: 'LONG', reason: 'conclusive' });
    expect(evaluateTimeframe('1h', trending('1h', 'SHORT'), clock.now())).toMatchObject({ conclusion: 'SHORT' });
  });

  it('ignores unavailable checks but needs at least three', () => {
    const partial = trending('1h', 'LONG', { emaFast: undefined });
    expect(evaluateTimeframe('1h', partial, clock.now()).conclusion).toBe('LONG');
    const few = trending('1h', 'LONG', { previousClose: undefined, emaFast: undefined });
    expect(evaluateTimeframe('1h', few, clock.now())).toMatchObject({ conclusion: null, reason: 'only 2 checks available' });
  });

  it('is inconclusive when one check disagrees or is neutral', () => {
    expect(evaluateTimeframe('1h', trending('1h', 'LONG', { previousClose: 115 }), clock.now())).toMatchObject({ conclusion: null, leaning: null, reason: 'checks disagree' });
    expect(evaluateTimeframe('1h', trending('1h', 'LONG', { previousClose: 110 }), clock.now()).conclusion).toBeNull();
  });

  it('fails the choppiness gate at 61.8 and the pivot gate on the wrong side of the pivot', () => {
    expect(evaluateTimeframe('1h', trending('1h', 'LONG', { chop: 61.8 }), clock.now())).toMatchObject({ conclusion: null, leaning: 'LONG', reason: 'choppiness gate failed' });
    expect(evaluateTimeframe('1h', trending('1h', 'LONG', { chop: 61.79 }), clock.now()).conclusion).toBe('LONG');
    expect(evaluateTimeframe('1h', trending('1h', 'LONG', { pivot: { p: 111, r1: 120, s1: 90 } }), clock.now())).toMatchObject({ conclusion: null, reason: 'pivot gate failed' });
    expect(evaluateTimeframe('1h', trending('1h', 'SHORT', { pivot: { p: 89, r1: 100, s1: 80 } }), clock.now()).conclusion).toBeNull();
    expect(evaluateTimeframe('1h', trending('1h', 'LONG', { chop: undefined }), clock.now()).conclusion).toBeNull();
  });

  it('marks a missing, not yet closed or old provider candle stale', () => {
    const closed = lastClosedOpenTime('1h', clock.now());
    const at = (openTime: number | null) => evaluateTimeframe('1h', trending('1h', 'LONG', { candle: { openTime, close: 110 } }), clock.now());
    expect(at(null)).toMatchObject({ stale: true, reason: 'provider candle missing', conclusion: null });
    expect(at(closed + 3_600_000)).toMatchObject({ stale: true, reason: 'provider candle future' });
    expect(at(clock.now() + 60_000)).toMatchObject({ stale: true, reason: 'provider candle future' });
    expect(at(closed - 3_600_000)).toMatchObject({ stale: true, reason: 'provider candle old' });
    expect(at(closed)).toMatchObject({ stale: false, conclusion: 'LONG' });
  });
});

describe('progressive direction conclusion', () => {
  it('stops at 1h when 1h is conclusive', async () => {
    const p = provider({ '1h': trending('1h', 'LONG') });
    const d = await concludeDirection(null, p.evaluate);
    expect(d).toMatchObject({ direction: 'LONG', timeframe: '1h', changed: true, silent: false });
    expect(p.asked).toEqual(['1h']);
  });

  it('goes on to 4h, then 1d, only while inconclusive', async () => {
    const p = provider({ '1d': trending('1d', 'SHORT') });
    const d = await concludeDirection(null, p.evaluate);
    expect(d).toMatchObject({ direction: 'SHORT', timeframe: '1d' });
    expect(p.asked).toEqual(['1h', '4h', '1d']);
    const q = provider({ '4h': trending('4h', 'SHORT') });
    expect((await concludeDirection(null, q.evaluate)).timeframe).toBe('4h');
    expect(q.asked).toEqual(['1h', '4h']);
  });

  it('clears the direction when every timeframe is inconclusive', async () => {
    const d = await concludeDirection('LONG', provider({}).evaluate);
    expect(d).toMatchObject({ direction: null, changed: true, reason: 'every timeframe inconclusive', silent: false });
  });

  it('keeps an unchanged direction from any timeframe', async () => {
    const d = await concludeDirection('LONG', provider({ '1h': trending('1h', 'LONG') }).evaluate);
    expect(d).toMatchObject({ direction: 'LONG', changed: false });
  });

  it('refuses a flip below the minimum timeframe and keeps the direction', async () => {
    const p = provider({ '1h': trending('1h', 'SHORT') });
    const d = await concludeDirection('LONG', p.evaluate, { minChangeTimeframe: '4h' });
    expect(d).toMatchObject({ direction: 'LONG', changed: false });
    expect(d.reason).toContain('a change needs 4h or above');
    expect(p.asked).toEqual(['1h', '4h', '1d']);
  });

  it('flips at the minimum timeframe when faster timeframes agree or stay neutral', async () => {
    const agreeing = trending('1h', 'SHORT', { chop: 70 });
    const d = await concludeDirection('LONG', provider({ '1h': agreeing, '4h': trending('4h', 'SHORT') }).evaluate, { minChangeTimeframe: '4h' });
    expect(d).toMatchObject({ direction: 'SHORT', timeframe: '4h', changed: true });
    const lowered = await concludeDirection('LONG', provider({ '1h': trending('1h', 'SHORT') }).evaluate, { minChangeTimeframe: '1h' });
    expect(lowered).toMatchObject({ direction: 'SHORT', timeframe: '1h', changed: true });
  });

  it('refuses a flip that contradicts what a faster timeframe leans to', async () => {
    const leaningLong = trending('1h', 'LONG', { chop: 70 });
    const d = await concludeDirection('LONG', provider({ '1h': leaningLong, '4h': trending('4h', 'SHORT') }).evaluate, { minChangeTimeframe: '4h' });
    expect(d).toMatchObject({ direction: 'LONG', changed: false });
    expect(d.reason).toContain('1h leans LONG');
  });

  it('clears the direction silently on a stale provider candle', async () => {
    const stale = trending('4h', 'SHORT', { candle: { openTime: lastClosedOpenTime('4h', clock.now()) - 14_400_000, close: 90 } });
    const p = provider({ '4h': stale, '1d': trending('1d', 'SHORT') });
    const d = await concludeDirection('SHORT', p.evaluate);
    expect(d).toMatchObject({ direction: null, changed: true, silent: true });
    expect(p.asked).toEqual(['1h', '4h']);
  });

  it('follows the injected clock: the same candle goes stale an interval later', async () => {
    const readouts = trending('1h', 'LONG');
    const later = new ManualClock(clock.now());
    later.advance(3_600_000);
    expect(evaluateTimeframe('1h', readouts, later.now()).stale).toBe(true);
  });
});
