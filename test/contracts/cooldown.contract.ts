// The cooldown port contract (deploy maintenance flag), run against the in-memory twin and Redis.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CooldownPort } from '../../core/scheduler/cooldown.port.ts';
import type { ManualClock } from '../../core/ports/clock.ts';

/** Runs the contract against what `make` builds on the given clock. */
export function cooldownContract(name: string, make: (clock: ManualClock) => Promise<{ cooldown: CooldownPort; cleanup(): Promise<void> }>, clockOf: () => ManualClock): void {
  describe(`cooldown contract: ${name}`, () => {
    let cooldown: CooldownPort;
    let cleanup: () => Promise<void>;
    let clock: ManualClock;
    beforeEach(async () => {
      clock = clockOf();
      ({ cooldown, cleanup } = await make(clock));
    });
    afterEach(async () => {
      await cleanup();
    });

    it('is off until begun, on until ended', async () => {
      expect(await cooldown.current()).toBeNull();
      const state = await cooldown.begin('deploy v2', 'ops@laptop');
      expect(state).toEqual({ since: clock.now(), reason: 'deploy v2', by: 'ops@laptop' });
      expect(await cooldown.current()).toEqual(state);
      expect(await cooldown.end()).toBe(true);
      expect(await cooldown.current()).toBeNull();
      expect(await cooldown.end()).toBe(false);
    });

    it('a second begin keeps the first start', async () => {
      const first = await cooldown.begin('deploy v2', 'a');
      clock.advance(60_000);
      expect(await cooldown.begin('deploy v3', 'b')).toEqual(first);
    });
  });
}
