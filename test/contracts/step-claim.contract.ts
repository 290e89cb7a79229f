// The worker's claim (StepStore.claimDispatched), run against every store: one conditional write
// that moves only a dispatched step with no child block, exactly once among concurrent claimers.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StepStore } from '../../core/steps/step-store.port.ts';
import type { NewStep, StepPatch } from '../../core/steps/step.ts';
import { T0, draft, uuid } from '../support/step-drafts.ts';

/** Runs the claim contract against what `make` builds (a fresh store per case). */
export function stepClaimContract(name: string, make: () => Promise<{ store: StepStore; cleanup(): Promise<void> }>): void {
  describe(`step claim contract: ${name}`, () => {
    let store: StepStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ store, cleanup } = await make());
    });
    afterEach(async () => {
      await cleanup();
    });

    const seed = async (over: Partial<NewStep>, patch: StepPatch = {}) => {
      const [step] = await store.transaction((tx) => tx.insertSteps([draft(over)]));
      if (Object.keys(patch).length > 0) await store.transaction((tx) => tx.updateStep('default', step!.id, [step!.state], patch));
      return (await store.getStep('default', step!.id))!;
    };

    it('moves a dispatched step to running for the worker and returns it as stored', async () => {
      const step = await seed({ state: 'dispatched' }, { attempts: 1, isThrottled: true, dispatchedAt: T0 });
      const claimed = await store.claimDispatched('default', step.id, 'box-1#run', T0 + 5);
      const expected = { ...step, state: 'running', worker: 'box-1#run', startedAt: T0 + 5, heartbeatAt: T0 + 5, attempts: 2, isThrottled: false, updatedAt: T0 + 5 };
      expect(claimed).toEqual(expected);
      expect(await store.getStep('default', step.id)).toEqual(expected);
    });

    it('leaves every other state, a parent waiting on its children, an unknown id and the other set alone', async () => {
      for (const state of ['pending', 'running', 'completed', 'failed', 'cancelled', 'not_runnable'] as const) {
        const step = await seed({ state });
        expect(await store.claimDispatched('default', step.id, 'w', T0)).toBeNull();
        expect(await store.getStep('default', step.id)).toEqual(step);
      }
      const parent = await seed({ state: 'dispatched' }, { childBlockUuid: uuid() });
      expect(await store.claimDispatched('default', parent.id, 'w', T0)).toBeNull();
      expect(await store.getStep('default', parent.id)).toEqual(parent);
      expect(await store.claimDispatched('default', parent.id + 1000, 'w', T0)).toBeNull();
      expect(await store.claimDispatched('trading', parent.id, 'w', T0)).toBeNull();
    });

    it('lets exactly one of several concurrent claims win', async () => {
      const step = await seed({ state: 'dispatched' });
      const claims = await Promise.all(Array.from({ length: 6 }, (_, i) => store.claimDispatched('default', step.id, `w${i}`, T0)));
      const winners = claims.filter((c) => c !== null);
      expect(winners).toHaveLength(1);
      expect((await store.getStep('default', step.id))!.worker).toBe(winners[0]!.worker);
    });
  });
}
