// Tree-aware retention, shared by the mysql2 and PlanetScale stores (runtime-neutral: the store
// hands in how to run a statement): moves (or deletes) whole step trees whose every step is terminal
// and whose newest completion is older than a cut-off. A tree is never split across the two tables.
import { TERMINAL_STATES, type StepState } from '../../steps/step.ts';
import { COLUMN_LIST } from './step-columns.ts';

const TERMINAL_SQL = [...TERMINAL_STATES].map((s) => `'${s}'`).join(', ');

/** How many trees one transaction moves at most. */
export const TREES_PER_BATCH = 500;

/** Where settled trees go: `to` null deletes them (the archive purge). */
export interface TreeMove {
  from: string;
  to: string | null;
  before: number;
}

/** What one batch did: steps moved, and the last tree it took (the next batch starts after it; null when none was left). */
export interface BatchResult {
  moved: number;
  lastTree: string | null;
}

/** Runs one statement inside the caller's transaction: the rows it read, or the rows it changed. */
export type RunStatement = (sql: string, values: unknown[]) => Promise<{ rows: Record<string, unknown>[]; affected: number }>;

/**
 * Moves one batch of settled trees inside the caller's transaction: trees in uuid order after
 * `afterTree`, until `budget` steps are reached (the last tree may overshoot it, never split).
 */
export async function moveSettledTreeBatch(run: RunStatement, move: TreeMove, budget: number, afterTree: string): Promise<BatchResult> {
  const { from, to, before } = move;
  // A plain read walks the tree_uuid index from the cursor (reading each row for its state), so a
  // whole run reads the table once however many batches it takes …
  const { rows: candidates } = await run(`SELECT tree_uuid, COUNT(*) AS n FROM ${from} WHERE tree_uuid > ? GROUP BY tree_uuid
    HAVING SUM(state NOT IN (${TERMINAL_SQL})) = 0 AND SUM(completed_at IS NULL) = 0 AND MAX(completed_at) < ?
    ORDER BY tree_uuid LIMIT ?`, [afterTree, before, TREES_PER_BATCH]);
  const picked: string[] = [];
  let planned = 0;
  for (const c of candidates) {
    if (planned >= budget) break;
    picked.push(String(c.tree_uuid));
    planned += Number(c.n);
  }
  if (picked.length === 0) return { moved: 0, lastTree: null };
  const lastTree = picked.at(-1)!;
  // … then the trees are locked and checked again, since a step may have moved in between.
  const { rows: locked } = await run(`SELECT id, tree_uuid, state, completed_at FROM ${from} WHERE tree_uuid IN (${picked.map(() => '?').join(', ')}) ORDER BY id FOR UPDATE`, picked);
  const byTree = new Map<string, Record<string, unknown>[]>();
  for (const r of locked) byTree.set(String(r.tree_uuid), [...(byTree.get(String(r.tree_uuid)) ?? []), r]);
  const ids: number[] = [];
  for (const rows of byTree.values()) {
    const settled = rows.every((r) => TERMINAL_STATES.has(r.state as StepState) && r.completed_at !== null && Number(r.completed_at) < before);
    if (settled) ids.push(...rows.map((r) => Number(r.id)));
  }
  if (ids.length === 0) return { moved: 0, lastTree };
  // By id, not by tree: a step inserted into the tree after the lock is left alone rather than lost.
  const list = ids.map(() => '?').join(', ');
  if (to) await run(`INSERT INTO ${to} (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM ${from} WHERE id IN (${list})`, ids);
  const deleted = await run(`DELETE FROM ${from} WHERE id IN (${list})`, ids);
  return { moved: deleted.affected, lastTree };
}

/** Runs batches (each its own transaction, through `batch`) until `limit` steps moved or no settled tree is left. */
export async function moveSettledTrees(batch: (budget: number, afterTree: string) => Promise<BatchResult>, limit: number): Promise<number> {
  let moved = 0;
  let cursor = '';
  while (moved < limit) {
    const done = await batch(limit - moved, cursor);
    if (done.lastTree === null) break;
    moved += done.moved;
    cursor = done.lastTree;
  }
  return moved;
}
