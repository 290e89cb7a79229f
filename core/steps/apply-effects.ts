// Applies a handler's effects inside the step's finishing transaction.
import { buildBlock } from './block-builder.ts';
import type { Effect } from './effects.ts';
import type { AfterCommit, StepEngine } from './engine.ts';
import { ConditionFailedError, type StepTx } from './step-store.port.ts';
import type { Step } from './step.ts';

/** Applies every effect; returns the spawned child block's steps, if any. */
export async function applyEffects(engine: StepEngine, tx: StepTx, step: Step, effects: readonly Effect[], now: number, after: AfterCommit): Promise<Step[] | null> {
  let spawned: Step[] | null = null;
  for (const effect of effects) {
    switch (effect.kind) {
      case 'update': {
        const matched = await tx.updateRows(effect.table, effect.where, effect.set);
        if (effect.required && matched === 0) throw new ConditionFailedError(effect.table, effect.where);
        break;
      }
      case 'insert':
        await tx.insertRow(effect.table, effect.row, { ignoreDuplicate: effect.ignoreDuplicate });
        break;
      case 'spawn': {
        if (spawned) throw new Error(`step ${step.id} returned two spawn effects`);
        const rows = buildBlock(effect.steps, {
          set: step.set, treeUuid: step.treeUuid, blockUuid: engine.o.ids.uuid(), parentId: step.id, group: step.group, now,
        }, engine.o.registry, engine.o.limits);
        spawned = await tx.insertSteps(rows);
        break;
      }
      case 'start-block':
        await engine.startInTx(tx, effect.set ?? step.set, effect.steps, { dedupeKey: effect.dedupeKey }, after);
        break;
      case 'notify':
        after.events.push({ kind: 'notify', subject: effect.subject, message: effect.message, severity: effect.severity ?? 'info', stepId: step.id, set: step.set, createdAt: now });
        break;
    }
  }
  return spawned;
}
