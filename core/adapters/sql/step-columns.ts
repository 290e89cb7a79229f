// Mapping between Step fields and step-table columns.
// Shared by the mysql2 and PlanetScale stores (runtime-neutral: no driver types).
type RowDataPacket = Record<string, any>;
import type { NewStep, Step, StepPatch, StepSet } from '../../steps/step.ts';

/** Step field → column. */
export const COLUMNS: Record<keyof Omit<Step, 'set'>, string> = {
  id: 'id', handler: 'handler', args: 'args', state: 'state', treeUuid: 'tree_uuid', blockUuid: 'block_uuid', index: 'idx',
  parentId: 'parent_id', childBlockUuid: 'child_block_uuid', lane: 'lane', priority: 'priority', group: 'group_name',
  dispatchAfter: 'dispatch_after', attempts: 'attempts', maxAttempts: 'max_attempts', backoffMs: 'backoff_ms',
  isThrottled: 'is_throttled', isResolver: 'is_resolver', dedupeKey: 'dedupe_key', response: 'response',
  errorMessage: 'error_message', errorStack: 'error_stack', startedAt: 'started_at', completedAt: 'completed_at',
  durationMs: 'duration_ms', dispatchedAt: 'dispatched_at', stallCount: 'stall_count', worker: 'worker',
  heartbeatAt: 'heartbeat_at', label: 'label', createdAt: 'created_at', updatedAt: 'updated_at',
};

/** Every column of a step table, for copies between the live and archive tables. */
export const COLUMN_LIST = Object.values(COLUMNS).join(', ');

const JSON_FIELDS = new Set(['args', 'response']);
const BOOL_FIELDS = new Set(['isThrottled', 'isResolver']);

/** The step table of a set. */
export const stepTable = (set: StepSet, archive = false) => `${set}_steps${archive ? '_archive' : ''}`;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : (v ?? null));

/** A row of a step table as a Step. */
export function toStep(set: StepSet, r: RowDataPacket): Step {
  return {
    id: Number(r.id), set, handler: r.handler, args: json(r.args) ?? {}, state: r.state, treeUuid: r.tree_uuid, blockUuid: r.block_uuid,
    index: Number(r.idx), parentId: num(r.parent_id), childBlockUuid: r.child_block_uuid, lane: r.lane, priority: Number(r.priority),
    group: r.group_name, dispatchAfter: Number(r.dispatch_after), attempts: Number(r.attempts), maxAttempts: Number(r.max_attempts),
    backoffMs: Number(r.backoff_ms), isThrottled: Boolean(r.is_throttled), isResolver: Boolean(r.is_resolver), dedupeKey: r.dedupe_key,
    response: json(r.response), errorMessage: r.error_message, errorStack: r.error_stack, startedAt: num(r.started_at),
    completedAt: num(r.completed_at), durationMs: num(r.duration_ms), dispatchedAt: num(r.dispatched_at), stallCount: Number(r.stall_count),
    worker: r.worker, heartbeatAt: num(r.heartbeat_at), label: r.label, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  };
}

/** A column value for a step field. */
export function toColumnValue(field: string, value: unknown): unknown {
  if (JSON_FIELDS.has(field)) return value === null || value === undefined ? null : JSON.stringify(value);
  if (BOOL_FIELDS.has(field)) return value ? 1 : 0;
  return value ?? null;
}

const NUMBER_FIELDS = new Set(['id', 'index', 'priority', 'dispatchAfter', 'attempts', 'maxAttempts', 'backoffMs', 'stallCount', 'createdAt', 'updatedAt',
  'parentId', 'startedAt', 'completedAt', 'durationMs', 'dispatchedAt', 'heartbeatAt']);

/** A column value read back as the step field `toStep` makes of it. */
function fromColumnValue(field: string, value: unknown): unknown {
  if (field === 'args') return json(value) ?? {};
  if (JSON_FIELDS.has(field)) return json(value);
  if (BOOL_FIELDS.has(field)) return Boolean(value);
  if (value === null) return null;
  return NUMBER_FIELDS.has(field) ? Number(value) : value;
}

/** Writes `patch` into `step` as a read of the written row would show it: each value through its column and back. */
export function applyPatch(step: Step, patch: StepPatch): void {
  const target = step as unknown as Record<string, unknown>;
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined || !(field in COLUMNS)) continue;
    target[field] = fromColumnValue(field, toColumnValue(field, value));
  }
}

/** `SET a = ?, b = ?` and its values for a patch. */
export function patchSql(patch: StepPatch): { sql: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  for (const [field, value] of Object.entries(patch)) {
    const column = COLUMNS[field as keyof typeof COLUMNS];
    if (!column || value === undefined) continue;
    parts.push(`${column} = ?`);
    values.push(toColumnValue(field, value));
  }
  return { sql: parts.join(', '), values };
}

const INSERT_FIELDS = ['handler', 'args', 'state', 'treeUuid', 'blockUuid', 'index', 'parentId', 'lane', 'priority', 'group', 'dispatchAfter',
  'maxAttempts', 'backoffMs', 'isResolver', 'dedupeKey', 'label', 'dispatchedAt', 'createdAt'] as const;
const INSERT_COLUMNS = 'handler, args, state, tree_uuid, block_uuid, idx, parent_id, lane, priority, group_name, dispatch_after, max_attempts, backoff_ms, is_resolver, dedupe_key, label, dispatched_at, created_at, updated_at';

/** One INSERT of new steps (updated_at = created_at); the rows take consecutive ids only where the server gives them. */
export function insertStepsSql(table: string, rows: readonly NewStep[]): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  for (const s of rows) {
    for (const f of INSERT_FIELDS) values.push(toColumnValue(f, s[f]));
    values.push(s.createdAt);
  }
  const row = `(${Array(INSERT_FIELDS.length + 1).fill('?').join(', ')})`;
  return { sql: `INSERT INTO ${table} (${INSERT_COLUMNS}) VALUES ${rows.map(() => row).join(', ')}`, values };
}

/**
 * How to insert `steps`: per set, one multi-row INSERT when the server hands out consecutive ids
 * (auto-increment lock mode 0/1, increment 1: ids first..first+n-1), else one INSERT per row.
 * Positions index `steps`.
 */
export function insertBatches(steps: readonly NewStep[], consecutiveIds: boolean): { set: StepSet; positions: number[] }[] {
  const bySet = new Map<StepSet, number[]>();
  steps.forEach((s, i) => bySet.set(s.set, [...(bySet.get(s.set) ?? []), i]));
  return [...bySet].flatMap(([set, positions]) => (consecutiveIds ? [positions] : positions.map((i) => [i])).map((batch) => ({ set, positions: batch })));
}
