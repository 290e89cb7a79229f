// Turns handler-facing block specs into validated step rows.
import { ValidationError } from '../errors.ts';
import type { BlockStepSpec } from './effects.ts';
import type { HandlerRegistry } from './registry.ts';
import type { Group, NewStep, StepSet } from './step.ts';

/** Where a new block sits in the step tree. */
export interface BlockPlacement {
  set: StepSet;
  treeUuid: string;
  blockUuid: string;
  parentId: number | null;
  group: Group;
  now: number;
  dedupeKey?: string | null;
}

/** Engine defaults for steps that do not say otherwise. */
export interface StepDefaults {
  maxAttempts: number;
  backoffMs: number;
}

/** Validates every spec against the registry and builds the rows of one block. */
export function buildBlock(specs: readonly BlockStepSpec[], at: BlockPlacement, registry: HandlerRegistry, defaults: StepDefaults): NewStep[] {
  if (specs.length === 0) throw new ValidationError('a block needs at least one step', 'EMPTY_BLOCK');
  return specs.map((spec, position) => {
    const handler = registry.get(spec.handler);
    const index = spec.index ?? position;
    if (!Number.isInteger(index) || index < 0) throw new ValidationError(`step ${position} (${spec.handler}): index must be a whole number ≥ 0`);
    return {
      set: at.set,
      handler: spec.handler,
      args: registry.parseArgs(spec.handler, spec.args ?? {}),
      state: spec.resolveException ? 'not_runnable' : 'pending',
      treeUuid: at.treeUuid,
      blockUuid: at.blockUuid,
      index,
      parentId: at.parentId,
      lane: spec.lane ?? handler.lane,
      priority: spec.priority ?? 0,
      group: at.group,
      dispatchAfter: at.now + Math.max(0, spec.delayMs ?? 0),
      maxAttempts: spec.maxAttempts ?? handler.maxAttempts ?? defaults.maxAttempts,
      backoffMs: spec.backoffMs ?? handler.backoffMs ?? defaults.backoffMs,
      isResolver: spec.resolveException ?? false,
      // Only the block's first step carries the dedupe key; its unique index makes the block at-most-once.
      dedupeKey: position === 0 ? (at.dedupeKey ?? null) : null,
      label: spec.label ?? null,
      createdAt: at.now,
    };
  });
}
