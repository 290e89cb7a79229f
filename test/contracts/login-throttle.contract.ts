// The login throttle contract, run against every adapter (memory beside the code, Redis under test/).
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/ports/clock.ts';
import type { LoginReservation, LoginThrottle, LoginThrottleOptions } from '../../web/admin/login-throttle.port.ts';

/** A throttle on the given clock and options, and its cleanup. */
export type MakeLoginThrottle = (clock: ManualClock, options: Partial<LoginThrottleOptions>) => Promise<{ throttle: LoginThrottle; cleanup(): Promise<void> }>;

const ok = (r: LoginReservation) => {
  if (!r.ok) throw new Error(`refused: ${r.reason} ${r.retryAfterMs}`);
  return r;
};

/** Runs the contract against what `make` builds. */
export function loginThrottleContract(name: string, make: MakeLoginThrottle): void {
  describe(`login throttle contract: ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    const build = async (clock: ManualClock, options: Partial<LoginThrottleOptions> = {}) => {
      const { throttle, cleanup } = await make(clock, options);
      cleanups.push(cleanup);
      return throttle;
    };
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0)) await cleanup();
    });

    it('reserves before the check: a second attempt on a key while one is checked is refused as busy', async () => {
      const throttle = await build(new ManualClock(0));
      const first = ok(await throttle.reserve(['user:a']));
      expect(await throttle.reserve(['user:a'])).toEqual({ ok: false, reason: 'busy', retryAfterMs: 1_000 });
      await first.failed();
      expect((await throttle.reserve(['user:a'])).ok).toBe(true);
    });

    it('a burst of concurrent reservations on one key lets exactly one through', async () => {
      const throttle = await build(new ManualClock(0), { maxChecksTotal: 50 });
      const burst = await Promise.all(Array.from({ length: 40 }, () => throttle.reserve(['ip:1', 'user:a'])));
      expect(burst.filter((r) => r.ok)).toHaveLength(1);
    });

    it('counts the failure up front and refunds it on success', async () => {
      const throttle = await build(new ManualClock(0), { freeFailures: 2 });
      await ok(await throttle.reserve(['user:a'])).failed();
      await ok(await throttle.reserve(['user:a'])).succeeded();
      await ok(await throttle.reserve(['user:a'])).failed();
      // Two failures counted (the success was refunded): the back-off starts now.
      expect(await throttle.reserve(['user:a'])).toEqual({ ok: false, reason: 'back-off', retryAfterMs: 1_000 });
    });

    it('backs off 1 s, 2 s, 4 s … per failure past the free ones, up to the cap, never a lockout', async () => {
      const clock = new ManualClock(0);
      const throttle = await build(clock, { freeFailures: 3, maxDelayMs: 5_000 });
      for (let i = 0; i < 3; i++) await ok(await throttle.reserve(['user:a'])).failed();
      const waits: number[] = [];
      for (let i = 0; i < 5; i++) {
        const refused = await throttle.reserve(['user:a']);
        expect(refused.ok).toBe(false);
        const wait = (refused as { retryAfterMs: number }).retryAfterMs;
        waits.push(wait);
        clock.advance(wait);
        await ok(await throttle.reserve(['user:a'])).failed();
      }
      expect(waits).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
    });

    it('refuses when any key is backing off, and keys are independent', async () => {
      const throttle = await build(new ManualClock(0), { freeFailures: 1 });
      await ok(await throttle.reserve(['ip:1', 'user:a'])).failed();
      expect(await throttle.reserve(['ip:2', 'user:a'])).toMatchObject({ ok: false, reason: 'back-off' });
      expect(await throttle.reserve(['ip:1', 'user:b'])).toMatchObject({ ok: false, reason: 'back-off' });
      expect((await throttle.reserve(['ip:2', 'user:b'])).ok).toBe(true);
    });

    it('caps checks in all, keeping the last slot for an address that signed in before', async () => {
      const throttle = await build(new ManualClock(0), { maxChecksTotal: 3 });
      ok(await throttle.reserve(['user:a']));
      ok(await throttle.reserve(['user:b']));
      expect(await throttle.reserve(['user:c'])).toMatchObject({ ok: false, reason: 'busy' });
      const trusted = ok(await throttle.reserve(['pair:d@1'], true));
      expect(await throttle.reserve(['pair:e@2'], true)).toMatchObject({ ok: false, reason: 'busy' });
      await trusted.succeeded();
      await trusted.succeeded();
      expect((await throttle.reserve(['pair:e@2'], true)).ok).toBe(true);
    });

    it('forgets a key after a quiet day: the back-off starts again at its first step', async () => {
      const clock = new ManualClock(0);
      const throttle = await build(clock, { freeFailures: 1 });
      for (let i = 0; i < 3; i++) {
        await ok(await throttle.reserve(['user:a'])).failed();
        clock.advance(60_000);
      }
      clock.advance(24 * 60 * 60_000);
      await ok(await throttle.reserve(['user:a'])).failed();
      expect(await throttle.reserve(['user:a'])).toEqual({ ok: false, reason: 'back-off', retryAfterMs: 1_000 });
    });
  });
}
