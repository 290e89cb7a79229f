// The fleet-wide "pause new opens" switch: one append-only table whose newest row is in force.
// The open preflight reads it before it looks at any account, so a pause stops new exposure on
// every account at once while open positions keep their protection and their exits.
import type { InsertEffect } from '../steps/effects.ts';
import type { RowReader } from '../steps/step-store.port.ts';

/** The table (infra/migrations/0017_pause_opens.sql). */
export const PAUSE_OPENS_TABLE = 'fleet_pause_opens';

/** The switch as last set: who flipped it, when and why. */
export interface PauseOpens {
  paused: boolean;
  reason: string;
  by: string;
  at: number;
}

/** Never set: opens run. */
export const OPENS_RUNNING: PauseOpens = { paused: false, reason: 'never paused', by: 'nobody', at: 0 };

/** The switch in force (the newest row), or OPENS_RUNNING when nobody ever set it. */
export async function readPauseOpens(rows: RowReader): Promise<PauseOpens> {
  const [r] = await rows.findRows(PAUSE_OPENS_TABLE, {}, { orderBy: 'id', desc: true, limit: 1 });
  if (!r) return OPENS_RUNNING;
  // MySQL gives BOOLEAN back as 0/1, the memory store as whatever was written.
  return { paused: r.paused === true || Number(r.paused) === 1, reason: String(r.reason), by: String(r.created_by), at: Number(r.created_at) };
}

/** The row that sets the switch (written in the caller's transaction). */
export function pauseOpensInsert(s: PauseOpens): InsertEffect {
  if (s.reason.length === 0 || s.reason.length > 255) throw new RangeError('reason: must be 1 to 255 characters');
  if (s.by.length === 0 || s.by.length > 64) throw new RangeError('by: must be 1 to 64 characters');
  return { kind: 'insert', table: PAUSE_OPENS_TABLE, row: { paused: s.paused, reason: s.reason, created_by: s.by, created_at: s.at } };
}
