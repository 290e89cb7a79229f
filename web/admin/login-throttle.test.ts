import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/ports/clock.ts';
import { LoginThrottle, type LoginReservation } from './login-throttle.ts';

const ok = (r: LoginReservation) => {
  if (!r.ok) throw new Error(`refused: ${r.reason} ${r.retryAfterMs}`);
  return r;
};

describe('LoginThrottle', () => {
  it('reserves before the check: a second attempt on a key while one is checked is refused as busy', () => {
    const throttle = new LoginThrottle(() => 0);
    const first = ok(throttle.reserve(['user:a']));
    expect(throttle.reserve(['user:a'])).toEqual({ ok: false, reason: 'busy', retryAfterMs: 1_000 });
    first.failed();
    expect(throttle.reserve(['user:a']).ok).toBe(true);
  });

  it('counts the failure up front and refunds it on success', () => {
    const throttle = new LoginThrottle(() => 0, { freeFailures: 2 });
    ok(throttle.reserve(['user:a'])).failed();
    ok(throttle.reserve(['user:a'])).succeeded();
    ok(throttle.reserve(['user:a'])).failed();
    // Two failures counted (the success was refunded): the back-off starts now.
    expect(throttle.retryAfterMs('user:a')).toBe(1_000);
  });

  it('backs off 1 s, 2 s, 4 s … per failure past the free ones, up to the cap, never a lockout', () => {
    const clock = new ManualClock(0);
    const throttle = new LoginThrottle(() => clock.now(), { freeFailures: 3, maxDelayMs: 5_000 });
    for (let i = 0; i < 3; i++) ok(throttle.reserve(['user:a'])).failed();
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const refused = throttle.reserve(['user:a']);
      expect(refused.ok).toBe(false);
      const wait = (refused as { retryAfterMs: number }).retryAfterMs;
      waits.push(wait);
      clock.advance(wait);
      ok(throttle.reserve(['user:a'])).failed();
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it('refuses when any key is backing off, and keys are independent', () => {
    const throttle = new LoginThrottle(() => 0, { freeFailures: 1 });
    ok(throttle.reserve(['ip:1', 'user:a'])).failed();
    expect(throttle.reserve(['ip:2', 'user:a'])).toMatchObject({ ok: false, reason: 'back-off' });
    expect(throttle.reserve(['ip:1', 'user:b'])).toMatchObject({ ok: false, reason: 'back-off' });
    expect(throttle.reserve(['ip:2', 'user:b']).ok).toBe(true);
  });

  it('caps checks in all, keeping the last slot for an address that signed in before', () => {
    const throttle = new LoginThrottle(() => 0, { maxChecksTotal: 3 });
    ok(throttle.reserve(['user:a']));
    ok(throttle.reserve(['user:b']));
    expect(throttle.reserve(['user:c'])).toMatchObject({ ok: false, reason: 'busy' });
    const trusted = ok(throttle.reserve(['pair:d@1'], true));
    expect(throttle.reserve(['pair:e@2'], true)).toMatchObject({ ok: false, reason: 'busy' });
    trusted.succeeded();
    trusted.succeeded();
    expect(throttle.reserve(['pair:e@2'], true).ok).toBe(true);
  });

  it('forgets a key after a quiet day: the back-off starts again at its first step', () => {
    const clock = new ManualClock(0);
    const throttle = new LoginThrottle(() => clock.now(), { freeFailures: 1 });
    for (let i = 0; i < 3; i++) {
      ok(throttle.reserve(['user:a'])).failed();
      clock.advance(60_000);
    }
    clock.advance(24 * 60 * 60_000);
    ok(throttle.reserve(['user:a'])).failed();
    expect(throttle.retryAfterMs('user:a')).toBe(1_000);
  });
});
