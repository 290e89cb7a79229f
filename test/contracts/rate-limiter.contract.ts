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

    it('books the next free slot for a holder that must wait: it waits once, and the slot is its own', async () => {
      expect(await limiter.reserve('a')).toEqual({ granted: true });
      expect(await limiter.reserve('a', 'x')).toEqual({ granted: false, waitMs: 100 });
      expect(await limiter.reserve('a', 'y')).toEqual({ granted: false, waitMs: 200 });
      // The bookings count: with slots at 0, 100 and 200 the window is full until the first leaves it.
      expect(await limiter.reserve('a')).toEqual({ granted: false, waitMs: 1_000 });
      clock.advance(40);
      // Back early: the rest of its wait, its place kept.
      expect(await limiter.reserve('a', 'y')).toEqual({ granted: false, waitMs: 160 });
      clock.advance(60);
      expect(await limiter.reserve('a', 'x')).toEqual({ granted: true });
      expect(await limiter.reserve('a', 'y')).toEqual({ granted: false, waitMs: 100 });
      clock.advance(100);
      expect(await limiter.reserve('a', 'y')).toEqual({ granted: true });
      // Three slots in the window (0, 100, 200): the next is free when the first leaves it.
      expect(await limiter.reserve('a', 'z')).toEqual({ granted: false, waitMs: 800 });
    });

    it('a holder granted once books afresh the next time it must wait', async () => {
      expect(await limiter.reserve('a', 'x')).toEqual({ granted: true });
      expect(await limiter.reserve('a', 'x')).toEqual({ granted: false, waitMs: 100 });
      clock.advance(100);
      expect(await limiter.reserve('a', 'x')).toEqual({ granted: true });
      expect(await limiter.reserve('a', 'x')).toEqual({ granted: false, waitMs: 100 });
    });

    it('with bookings, 20 waiting holders each wait once and the rule still holds', async () => {
      await cleanup();
      const rule: RateLimit = { limit: 68, windowMs: 15_000, spacingMs: 221 };
      ({ limiter, cleanup } = await make(clock, rule));
      const grants: number[] = [];
      const waits = new Map<number, number>();
      // 300 requests, 20 in flight at a time; each comes back exactly when told.
      const due = new Map<number, number>(Array.from({ length: 20 }, (_, i) => [i, clock.now()]));
      let next = 20;
      while (grants.length < 300) {
        const [id, at] = [...due.entries()].sort((a, b) => a[1] - b[1])[0]!;
        if (at > clock.now()) clock.advance(at - clock.now());
        const r = await limiter.reserve('taapi', `req-${id}`);
        if (r.granted) {
          grants.push(clock.now());
          due.delete(id);
          if (next < 300) due.set(next++, clock.now());
        } else {
          waits.set(id, (waits.get(id) ?? 0) + 1);
          due.set(id, clock.now() + r.waitMs);
        }
      }
      for (let i = 1; i < grants.length; i++) expect(grants[i]! - grants[i - 1]!).toBeGreaterThanOrEqual(221);
      for (let i = 68; i < grants.length; i++) expect(grants[i]! - grants[i - 68]!).toBeGreaterThanOrEqual(15_000);
      expect((grants.length - 1) / ((grants.at(-1)! - grants[0]!) / 15_000) / 68).toBeGreaterThanOrEqual(0.95);
      // Every request waited at most once: no herd retrying at the same instant.
      expect(Math.max(...waits.values())).toBe(1);
    });
  });
}
