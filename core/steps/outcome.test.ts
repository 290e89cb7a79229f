import { describe, expect, it } from 'vitest';
import { NonRetriableError, ThrottledError } from '../errors.ts';
import { backoffDelay, transitionFor, transitionForError } from './outcome.ts';
import type { Step } from './step.ts';

const step = (over: Partial<Step> = {}): Step => ({
  id: 1, set: 'default', handler: 'h', args: {}, state: 'running', treeUuid: 't', blockUuid: 'b', index: 0, parentId: null, childBlockUuid: null,
  lane: 'work', priority: 0, group: 'alpha', dispatchAfter: 0, attempts: 1, maxAttempts: 3, backoffMs: 1_000, isThrottled: false, isResolver: false,
  dedupeKey: null, response: null, errorMessage: null, errorStack: null, startedAt: 1_000, completedAt: null, durationMs: null, dispatchedAt: 0,
  stallCount: 0, worker: 'w', heartbeatAt: 0, label: null, createdAt: 0, updatedAt: 0, ...over,
});

describe('outcome transitions', () => {
  it('doubles backoff per attempt up to the cap', () => {
    expect([1, 2, 3, 4].map((attempts) => backoffDelay(step({ attempts }), 5_000))).toEqual([1_000, 2_000, 4_000, 5_000]);
  });

  it('completes with duration and response', () => {
    const t = transitionFor(step(), { kind: 'complete', response: { ok: 1 } }, 1_500, 60_000);
    expect([t.to, t.patch.durationMs, t.patch.response]).toEqual(['completed', 500, { ok: 1 }]);
  });

  it('gives the attempt back on a throttle and keeps it on a plain retry', () => {
    const throttled = transitionForError(step({ attempts: 2 }), new ThrottledError(350), 10_000, 60_000);
    expect([throttled.to, throttled.patch.attempts, throttled.patch.dispatchAfter, throttled.patch.isThrottled]).toEqual(['pending', 1, 10_350, true]);
    const retried = transitionForError(step({ attempts: 2 }), new Error('socket hang up'), 10_000, 60_000);
    expect([retried.to, retried.patch.attempts, retried.patch.dispatchAfter]).toEqual(['pending', undefined, 12_000]);
  });

  it('fails on a final error or when attempts are spent', () => {
    expect(transitionForError(step(), new NonRetriableError('bad key'), 0, 1).to).toBe('failed');
    expect(transitionForError(step({ attempts: 3 }), new Error('again'), 0, 1).to).toBe('failed');
    expect(transitionFor(step({ attempts: 3 }), { kind: 'retry-after', ms: 10, throttle: false }, 0, 1).to).toBe('failed');
    expect(transitionFor(step({ attempts: 3 }), { kind: 'retry-after', ms: 10, throttle: true }, 0, 1).to).toBe('pending');
  });
});
