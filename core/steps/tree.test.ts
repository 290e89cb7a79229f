import { describe, expect, it } from 'vitest';
import type { Step } from './step.ts';
import { buildTree, renderTree } from './tree.ts';

const s = (id: number, index: number, parentId: number | null, state: Step['state'] = 'completed'): Step => ({
  id, set: 'default', handler: `h${id}`, args: {}, state, treeUuid: 't', blockUuid: parentId === null ? 'root' : `b${parentId}`, index, parentId,
  childBlockUuid: null, lane: 'work', priority: 0, group: 'alpha', dispatchAfter: 0, attempts: 1, maxAttempts: 3, backoffMs: 1, isThrottled: false,
  isResolver: false, dedupeKey: null, response: null, errorMessage: state === 'failed' ? 'boom' : null, errorStack: null, startedAt: 0, completedAt: 1,
  durationMs: 1, dispatchedAt: 0, stallCount: 0, worker: null, heartbeatAt: null, label: null, createdAt: 0, updatedAt: 0,
});

describe('step tree', () => {
  it('nests children under parents in index order', () => {
    const roots = buildTree([s(4, 1, 1), s(2, 1, null), s(1, 0, null), s(3, 0, 1, 'failed')]);
    expect(renderTree(roots)).toEqual([
      '#1 [0] h1 completed (attempt 1/3 1ms)',
      '  #3 [0] h3 failed (attempt 1/3 1ms) — boom',
      '  #4 [1] h4 completed (attempt 1/3 1ms)',
      '#2 [1] h2 completed (attempt 1/3 1ms)',
    ]);
  });
});
