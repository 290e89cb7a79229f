// `kraite schedule`: the scheduler's cron table with each entry's cadence, whether a deploy
// cooldown pauses it, the step it creates, whether this install can run that handler, and when
// it fires next. With REDIS_URL it also says whether a cooldown is active.
import { describeCadence, nextSlotAfter } from '../../../core/scheduler/cadence.ts';
import { BACKUP_HANDLER_NAMES } from '../../backup/backup-handlers.ts';
import { backupRequested } from '../../backup/backup-config.ts';
import { SYSTEM_HANDLER_NAMES } from '../../../core/scheduler/handlers/index.ts';
import { SCHEDULE } from '../../../core/scheduler/schedule-table.ts';
import type { ScheduleEntry } from '../../../core/scheduler/schedule-entry.ts';
import { fleetHandlerNames } from '../../../handlers/index.ts';
import { loadConfig } from '../../runtime/config.ts';
import { openEdgeState } from '../../scheduler/edge-services.ts';
import { defineCommand } from '../command.ts';

/** One printed row. */
export interface ScheduleRow {
  name: string;
  cadence: string;
  pausedInCooldown: boolean;
  step: string;
  status: 'available' | 'unavailable' | 'automatic';
  nextRunAt: string | null;
}

/** The table's rows as of `now`, with availability from the handler names this install registers. */
export function scheduleRows(entries: readonly ScheduleEntry[], registered: ReadonlySet<string>, now: number): ScheduleRow[] {
  return entries.map((e) => ({
    name: e.name,
    cadence: describeCadence(e.cadence),
    pausedInCooldown: e.pausedInCooldown,
    step: e.step ? `${e.step.handler} on ${e.step.lane}` : `(${e.automatic})`,
    status: !e.step ? 'automatic' : registered.has(e.step.handler) ? 'available' : 'unavailable',
    nextRunAt: e.step ? new Date(nextSlotAfter(e.cadence, now)).toISOString() : null,
  }));
}

/** Lists the scheduler's entries with their next run. */
export const scheduleCommand = defineCommand({
  name: 'schedule',
  summary: 'list the scheduler entries: cadence, paused in cooldown, the step each creates, availability, next run',
  usage: 'schedule [--json]',
  options: { json: { type: 'boolean' } },
  async run({ values }, io) {
    const config = loadConfig(io.env);
    const registered = new Set([...fleetHandlerNames(), ...SYSTEM_HANDLER_NAMES, ...(backupRequested(io.env) ? BACKUP_HANDLER_NAMES : [])]);
    const rows = scheduleRows(SCHEDULE, registered, Date.now());
    let cooldown: string | null = null;
    if (config.REDIS_URL) {
      const state = openEdgeState(config);
      try {
        const c = await state.cooldown.current();
        cooldown = c ? `on since ${new Date(c.since).toISOString()} (${c.reason}, by ${c.by})` : 'off';
      } catch (error) {
        cooldown = `unknown (${String(error)})`;
      } finally {
        await state.close();
      }
    }
    if (values.json) {
      io.out(JSON.stringify({ cooldown, entries: rows }, null, 2));
      return 0;
    }
    const cols: (keyof ScheduleRow)[] = ['name', 'cadence', 'pausedInCooldown', 'status', 'nextRunAt', 'step'];
    const text = (r: ScheduleRow, c: keyof ScheduleRow) => (c === 'pausedInCooldown' ? (r[c] ? 'paused' : 'runs') : String(r[c] ?? '-'));
    const widths = cols.map((c) => Math.max(c === 'pausedInCooldown' ? 'in cooldown'.length : c.length, ...rows.map((r) => text(r, c).length)));
    io.out(cols.map((c, i) => (c === 'pausedInCooldown' ? 'in cooldown' : c).padEnd(widths[i]!)).join('  ').trimEnd());
    for (const r of rows) io.out(cols.map((c, i) => text(r, c).padEnd(widths[i]!)).join('  ').trimEnd());
    if (cooldown) io.out(`deploy cooldown: ${cooldown}`);
    const missing = rows.filter((r) => r.status === 'unavailable').length;
    if (missing) io.out(`${missing} entr${missing === 1 ? 'y is' : 'ies are'} unavailable: their handlers are not registered in this install; the scheduler skips them`);
    return 0;
  },
});
