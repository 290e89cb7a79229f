import { describe, expect, it } from 'vitest';
import { ManualClock } from '../ports/clock.ts';
import { DEFAULT_RATE_LIMITS, IpWeightMeter, OrderCounter } from './rate-limits.ts';

describe('request weight per IP', () => {
  it('answers 429 over the minute budget, then bans with 418 when the client keeps going', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 10));
    const meter = new IpWeightMeter(clock, { ...DEFAULT_RATE_LIMITS, weightPerMinute: 10, rejectionsBeforeBan: 2, banMs: 120_000 });
    expect(meter.charge('10.0.0.1', 5)).toEqual({ kind: 'ok', used: 5 });
    expect(meter.charge('10.0.0.1', 5)).toEqual({ kind: 'ok', used: 10 });
    expect(meter.charge('10.0.0.1', 1)).toEqual({ kind: 'limited', used: 10, retryAfterMs: 50_000 });
    expect(meter.charge('10.0.0.2', 1)).toEqual({ kind: 'ok', used: 1 });
    expect(meter.charge('10.0.0.1', 1).kind).toBe('limited');
    const ban = meter.charge('10.0.0.1', 1);
    expect(ban).toEqual({ kind: 'banned', used: 10, until: clock.now() + 120_000 });
    clock.advance(60_000);
    expect(meter.charge('10.0.0.1', 1).kind).toBe('banned');
    clock.advance(60_000);
    expect(meter.charge('10.0.0.1', 1)).toEqual({ kind: 'ok', used: 1 });
  });

  it('doubles the ban for a repeat offender', () => {
    const clock = new ManualClock(0);
    const meter = new IpWeightMeter(clock, { ...DEFAULT_RATE_LIMITS, weightPerMinute: 1, rejectionsBeforeBan: 0, banMs: 1000 });
    meter.charge('ip', 1);
    expect(meter.charge('ip', 1)).toMatchObject({ kind: 'banned', until: 1000 });
    clock.set(60_000);
    meter.charge('ip', 1);
    expect(meter.charge('ip', 1)).toMatchObject({ kind: 'banned', until: 62_000 });
  });
});

describe('order counts per account', () => {
  it('counts per 10 s and per minute and refuses past either limit', () => {
    const clock = new ManualClock(0);
    const counter = new OrderCounter(clock, { ...DEFAULT_RATE_LIMITS, ordersPer10s: 2, ordersPerMinute: 3 });
    expect(counter.charge('a', 1, 1)).toEqual({ kind: 'ok', count10s: 1, count1m: 1 });
    counter.charge('a', 1, 1);
    expect(counter.charge('a', 1, 1)).toMatchObject({ kind: 'limited', limit: 2, interval: '10 seconds' });
    expect(counter.charge('b', 1, 1).kind).toBe('ok');
    clock.advance(10_000);
    expect(counter.charge('a', 1, 1)).toEqual({ kind: 'ok', count10s: 1, count1m: 3 });
    expect(counter.charge('a', 1, 1)).toMatchObject({ kind: 'limited', limit: 3, interval: '1 minute' });
  });
});
