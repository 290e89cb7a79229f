// Domain rows in memory: tables of records with an auto-increment id and declared unique keys.
import type { Row } from '../../steps/effects.ts';
import { DuplicateKeyError } from '../../steps/step-store.port.ts';
import { RowTable } from './row-table.ts';

/** Unique keys per table: each entry is a list of columns that must be unique together. */
export type UniqueKeys = Record<string, string[][]>;

/** Whether `row` matches every column of `where` (null matches null). */
export function matches(row: Row, where: Row): boolean {
  for (const [column, value] of Object.entries(where)) if ((row[column] ?? null) !== value) return false;
  return true;
}

/** Tables of rows and their next ids, as a snapshot holds them. */
export interface RowsSnapshot {
  tables: [string, Row[]][];
  nextIds: [string, number][];
}

/** Told which row a write changed (the store journals its after-image at commit). */
export type RowTouched = (table: string, id: number) => void;

/**
 * The row tables; `undo` records how to revert each write. Each table is a RowTable: its equality
 * indexes (built the first time a column set is queried, kept current by its own set/delete) make
 * find, update and the unique-key check cost the rows they match, not the table's size.
 */
export class MemoryRows {
  private readonly tables = new Map<string, Map<number, Row>>();
  private readonly nextIds = new Map<string, number>();

  constructor(private readonly uniqueKeys: UniqueKeys = {}) {}

  private table(name: string): RowTable {
    const t = this.tables.get(name);
    if (t instanceof RowTable) return t;
    // A table put here as a plain Map (none yet, or one restored from elsewhere) becomes indexed.
    const indexed = RowTable.of(t ?? []);
    this.tables.set(name, indexed);
    return indexed;
  }

  /** The ids of rows matching `where`, in the table's insertion order (what a scan visits). */
  private idsWhere(t: RowTable, where: Row): number[] {
    const columns = Object.keys(where);
    return t.idsWhere(columns, columns.map((c) => where[c]!));
  }

  /** Rows matching `where`, copied. */
  find(table: string, where: Row, options: { orderBy?: string; desc?: boolean; limit?: number } = {}): Row[] {
    const orderBy = options.orderBy ?? 'id';
    const sign = options.desc ? -1 : 1;
    const t = this.table(table);
    const rows = this.idsWhere(t, where).map((id) => t.get(id)!);
    rows.sort((a, b) => {
      const x = a[orderBy] ?? null;
      const y = b[orderBy] ?? null;
      return x === y ? 0 : (x === null || (y !== null && x < y) ? -1 : 1) * sign;
    });
    return (options.limit === undefined ? rows : rows.slice(0, options.limit)).map((r) => ({ ...r }));
  }

  private clash(table: string, row: Row, ignoreId?: number): string[] | null {
    const t = this.table(table);
    for (const key of this.uniqueKeys[table] ?? []) {
      // Like SQL, a NULL in any unique column never clashes.
      if (key.some((c) => (row[c] ?? null) === null)) continue;
      if (t.idsWhere(key, key.map((c) => row[c]!)).some((id) => id !== ignoreId)) return key;
    }
    return null;
  }

  /** Inserts a row without an id under the table's next id; returns that id. */
  append(table: string, row: Row, undo: (fn: () => void) => void, touched?: RowTouched): number {
    const id = this.nextIds.get(table) ?? 1;
    this.insert(table, { ...row, id }, false, undo, touched);
    return id;
  }

  /** Inserts; returns false (ignoreDuplicate) or throws DuplicateKeyError on a unique clash. */
  insert(table: string, row: Row, ignoreDuplicate: boolean, undo: (fn: () => void) => void, touched?: RowTouched): boolean {
    const t = this.table(table);
    const id = typeof row.id === 'number' ? row.id : (this.nextIds.get(table) ?? 1);
    const stored: Row = { ...row, id };
    const clash = t.has(id) ? ['id'] : this.clash(table, stored);
    if (clash) {
      if (ignoreDuplicate) return false;
      throw new DuplicateKeyError(`duplicate ${table} (${clash.join(', ')})`);
    }
    const previousNext = this.nextIds.get(table);
    t.set(id, stored);
    touched?.(table, id);
    this.nextIds.set(table, Math.max(previousNext ?? 1, id + 1));
    undo(() => {
      t.delete(id);
      if (previousNext === undefined) this.nextIds.delete(table);
      else this.nextIds.set(table, previousNext);
    });
    return true;
  }

  /** Updates matching rows; returns how many matched. */
  update(table: string, where: Row, set: Row, undo: (fn: () => void) => void, touched?: RowTouched): number {
    const t = this.table(table);
    let n = 0;
    for (const id of this.idsWhere(t, where)) {
      const row = t.get(id)!;
      const next = { ...row, ...set };
      const clash = this.clash(table, next, id);
      if (clash) throw new DuplicateKeyError(`duplicate ${table} (${clash.join(', ')})`);
      t.set(id, next);
      touched?.(table, id);
      undo(() => t.set(id, row));
      n += 1;
    }
    return n;
  }

  /** The stored row with this id (not copied: the caller copies it into a journal record). */
  get(table: string, id: number): Row | undefined {
    return this.tables.get(table)?.get(id);
  }

  /** Writes a row as a journal recorded it (insert or replace by id). */
  put(table: string, row: Row): void {
    const id = row.id as number;
    this.table(table).set(id, { ...row });
    this.nextIds.set(table, Math.max(this.nextIds.get(table) ?? 1, id + 1));
  }

  /** Every table and next id. */
  snapshot(): RowsSnapshot {
    return { tables: [...this.tables].map(([name, rows]) => [name, [...rows.values()]]), nextIds: [...this.nextIds] };
  }

  /** Replaces everything with a snapshot's tables. */
  restore(snap: RowsSnapshot): void {
    this.tables.clear();
    this.nextIds.clear();
    for (const [name, rows] of snap.tables) this.tables.set(name, new Map(rows.map((r) => [r.id as number, r])));
    for (const [name, next] of snap.nextIds) this.nextIds.set(name, next);
  }
}
