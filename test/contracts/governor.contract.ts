// The exchange governor contract (weight per IP, orders per account), run against every adapter.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/ports/clock.ts';
import type { ExchangeGovernor, GovernorLimits } from '../../core/governor/weight-governor.port.ts';

/** What a contract run needs: a governor on the given clock and limits, and a cleanup. */
export type MakeGovernor = (clock: ManualClock, limits: Partial<GovernorLimits>) => Promise<{ governor: ExchangeGovernor; cleanup(): Promise<void> }>;

// Small limits with no safety margin keep the arithmetic readable: 100 weight/min, 10 orders/10 s, 25/min.
const LIMITS: Partial<GovernorLimits> = { weightPerMinute: 100, ordersPer10s: 10, ordersPerMinute: 25, safety: 1 };
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0); // on a minute boundary

/** Runs the governor contract against what `make` builds. */
export function governorContract(name: string, make: MakeGovernor): void {
  describe(`governor contract: ${name}`, () => {
    let clock: ManualClock;
    let g: ExchangeGovernor;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      clock = new ManualClock(T0);
      ({ governor: g, cleanup } = await make(clock, LIMITS));
    });
    afterEach(async () => {
      await cleanup();
    });

    it('grants weight up to the budget, then waits until the window ends', async () => {
      expect(await g.acquire('ip1', 60)).toEqual({ ok: true });
      expect(await g.acquire('ip1', 40)).toEqual({ ok: true });
      clock.advance(15_000);
      expect(await g.acquire('ip1', 1)).toEqual({ ok: false, waitMs: 45_000, reason: 'weight' });
      clock.advance(45_000);
      expect(await g.acquire('ip1', 1)).toEqual({ ok: true });
    });

    it('applies the safety margin to the limit', async () => {
      await cleanup();
      ({ governor: g, cleanup } = await make(clock, { ...LIMITS, safety: 0.9 }));
      expect(await g.acquire('ip1', 90)).toEqual({ ok: true });
      expect(await g.acquire('ip1', 1)).toMatchObject({ ok: false, reason: 'weight' });
    });

    it('lets an idle IP take a request heavier than the whole budget', async () => {
      expect(await g.acquire('ip1', 500)).toEqual({ ok: true });
      expect(await g.acquire('ip1', 1)).toMatchObject({ ok: false, reason: 'weight' });
    });

    it('counts each IP separately', async () => {
      expect(await g.acquire('ip1', 100)).toEqual({ ok: true });
      expect(await g.acquire('ip2', 100)).toEqual({ ok: true });
      expect(await g.acquire('ip1', 1)).toMatchObject({ ok: false });
    });

    it('raises its count from the exchange header but never lowers it', async () => {
      await g.acquire('ip1', 10);
      await g.observeWeight('ip1', 95);
      expect(await g.acquire('ip1', 6)).toMatchObject({ ok: false, reason: 'weight' });
      await g.observeWeight('ip1', 3);
      expect(await g.acquire('ip1', 5)).toEqual({ ok: true });
      expect((await g.state()).ips.find((s) => s.ip === 'ip1')?.used).toBe(100);
    });

    it('pauses an IP after a 429 until Retry-After, even for weightless requests', async () => {
      await g.pause('ip1', T0 + 30_000);
      expect(await g.acquire('ip1', 0)).toEqual({ ok: false, waitMs: 30_000, reason: 'paused' });
      clock.advance(30_000);
      expect(await g.acquire('ip1', 0)).toEqual({ ok: true });
    });

    it('bans an IP after a 418 and routes to another', async () => {
      await g.ban('ip1', T0 + 300_000);
      expect(await g.acquire('ip1', 1)).toEqual({ ok: false, waitMs: 300_000, reason: 'banned' });
      expect(await g.pickIp(['ip1', 'ip2'], 1)).toEqual({ ip: 'ip2', headroom: 100 });
      // A later, shorter ban never shortens the known one.
      await g.ban('ip1', T0 + 1_000);
      clock.advance(120_000);
      expect(await g.acquire('ip1', 1)).toEqual({ ok: false, waitMs: 180_000, reason: 'banned' });
    });

    it('picks the IP with the most headroom', async () => {
      await g.acquire('ip1', 50);
      await g.acquire('ip2', 20);
      await g.acquire('ip3', 70);
      expect(await g.pickIp(['ip1', 'ip2', 'ip3'], 10)).toEqual({ ip: 'ip2', headroom: 80 });
      expect(await g.pickIp(['ip4', 'ip2'], 10)).toEqual({ ip: 'ip4', headroom: 100 });
    });

    it('returns the shortest wait when no IP can take the request', async () => {
      await g.ban('ip1', T0 + 600_000);
      await g.pause('ip2', T0 + 20_000);
      await g.acquire('ip3', 95);
      clock.advance(10_000);
      expect(await g.pickIp(['ip1', 'ip2', 'ip3'], 10)).toEqual({ ip: null, waitMs: 10_000, reason: 'paused' });
      clock.advance(5_000);
      await g.pause('ip2', T0 + 120_000);
      expect(await g.pickIp(['ip1', 'ip2', 'ip3'], 10)).toEqual({ ip: null, waitMs: 45_000, reason: 'weight' });
    });

    it('never grants more than the budget to concurrent callers', async () => {
      const grants = await Promise.all(Array.from({ length: 150 }, () => g.acquire('ip1', 1)));
      expect(grants.filter((r) => r.ok)).toHaveLength(100);
      expect((await g.state()).ips.find((s) => s.ip === 'ip1')).toMatchObject({ used: 100, waits: 50 });
    });

    it('limits orders per account per 10 s', async () => {
      for (let i = 0; i < 10; i++) expect(await g.acquireOrders('acct1', 1)).toEqual({ ok: true });
      clock.advance(4_000);
      expect(await g.acquireOrders('acct1', 1)).toEqual({ ok: false, waitMs: 6_000, reason: 'orders-10s' });
      expect(await g.acquireOrders('acct2', 1)).toEqual({ ok: true });
      clock.advance(6_000);
      expect(await g.acquireOrders('acct1', 1)).toEqual({ ok: true });
    });

    it('limits orders per account per minute', async () => {
      for (let i = 0; i < 25; i++) {
        expect(await g.acquireOrders('acct1', 1)).toEqual({ ok: true });
        if (i % 8 === 7) clock.advance(10_000);
      }
      expect(await g.acquireOrders('acct1', 1)).toEqual({ ok: false, waitMs: 30_000, reason: 'orders-1m' });
      clock.advance(30_000);
      expect(await g.acquireOrders('acct1', 1)).toEqual({ ok: true });
    });

    it('raises order counts from the exchange headers', async () => {
      await g.observeOrders('acct1', { count10s: 10 });
      expect(await g.acquireOrders('acct1', 1)).toMatchObject({ ok: false, reason: 'orders-10s' });
      clock.advance(10_000);
      await g.observeOrders('acct1', { count1m: 25 });
      expect(await g.acquireOrders('acct1', 1)).toMatchObject({ ok: false, reason: 'orders-1m' });
    });

    it('reports weight, pauses, bans, waits and order counts for the admin', async () => {
      await g.acquire('ip1', 30);
      await g.acquire('ip1', 80);
      await g.ban('ip2', T0 + 120_000);
      await g.pause('ip3', T0 + 5_000);
      await g.acquireOrders('acct1', 3);
      clock.advance(1_000);
      const state = await g.state();
      expect(state.at).toBe(T0 + 1_000);
      expect(state.ips).toEqual([
        { ip: 'ip1', windowStart: T0, used: 30, budget: 100, pausedUntil: null, bannedUntil: null, waits: 1 },
        { ip: 'ip2', windowStart: T0, used: 0, budget: 100, pausedUntil: null, bannedUntil: T0 + 120_000, waits: 0 },
        { ip: 'ip3', windowStart: T0, used: 0, budget: 100, pausedUntil: T0 + 5_000, bannedUntil: null, waits: 0 },
      ]);
      expect(state.accounts).toEqual([{ account: 'acct1', used10s: 3, budget10s: 10, used1m: 3, budget1m: 25, waits: 0 }]);
      clock.advance(60_000);
      const later = await g.state();
      expect(later.ips.map((s) => [s.ip, s.used, s.pausedUntil, s.bannedUntil])).toEqual([
        ['ip1', 0, null, null], ['ip2', 0, null, T0 + 120_000], ['ip3', 0, null, null],
      ]);
    });
  });
}
