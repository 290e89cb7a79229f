// The rate-limiter contract (sliding window + minimum spacing), run against every adapter on a
// manual clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RateLimit, RateLimiter } from '../../core/market/rate-limiter.port.ts';
import { ManualClock } from '../../core/ports/clock.ts';

/** Builds a limiter on the given clock and rule, with its cleanup. */
export type MakeLimiter = (clock: ManualClock, rule: RateLimit) => Promise<{ limiter: RateLimiter; cleanup(): Promise<void> }>;

const SMALL: RateLimit = { limit: 3, windowMs: 1_000, spacingMs: 100 };
const T0 = Date.UTC(2026, 0, 1, 12);

/** Runs the contract against what `make` builds. */
export function rateLimiterContract(name: string, make: MakeLimiter): void {
  describe(`rate limiter contract: ${name}`, () => {
    let clock: ManualClock;
    let limiter: RateLimiter;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      clock = new ManualClock(T0);
      ({ limiter, cleanup } = await make(clock, SMALL));
    });
    afterEach(async () => {
      await cleanup();
    });

    it('spaces two requests by the minimum gap', async () => {
      expect(await limiter.reserve('a')).toEqual({ granted: true });
      expect(await limiter.reserve('a')).toEqual({ granted: false, waitMs: 100 });
      clock.advance(60);
      expect(await limiter.reserve('a')).toEqual({ granted: false, waitMs: 40 });
      clock.advance(40);
      expect(await limiter.reserve('a')).toEqual({ granted: true });
    });

    it('grants at most `limit` in any window, then waits for the oldest to leave it', async () => {
      for (let i = 0; i < 3; i++) {
        expect(await limiter.reserve('a')).toEqual({ granted: true });
        clock.advance(100);
      }
      // Grants at 0, 100, 200; now 300: the window frees at 1000.
      expect(await limiter.reserve('a')).toEqual({ granted: false, waitMs: 700 });
      clock.advance(699);
      expect(await limiter.reserve('a')).toEqual({ granted: false, waitMs: 1 });
      clock.advance(1);
      expect(await limiter.reserve('a')).toEqual({ granted: true });
      expect(await limiter.reserve('a')).toMatchObject({ granted: false });
    });

    it('keeps budgets apart', async () => {
      expect(await limiter.reserve('a')).toEqual({ granted: true });
      expect(await limiter.reserve('b')).toEqual({ granted: true });
    });

    it('grants one slot to many simultaneous callers', async () => {
      const answers = await Promise.all(Array.from({ length: 20 }, () => limiter.reserve('a')));
      expect(answers.filter((a) => a.granted)).toHaveLength(1);
    });

    it('never exceeds the rule under sustained demand, yet uses nearly all of it', async () => {
      await cleanup();
      const rule: RateLimit = { limit: 68, windowMs: 15_000, spacingMs: 221 };
      ({ limiter, cleanup } = await make(clock, rule));
      const grants: number[] = [];
      while (grants.length < 300) {
        const r = await limiter.reserve('taapi');
        if (r.granted) grants.push(clock.now());
        else clock.advance(r.waitMs);
      }
      for (let i = 1; i < grants.length; i++) expect(grants[i]! - grants[i - 1]!).toBeGreaterThanOrEqual(221);
      for (let i = 68; i < grants.length; i++) expect(grants[i]! - grants[i - 68]!).toBeGreaterThanOrEqual(15_000);
      const rate = (grants.length - 1) / ((grants.at(-1)! - grants[0]!) / 15_000);
      expect(rate / 68).toBeGreaterThanOrEqual(0.95);
    });
  });
}
