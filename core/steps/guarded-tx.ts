// Every state change the engine writes passes the legal-transition table: a transaction handed to
// engine code refuses an illegal move before it reaches the store.
import type { StepTx } from './step-store.port.ts';
import { assertTransition } from './transitions.ts';

/** Wraps `tx` so `updateStep` throws IllegalTransitionError for a move the table does not allow. */
export function guardTransitions(tx: StepTx): StepTx {
  return {
    findRows: (table, where, options) => tx.findRows(table, where, options),
    insertSteps: (steps) => tx.insertSteps(steps),
    getStep: (set, id, options) => tx.getStep(set, id, options),
    findByDedupeKey: (set, key) => tx.findByDedupeKey(set, key),
    lockBlock: (set, blockUuid) => tx.lockBlock(set, blockUuid),
    updateStep: (set, id, expected, patch) => {
      if (patch.state !== undefined) for (const from of expected) assertTransition(from, patch.state);
      return tx.updateStep(set, id, expected, patch);
    },
    claimRunnable: (set, group, now, limit) => tx.claimRunnable(set, group, now, limit),
    findWaitingParents: (set, group, limit) => tx.findWaitingParents(set, group, limit),
    insertEvents: (events) => tx.insertEvents(events),
    insertRow: (table, row, options) => tx.insertRow(table, row, options),
    updateRows: (table, where, set) => tx.updateRows(table, where, set),
  };
}
