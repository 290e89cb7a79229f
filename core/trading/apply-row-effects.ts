// Applies row effects inside a store transaction, exactly as the step engine does, for writers
// that are not steps: operator commands and tests. Handlers never call this; they return effects.
import type { InsertEffect, UpdateEffect } from '../steps/effects.ts';
import { ConditionFailedError, type StepTx } from '../steps/step-store.port.ts';

/**
 * Applies each effect in order; returns, per effect, rows matched (updates) or 1/0 (inserts, 0 =
 * ignored duplicate). A required update that matches nothing throws ConditionFailedError, which
 * rolls the caller's transaction back like it rolls a step's back.
 */
export async function applyRowEffects(tx: StepTx, effects: readonly (InsertEffect | UpdateEffect)[]): Promise<number[]> {
  const counts: number[] = [];
  for (const effect of effects) {
    if (effect.kind === 'insert') {
      counts.push((await tx.insertRow(effect.table, effect.row, { ignoreDuplicate: effect.ignoreDuplicate })) ? 1 : 0);
    } else {
      const matched = await tx.updateRows(effect.table, effect.where, effect.set);
      if (effect.required && matched === 0) throw new ConditionFailedError(effect.table, effect.where);
      counts.push(matched);
    }
  }
  return counts;
}
