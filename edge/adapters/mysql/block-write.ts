// The statement a transaction sends for a block it locked on an image (block-images.ts): one UPDATE
// that locks the block's rows the way a live `lockBlock` does (ix_block in order, then each row),
// matches only rows still at their image's row_version, and writes every change the transaction
// made to them; then a guard that fails unless every row of the image matched. It gathers the
// transaction's writes to the block until the outbox sends it (`seal`); a write after that is a
// statement of its own, as usual.
import type { StepPatch, StepSet } from '../../../core/steps/step.ts';
import { COLUMNS, stepTable, toColumnValue } from '../../../core/adapters/sql/step-columns.ts';
import { STALE_IMAGE_MESSAGE, type RowImage } from './block-images.ts';
import type { Deferred } from './statement-outbox.ts';

/** Writes to one row gathered so far: the merged patch (later fields win) and how many writes it stands for. */
interface RowWrite {
  patch: Record<string, unknown>;
  writes: number;
}

/** The lock, writes and guard of one block locked on its image. */
export class GuardedBlockWrite implements Deferred {
  readonly statements = 2;
  private readonly writes = new Map<number, RowWrite>();
  private rendered: { sql: string; values: unknown[] } | null = null;

  /** `rows`: the image the transaction decided on (versions as guessed). */
  constructor(private readonly set: StepSet, private readonly blockUuid: string, private readonly rows: readonly RowImage[]) {}

  /** Gathers a write to one of the block's rows; false once the statement went out (send it alone then). */
  add(id: number, patch: StepPatch): boolean {
    if (this.rendered) return false;
    const w = this.writes.get(id) ?? { patch: {}, writes: 0 };
    for (const [field, value] of Object.entries(patch)) if (value !== undefined && field in COLUMNS) w.patch[field] = value;
    w.writes += 1;
    this.writes.set(id, w);
    return true;
  }

  seal(): void {
    this.rendered ??= this.render();
  }

  get sql(): string {
    this.seal();
    return this.rendered!.sql;
  }

  get values(): unknown[] {
    this.seal();
    return this.rendered!.values;
  }

  private render(): { sql: string; values: unknown[] } {
    const sets: string[] = [];
    const values: unknown[] = [];
    const fields = new Set<string>();
    for (const w of this.writes.values()) for (const f of Object.keys(w.patch)) fields.add(f);
    // Each column takes its own old value where a row has nothing for it: assignments never read
    // another column, so MariaDB's left-to-right evaluation of SET changes nothing here.
    for (const field of fields) {
      const column = COLUMNS[field as keyof typeof COLUMNS];
      const cases: string[] = [];
      for (const [id, w] of this.writes) {
        if (!(field in w.patch)) continue;
        cases.push('WHEN ? THEN ?');
        values.push(id, toColumnValue(field, w.patch[field]));
      }
      sets.push(`${column} = CASE id ${cases.join(' ')} ELSE ${column} END`);
    }
    if (this.writes.size > 0) {
      // One bump per write, as separate statements would have made: the images count the same.
      sets.push(`row_version = row_version + CASE id ${[...this.writes.keys()].map(() => 'WHEN ? THEN ?').join(' ')} ELSE 0 END`);
      for (const [id, w] of this.writes) values.push(id, w.writes);
    } else {
      sets.push('row_version = row_version');
    }
    values.push(this.blockUuid);
    for (const r of this.rows) values.push(r.step.id, r.version);
    values.push(this.rows.length);
    return {
      // The forced index walk is the lock order of a locking read of the block (ix_block is
      // (block_uuid, idx) + id): no ORDER BY, which would cost a filesort and buffer the rows.
      sql: `UPDATE ${stepTable(this.set)} FORCE INDEX (ix_block) SET ${sets.join(', ')} WHERE block_uuid = ? AND row_version = CASE id ${this.rows.map(() => 'WHEN ? THEN ?').join(' ')} END;\n`
        // ROW_COUNT() counts matched rows: every pool connection sets CLIENT_FOUND_ROWS (mysql-pool.ts).
        + `IF ROW_COUNT() <> ? THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${STALE_IMAGE_MESSAGE}'; END IF`,
      values,
    };
  }
}
