// The fire log contract (the scheduler's per-entry record of its last slot), run against the
// in-memory twin and Redis.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FireLogPort } from '../../core/scheduler/fire-log.port.ts';

/** Runs the contract against what `make` builds. */
export function fireLogContract(name: string, make: () => Promise<{ log: FireLogPort; cleanup(): Promise<void> }>): void {
  describe(`fire log contract: ${name}`, () => {
    let rig: { log: FireLogPort; cleanup(): Promise<void> };
    beforeEach(async () => {
      rig = await make();
    });
    afterEach(async () => {
      await rig.cleanup();
    });

    it('starts empty', async () => {
      const view = await rig.log.read();
      expect(view.last.size).toBe(0);
      expect(view.counts.size).toBe(0);
    });

    it('keeps the latest record per entry and counts every outcome', async () => {
      await rig.log.record({ entry: 'sync-orders', slot: 1, outcome: 'fired', at: 10, owner: 'athena@a', stepId: 7 });
      await rig.log.record({ entry: 'sync-orders', slot: 2, outcome: 'leased', at: 20, owner: 'athena@b', detail: 'held by athena@a' });
      await rig.log.record({ entry: 'sync-orders', slot: 3, outcome: 'leased', at: 30, owner: 'athena@b' });
      await rig.log.record({ entry: 'fetch-klines-1h', slot: 4, outcome: 'fired', at: 40, owner: 'athena@a' });
      const view = await rig.log.read();
      expect(view.last.get('sync-orders')).toEqual({ entry: 'sync-orders', slot: 3, outcome: 'leased', at: 30, owner: 'athena@b' });
      expect(view.last.get('fetch-klines-1h')).toMatchObject({ slot: 4, outcome: 'fired' });
      expect(view.counts.get('sync-orders')).toEqual({ fired: 1, leased: 2 });
      expect(view.counts.get('fetch-klines-1h')).toEqual({ fired: 1 });
    });
  });
}
