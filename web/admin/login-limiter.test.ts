import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/ports/clock.ts';
import { LoginLimiter } from './login-limiter.ts';

describe('LoginLimiter', () => {
  it('blocks a key at the limit until its oldest failure leaves the window', () => {
    const clock = new ManualClock(0);
    const limiter = new LoginLimiter(() => clock.now(), { maxFailures: 3, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterMs(['user:a'])).toBe(0);
      limiter.fail(['user:a']);
      clock.advance(10_000);
    }
    // Failures at 0, 10 s, 20 s; now 30 s: the first leaves the window at 60 s.
    expect(limiter.retryAfterMs(['user:a', 'ip:1'])).toBe(30_000);
    expect(limiter.retryAfterMs(['user:b'])).toBe(0);
    clock.advance(30_000);
    expect(limiter.retryAfterMs(['user:a'])).toBe(0);
  });

  it('forgets a cleared key', () => {
    const clock = new ManualClock(0);
    const limiter = new LoginLimiter(() => clock.now(), { maxFailures: 1, windowMs: 60_000 });
    limiter.fail(['user:a']);
    expect(limiter.retryAfterMs(['user:a'])).toBeGreaterThan(0);
    limiter.clear('user:a');
    expect(limiter.retryAfterMs(['user:a'])).toBe(0);
  });
});
