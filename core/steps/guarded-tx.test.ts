import { describe, expect, it } from 'vitest';
import { MemoryStepStore } from '../adapters/memory/memory-step-store.ts';
import { guardTransitions } from './guarded-tx.ts';
import type { NewStep } from './step.ts';
import { IllegalTransitionError } from './transitions.ts';

const draft: NewStep = {
  set: 'default', handler: 'h', args: {}, state: 'pending', treeUuid: 't', blockUuid: 'b', index: 0, parentId: null, lane: 'work', priority: 0,
  group: 'alpha', dispatchAfter: 0, maxAttempts: 3, backoffMs: 1, isResolver: false, dedupeKey: null, label: null, createdAt: 0,
};

describe('guarded transactions', () => {
  it('refuse an illegal move before it reaches the store, and pass legal ones through', async () => {
    const store = new MemoryStepStore();
    const [step] = await store.transaction((tx) => tx.insertSteps([draft]));
    await expect(store.transaction((tx) => guardTransitions(tx).updateStep('default', step!.id, ['pending'], { state: 'completed' })))
      .rejects.toBeInstanceOf(IllegalTransitionError);
    expect((await store.getStep('default', step!.id))!.state).toBe('pending');
    expect(await store.transaction((tx) => guardTransitions(tx).updateStep('default', step!.id, ['pending'], { state: 'dispatched' }))).toBe(true);
    // Field-only patches are not moves.
    expect(await store.transaction((tx) => guardTransitions(tx).updateStep('default', step!.id, ['dispatched'], { stallCount: 1 }))).toBe(true);
  });
});
