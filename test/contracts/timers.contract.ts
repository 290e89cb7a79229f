// The Timers port contract (edge/streams/user-data/timers.ts), run against the real timers and the
// manual ones the stream tests drive: due callbacks run in time order, cleared ones never run.
import { describe, expect, it } from 'vitest';
import type { Timers } from '../../edge/streams/user-data/timers.ts';

/** A Timers adapter and a way to let `ms` of its time pass (real waiting or a manual advance). */
export interface TimersRig {
  timers: Timers;
  pass(ms: number): Promise<void>;
}

/** Runs the contract against what `make` builds. */
export function timersContract(name: string, make: () => TimersRig): void {
  describe(`timers contract: ${name}`, () => {
    it('runs due callbacks in time order, none synchronously', async () => {
      const { timers, pass } = make();
      const ran: string[] = [];
      timers.setTimeout(() => ran.push('late'), 30);
      timers.setTimeout(() => ran.push('early'), 10);
      timers.setTimeout(() => ran.push('now'), 0);
      expect(ran).toEqual([]);
      await pass(40);
      expect(ran).toEqual(['now', 'early', 'late']);
    });

    it('never runs a cleared callback; clearing twice or clearing null is harmless', async () => {
      const { timers, pass } = make();
      const ran: string[] = [];
      const handle = timers.setTimeout(() => ran.push('cleared'), 5);
      timers.setTimeout(() => ran.push('kept'), 5);
      timers.clearTimeout(handle);
      timers.clearTimeout(handle);
      timers.clearTimeout(null);
      await pass(20);
      expect(ran).toEqual(['kept']);
    });

    it('lets a callback schedule the next one (the daemon\'s loops)', async () => {
      const { timers, pass } = make();
      let ticks = 0;
      const loop = () => {
        ticks++;
        if (ticks < 3) timers.setTimeout(loop, 5);
      };
      timers.setTimeout(loop, 5);
      await pass(50);
      expect(ticks).toBe(3);
    });
  });
}
