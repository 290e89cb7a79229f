// The lease port contract (schedule leases), run against the in-memory twin and Redis.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LeasePort } from '../../core/scheduler/lease.port.ts';

/** A lease adapter plus a way to read a key's remaining time (ms, or null when not held). */
export interface LeaseRig {
  lease: LeasePort;
  remainingMs(key: string): Promise<number | null>;
  cleanup(): Promise<void>;
}

/** Runs the contract against what `make` builds; keys are prefixed by the rig. */
export function leaseContract(name: string, make: () => Promise<LeaseRig & { key(k: string): string }>): void {
  describe(`lease contract: ${name}`, () => {
    let rig: LeaseRig & { key(k: string): string };
    beforeEach(async () => {
      rig = await make();
    });
    afterEach(async () => {
      await rig.cleanup();
    });

    it('one holder at a time', async () => {
      const k = rig.key('sched:a');
      expect(await rig.lease.acquire(k, 'one', 60_000)).toBe(true);
      expect(await rig.lease.acquire(k, 'two', 60_000)).toBe(false);
      expect(await rig.lease.acquire(rig.key('sched:b'), 'two', 60_000)).toBe(true);
    });

    it('its owner takes it back and the ttl restarts (a restarted scheduler on the same box)', async () => {
      const k = rig.key('sched:a');
      expect(await rig.lease.acquire(k, 'athena@host', 5_000)).toBe(true);
      expect(await rig.lease.acquire(k, 'athena@host', 60_000)).toBe(true);
      expect(await rig.remainingMs(k)).toBeGreaterThan(50_000);
      expect(await rig.lease.acquire(k, 'athena@other', 60_000)).toBe(false);
    });

    it('names its holder and the time left, or null when free', async () => {
      const k = rig.key('sched:a');
      expect(await rig.lease.holder(k)).toBeNull();
      await rig.lease.acquire(k, 'one', 45_000);
      const h = await rig.lease.holder(k);
      expect(h?.owner).toBe('one');
      expect(h!.remainingMs).toBeGreaterThan(40_000);
      expect(h!.remainingMs).toBeLessThanOrEqual(45_000);
      await rig.lease.release(k, 'one');
      expect(await rig.lease.holder(k)).toBeNull();
    });

    it('only the owner releases', async () => {
      const k = rig.key('sched:a');
      await rig.lease.acquire(k, 'one', 60_000);
      await rig.lease.release(k, 'two');
      expect(await rig.lease.acquire(k, 'two', 60_000)).toBe(false);
      await rig.lease.release(k, 'one');
      expect(await rig.lease.acquire(k, 'two', 60_000)).toBe(true);
    });

    it('holds for at most its ttl', async () => {
      const k = rig.key('sched:a');
      expect(await rig.remainingMs(k)).toBeNull();
      await rig.lease.acquire(k, 'one', 45_000);
      const left = await rig.remainingMs(k);
      expect(left).toBeGreaterThan(40_000);
      expect(left).toBeLessThanOrEqual(45_000);
    });
  });
}
