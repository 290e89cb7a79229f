// Blocks a commit group locked up front for its members: one `SELECT … FOR UPDATE` over every
// member's hinted block (TransactionOptions.lockBlocks) instead of one round trip per member.
import type { RowDataPacket } from 'mysql2/promise';
import type { Step, StepSet } from '../../../core/steps/step.ts';
import { stepTable, toStep } from '../../../core/adapters/sql/step-columns.ts';

/** A block to lock. */
export interface BlockRef {
  set: StepSet;
  blockUuid: string;
}

const key = (set: StepSet, id: number | string) => `${set}:${id}`;

/**
 * The locked rows of the group's hinted blocks. A block is handed out once, and only while no
 * member has changed one of its rows: after that, `lockBlock` reads it live (which first sends the
 * changes), so a member never decides on rows a member before it changed.
 */
export class BlockPrefetch {
  private readonly blocks = new Map<string, Step[]>();
  private readonly touched = new Set<string>();

  /**
   * The statement that locks `refs` (deduplicated, one per set, in the lock order of `lockBlock`:
   * block uuid, then idx, then id), or null when there is nothing to lock.
   */
  static statement(refs: readonly BlockRef[]): { sql: string; values: unknown[]; sets: StepSet[] } | null {
    const bySet = new Map<StepSet, Set<string>>();
    for (const r of refs) {
      const uuids = bySet.get(r.set) ?? new Set<string>();
      uuids.add(r.blockUuid);
      bySet.set(r.set, uuids);
    }
    if (bySet.size === 0) return null;
    const sets = [...bySet.keys()].sort();
    const sql = sets.map((set) => {
      const n = bySet.get(set)!.size;
      return `SELECT * FROM ${stepTable(set)} WHERE block_uuid IN (${Array(n).fill('?').join(', ')}) ORDER BY block_uuid, idx, id FOR UPDATE`;
    }).join(';\n');
    return { sql, values: sets.flatMap((set) => [...bySet.get(set)!].sort()), sets };
  }

  /** Files the rows one statement per set returned (`sets` in statement order). */
  add(sets: readonly StepSet[], results: readonly RowDataPacket[][]): void {
    sets.forEach((set, i) => {
      for (const row of results[i] ?? []) {
        const step = toStep(set, row);
        const k = key(set, step.blockUuid);
        const list = this.blocks.get(k);
        if (list) list.push(step);
        else this.blocks.set(k, [step]);
      }
    });
  }

  /** The block's locked rows if still untouched (once per block), else null. */
  take(set: StepSet, blockUuid: string): Step[] | null {
    const k = key(set, blockUuid);
    const steps = this.blocks.get(k);
    if (!steps) return null;
    this.blocks.delete(k);
    return steps.some((s) => this.touched.has(key(set, s.id))) ? null : steps;
  }

  /** Records that a member changed (or is about to change) a row. */
  touch(set: StepSet, id: number): void {
    this.touched.add(key(set, id));
  }
}
