// Building blocks for store tests: new-step drafts with defaults, deferred promises to interleave
// two transactions by hand, and a deadline that turns "this would wait forever" into a clear failure.
import type { NewStep } from '../../core/steps/step.ts';
export { deferred, type Deferred } from './deferred.ts';

/** The fixed "now" of store tests (epoch ms). */
export const T0 = Date.UTC(2026, 0, 1);

/** A random uuid. */
export const uuid = (): string => crypto.randomUUID();

/** A pending root step of group alpha, due at T0, in its own block and tree, with `over` applied. */
export function draft(over: Partial<NewStep> = {}): NewStep {
  const block = over.blockUuid ?? uuid();
  return {
    set: 'default', handler: 'test.step', args: {}, state: 'pending', treeUuid: over.treeUuid ?? block, blockUuid: block, index: 0,
    parentId: null, lane: 'work', priority: 0, group: 'alpha', dispatchAfter: T0, maxAttempts: 3, backoffMs: 100, isResolver: false,
    dedupeKey: null, label: null, createdAt: T0, ...over,
  };
}

/** `promise`, or a rejection with `message` if it has not settled within `ms` (a failure detector, not a wait). */
export async function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
