// `kraite schedule`: the scheduler's cron table with each entry's cadence, whether a deploy
// cooldown stops it, the step it creates, whether this install can run that handler and when it
// fires next; with REDIS_URL also what the scheduler did at each entry's last slot (fired, or why
// not), how many slots it found leased by another scheduler, who holds the current slot's lease,
// and whether a cooldown is active.
import { describeCadence, nextSlotAfter, slotAtOrBefore } from '../../../core/scheduler/cadence.ts';
import type { FireLogView } from '../../../core/scheduler/fire-log.port.ts';
import { BACKUP_HANDLER_NAMES } from '../../backup/backup-handlers.ts';
import { backupRequested } from '../../backup/backup-config.ts';
import { SYSTEM_HANDLER_NAMES } from '../../../core/scheduler/handlers/index.ts';
import type { LeaseHolder } from '../../../core/scheduler/lease.port.ts';
import { SCHEDULE } from '../../../core/scheduler/schedule-table.ts';
import type { ScheduleEntry } from '../../../core/scheduler/schedule-entry.ts';
import { slotLeaseKey } from '../../../core/scheduler/scheduler.ts';
import { fleetHandlerNames } from '../../../handlers/index.ts';
import { loadConfig } from '../../runtime/config.ts';
import { openEdgeState } from '../../scheduler/edge-services.ts';
import { defineCommand } from '../command.ts';

/** One printed row. */
export interface ScheduleRow {
  name: string;
  cadence: string;
  /** What a deploy cooldown does to the entry: `stops` it or it `runs` on. */
  inCooldown: 'stops' | 'runs';
  step: string;
  handler: 'available' | 'unavailable' | 'automatic';
  nextRunAt: string | null;
  /** The latest slot the scheduler looked at, what it did there and who it was. */
  lastSlot: string | null;
  lastOutcome: string | null;
  lastBy: string | null;
  /** Slots found leased by another scheduler, since the fire log began. */
  leased: number;
  /** Who holds the lease of the current slot (and for how long), or null when free. */
  leaseHolder: string | null;
}

/** What the shared state says about the entries (absent without Redis). */
export interface ScheduleState {
  log: FireLogView;
  holders: Map<string, LeaseHolder | null>;
}

/** The table's rows as of `now`, with availability from the handler names this install registers. */
export function scheduleRows(entries: readonly ScheduleEntry[], registered: ReadonlySet<string>, now: number, state?: ScheduleState): ScheduleRow[] {
  return entries.map((e) => {
    const last = state?.log.last.get(e.name);
    const holder = state?.holders.get(e.name);
    return {
      name: e.name,
      cadence: describeCadence(e.cadence),
      inCooldown: e.pausedInCooldown ? 'stops' : 'runs',
      step: e.step ? `${e.step.handler} on ${e.step.lane}` : `(${e.automatic})`,
      handler: !e.step ? 'automatic' : registered.has(e.step.handler) ? 'available' : 'unavailable',
      nextRunAt: e.step ? new Date(nextSlotAfter(e.cadence, now)).toISOString() : null,
      lastSlot: last ? new Date(last.slot).toISOString() : null,
      lastOutcome: last ? `${last.outcome}${last.detail ? ` (${last.detail})` : ''}` : null,
      lastBy: last?.owner ?? null,
      leased: state?.log.counts.get(e.name)?.leased ?? 0,
      leaseHolder: holder ? `${holder.owner} (${Math.ceil(holder.remainingMs / 1000)} s left)` : null,
    };
  });
}

/** Reads the fire log and the current slot's lease of every entry from the shared state. */
async function readState(state: ReturnType<typeof openEdgeState>, prefix: string, now: number): Promise<ScheduleState> {
  const holders = new Map<string, LeaseHolder | null>();
  for (const e of SCHEDULE) if (e.step) holders.set(e.name, await state.lease.holder(slotLeaseKey(prefix, e.name, slotAtOrBefore(e.cadence, now))));
  return { log: await state.fireLog.read(), holders };
}

const COLUMNS: { key: keyof ScheduleRow; title: string }[] = [
  { key: 'name', title: 'name' }, { key: 'cadence', title: 'cadence' }, { key: 'inCooldown', title: 'in cooldown' }, { key: 'handler', title: 'handler' },
  { key: 'nextRunAt', title: 'next run' }, { key: 'lastSlot', title: 'last slot' }, { key: 'lastOutcome', title: 'outcome' }, { key: 'lastBy', title: 'by' },
  { key: 'leased', title: 'leased' }, { key: 'leaseHolder', title: 'lease holder' }, { key: 'step', title: 'step' },
];

/** Lists the scheduler's entries with their next run and, with Redis, their last slot. */
export const scheduleCommand = defineCommand({
  name: 'schedule',
  group: 'operate',
  env: ['REDIS_URL (optional: last slots and leases)'],
  example: 'schedule --json',
  flags: { json: 'print JSON instead of a table' },
  summary: 'list the scheduler entries: cadence, cooldown behaviour, the step each creates, next run, last slot\'s outcome and the lease holder',
  usage: 'schedule [--json]',
  options: { json: { type: 'boolean' } },
  async run({ values }, io) {
    const config = loadConfig(io.env);
    const registered = new Set([...fleetHandlerNames(), ...SYSTEM_HANDLER_NAMES, ...(backupRequested(io.env) ? BACKUP_HANDLER_NAMES : [])]);
    const now = Date.now();
    let cooldown: string | null = null;
    let shared: ScheduleState | undefined;
    if (config.REDIS_URL) {
      const state = openEdgeState(config);
      try {
        const c = await state.cooldown.current();
        cooldown = c ? `on since ${new Date(c.since).toISOString()} (${c.reason}, by ${c.by})` : 'off';
        shared = await readState(state, config.KRAITE_QUEUE_PREFIX, now);
      } catch (error) {
        cooldown ??= `unknown (${String(error)})`;
      } finally {
        await state.close();
      }
    }
    const rows = scheduleRows(SCHEDULE, registered, now, shared);
    if (values.json) {
      io.out(JSON.stringify({ cooldown, entries: rows }, null, 2));
      return 0;
    }
    // Without Redis there is no fleet scheduler to report on: leave its columns out.
    const cols = shared ? COLUMNS : COLUMNS.filter((c) => !['lastSlot', 'lastOutcome', 'lastBy', 'leased', 'leaseHolder'].includes(c.key));
    const text = (r: ScheduleRow, c: keyof ScheduleRow) => String(r[c] ?? '-');
    const widths = cols.map((c) => Math.max(c.title.length, ...rows.map((r) => text(r, c.key).length)));
    io.out(cols.map((c, i) => c.title.padEnd(widths[i]!)).join('  ').trimEnd());
    for (const r of rows) io.out(cols.map((c, i) => text(r, c.key).padEnd(widths[i]!)).join('  ').trimEnd());
    if (cooldown) io.out(`deploy cooldown: ${cooldown}`);
    const missing = rows.filter((r) => r.handler === 'unavailable').length;
    if (missing) io.out(`${missing} entr${missing === 1 ? 'y is' : 'ies are'} unavailable: their handlers are not registered in this install; the scheduler skips them`);
    const leased = rows.filter((r) => r.leased > 0);
    if (leased.length) io.out(`slots not fired because another scheduler held the lease: ${leased.map((r) => `${r.name} ×${r.leased}`).join(', ')} (two schedulers running, or one that crashed)`);
    return 0;
  },
});
