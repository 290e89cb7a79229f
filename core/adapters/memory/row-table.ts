// One in-memory table: rows by id, plus hash indexes on the column sets queried by equality, kept
// in step with every set and delete, so a lookup costs the rows it matches rather than the table.
import type { Row, Scalar } from '../../steps/effects.ts';

/** Nested maps, one level per indexed column (values as stored, undefined read as null); ids at the leaf. */
type Level = Map<Scalar, Level | Set<number>>;

interface Index {
  columns: string[];
  root: Level;
}

function add(level: Level, columns: string[], row: Row, id: number): void {
  let at = level;
  for (let i = 0; i < columns.length - 1; i++) {
    const v = row[columns[i]!] ?? null;
    let next = at.get(v) as Level | undefined;
    if (!next) at.set(v, (next = new Map()));
    at = next;
  }
  const v = row[columns.at(-1)!] ?? null;
  let ids = at.get(v) as Set<number> | undefined;
  if (!ids) at.set(v, (ids = new Set()));
  ids.add(id);
}

function remove(level: Level, columns: string[], row: Row, id: number, from = 0): void {
  const v = row[columns[from]!] ?? null;
  const next = level.get(v);
  if (!next) return;
  if (next instanceof Set) next.delete(id);
  else remove(next, columns, row, id, from + 1);
  if ((next instanceof Set ? next.size : next.size) === 0) level.delete(v);
}

/**
 * Rows by id in insertion order (a Map, so its own iteration order is the table's), with lazily
 * built equality indexes. `set` and `delete` keep the indexes current, whoever calls them.
 */
export class RowTable extends Map<number, Row> {
  private readonly indexes = new Map<string, Index>();
  /** Each id's place in insertion order (ties in an ORDER BY keep it, as a scan would). */
  private readonly seq = new Map<number, number>();
  private nextSeq = 0;

  /** A table holding `rows` (e.g. a plain Map restored from a snapshot). */
  static of(rows: Iterable<[number, Row]>): RowTable {
    const t = new RowTable();
    for (const [id, row] of rows) t.set(id, row);
    return t;
  }

  override set(id: number, row: Row): this {
    // Map's constructor calls set before the fields exist; it is only ever given no entries here.
    const old = super.get(id);
    if (old) for (const ix of this.indexes.values()) remove(ix.root, ix.columns, old, id);
    else this.seq.set(id, this.nextSeq++);
    super.set(id, row);
    for (const ix of this.indexes.values()) add(ix.root, ix.columns, row, id);
    return this;
  }

  override delete(id: number): boolean {
    const old = super.get(id);
    if (!old) return false;
    for (const ix of this.indexes.values()) remove(ix.root, ix.columns, old, id);
    this.seq.delete(id);
    return super.delete(id);
  }

  override clear(): void {
    super.clear();
    this.indexes.clear();
    this.seq.clear();
  }

  /**
   * The ids of rows whose `columns` equal `values` (strict equality; a NaN matches nothing), in
   * the table's insertion order.
   */
  idsWhere(columns: string[], values: Scalar[]): number[] {
    if (columns.length === 0) return [...this.keys()];
    // `matches` compares with !==: a NaN or an undefined in `where` matches no row.
    if (values.some((v) => v === undefined || (typeof v === 'number' && Number.isNaN(v)))) return [];
    const order = columns.map((_, i) => i).sort((a, b) => (columns[a]! < columns[b]! ? -1 : columns[a]! > columns[b]! ? 1 : 0));
    const sorted = order.map((i) => columns[i]!);
    const key = sorted.join('\u0000');
    let ix = this.indexes.get(key);
    if (!ix) {
      ix = { columns: sorted, root: new Map() };
      for (const [id, row] of this) add(ix.root, sorted, row, id);
      this.indexes.set(key, ix);
    }
    let at: Level | Set<number> | undefined = ix.root;
    for (const i of order) {
      if (!at || at instanceof Set) return [];
      at = at.get(values[i]!);
    }
    if (!(at instanceof Set)) return [];
    const ids = [...at];
    if (ids.length > 1) ids.sort((a, b) => this.seq.get(a)! - this.seq.get(b)!);
    return ids;
  }
}
