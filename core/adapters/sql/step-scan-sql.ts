// The SQL of the step stores' scans and locks (next due time, stale recovery, the dispatcher's
// claim, a block's lock), shared by the mysql2 and PlanetScale stores. The live step tables keep no
// index that starts with `state` (every transition would rewrite its entry, migration 0018): a scan
// by state names every group, so it walks ix_claim (group_name, state, …) as one short range per
// group, and the next due time walks ix_due (dispatch_after), which only a deferral or a retry rewrites.
import { GROUPS } from '../../steps/step.ts';
import type { StepFilter } from '../../steps/step-store.port.ts';

const ALL_GROUPS = `group_name IN (${GROUPS.map((g) => `'${g}'`).join(', ')})`;

/** The earliest `dispatch_after` of a pending step after `?`: the first pending entry of ix_due past it. */
export const nextDueSql = (table: string) =>
  `SELECT dispatch_after AS due FROM ${table} FORCE INDEX (ix_due) WHERE dispatch_after > ? AND state = 'pending' ORDER BY dispatch_after LIMIT 1`;

/** Running steps (not waiting on children) whose heartbeat is older than `?`, oldest id first, `LIMIT ?`. */
export const staleRunningSql = (table: string) =>
  `SELECT * FROM ${table} FORCE INDEX (ix_claim) WHERE ${ALL_GROUPS} AND state = 'running' AND child_block_uuid IS NULL AND (heartbeat_at IS NULL OR heartbeat_at < ?) ORDER BY id LIMIT ?`;

/** Dispatched steps pushed before `?` and never claimed, oldest id first, `LIMIT ?`. */
export const staleDispatchedSql = (table: string) =>
  `SELECT * FROM ${table} FORCE INDEX (ix_claim) WHERE ${ALL_GROUPS} AND state = 'dispatched' AND (dispatched_at IS NULL OR dispatched_at < ?) ORDER BY id LIMIT ?`;

/** The step browser's filtered page (newest first), or null when the filter can match nothing. */
export function listStepsSql(table: string, f: StepFilter): { sql: string; values: unknown[] } | null {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, ...v: unknown[]) => {
    where.push(sql);
    values.push(...v);
  };
  if (f.state?.length === 0) return null;
  if (f.state) add(`state IN (${f.state.map(() => '?').join(', ')})`, ...f.state);
  if (f.handler !== undefined) add('handler = ?', f.handler);
  if (f.label !== undefined) add('label LIKE ?', `%${f.label.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.treeUuid !== undefined) add('tree_uuid = ?', f.treeUuid);
  if (f.blockUuid !== undefined) add('block_uuid = ?', f.blockUuid);
  if (f.parentId !== undefined) add('parent_id = ?', f.parentId);
  if (f.createdFrom !== undefined) add('created_at >= ?', f.createdFrom);
  if (f.createdTo !== undefined) add('created_at <= ?', f.createdTo);
  if (f.beforeId !== undefined) add('id < ?', f.beforeId);
  return { sql: `SELECT * FROM ${table}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`, values: [...values, f.limit ?? 100] };
}

/** One indexed probe per group on ix_claim (group_name, state, …): the groups with live steps. */
export const activeGroupsSql = (table: string) =>
  GROUPS.map((g) => `(SELECT '${g}' AS g FROM ${table} WHERE group_name = '${g}' AND state IN ('pending', 'dispatched', 'running') LIMIT 1)`).join(' UNION ALL ');

/** The locking read of a block, in the order every step lock is taken: ix_block (block_uuid, idx), then id. */
export const lockBlockSql = (table: string, columns: string) => `SELECT ${columns} FROM ${table} WHERE block_uuid = ? ORDER BY idx, id FOR UPDATE`;

/**
 * The dispatcher's claim: the runnable rule of core/steps/runnable.ts as one statement, `?`s group,
 * now, limit. Only the outer rows are locked: the subqueries are plain reads, so SKIP LOCKED never
 * hides a sibling or a parent. The forced index yields rows in claim order, so the scan stops at
 * LIMIT instead of filesorting, which would leave every runnable row of the group locked and starve a
 * second dispatcher.
 */
export const claimRunnableSql = (t: string, skipLocked: boolean) => `
      SELECT s.* FROM ${t} s FORCE INDEX (ix_claim)
      WHERE s.group_name = ? AND s.state = 'pending' AND s.dispatch_after <= ?
        AND (s.parent_id IS NULL OR EXISTS (SELECT 1 FROM ${t} p WHERE p.id = s.parent_id AND p.state = 'running'))
        AND NOT EXISTS (
          SELECT 1 FROM ${t} b WHERE b.block_uuid = s.block_uuid AND b.idx < s.idx AND (
            (s.is_resolver = 0 AND b.state NOT IN ('completed', 'skipped', 'not_runnable'))
            OR (s.is_resolver = 1 AND b.is_resolver = 1 AND b.state NOT IN ('completed', 'skipped'))
            OR (s.is_resolver = 1 AND b.is_resolver = 0 AND b.state NOT IN ('completed', 'skipped', 'stopped', 'cancelled', 'failed'))))
      ORDER BY s.is_throttled, s.priority DESC, s.dispatch_after, s.id
      LIMIT ? FOR UPDATE${skipLocked ? ' SKIP LOCKED' : ''}`;

/** Running steps of group `?` that wait on a child block, oldest id first, `LIMIT ?`. */
export const waitingParentsSql = (table: string) =>
  `SELECT * FROM ${table} WHERE group_name = ? AND state = 'running' AND child_block_uuid IS NOT NULL ORDER BY id LIMIT ?`;

/** A step update conditional on its state being one of `expected` (`?`s: the SET values, the id, then the states). */
export const updateStepIfStateSql = (table: string, sets: string, expected: readonly unknown[]) =>
  `UPDATE ${table} SET ${sets} WHERE id = ? AND state IN (${expected.map(() => '?').join(', ')})`;
