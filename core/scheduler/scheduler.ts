// The scheduler: fires the entries of the cron table on their cadence. Firing means creating one
// root step under the dedupe key `sched:<entry>:<slot>` (so a slot fires at most once, even with
// two schedulers), after three gates: a deploy cooldown pauses the entries marked for it, the
// previous run of the entry must be finished (no overlap), and the slot's lease
// (`<prefix>:sched:<entry>:<slot>`, Redis `SET NX PX`, bounded by the cadence) must be free or
// already ours. The slot is in the lease key, so a lease left by a crashed scheduler never
// blocks the next slot; the owner names the box, not the process, so a restarted scheduler
// takes back a slot its dead predecessor leased but never fired. At start it catches up: an
// entry whose latest slot has no block and passed less than a grace window ago fires at once.
// Missed slots otherwise coalesce into one run. Every outcome but `already-fired` goes to the
// shared fire log; a `leased` one is also logged as a warning.
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import { TERMINAL_STATES } from '../steps/step.ts';
import { nextSlotAfter, slotAtOrBefore } from './cadence.ts';
import type { CooldownPort } from './cooldown.port.ts';
import type { FireLogPort, FireOutcome } from './fire-log.port.ts';
import type { LeasePort } from './lease.port.ts';
import { argsFor, leaseFor, type ScheduleEntry } from './schedule-entry.ts';
import type { StepStarter } from './step-starter.ts';

export type { FireOutcome } from './fire-log.port.ts';

/** Defaults of the scheduler's options. */
export const SCHEDULER_DEFAULTS = { catchUpMs: 15 * 60_000, maxSleepMs: 30_000 } as const;

/** One entry's result at a tick. */
export interface FireReport {
  entry: string;
  slot: number;
  outcome: FireOutcome;
  stepId?: number;
  detail?: string;
}

/** Construction options of the scheduler. */
export interface SchedulerOptions {
  entries: readonly ScheduleEntry[];
  starter: StepStarter;
  lease: LeasePort;
  cooldown: CooldownPort;
  clock: Clock;
  logger: Logger;
  /** Lease owner: stable across restarts of the same box (`athena@host`, no pid). */
  owner: string;
  /** Prefix of lease keys. */
  keyPrefix?: string;
  /** Longest the timer sleeps before re-reading the clock (default 30 s). */
  maxSleepMs?: number;
  /** At start, a latest slot missed less than this long ago (and within one cadence) fires at once (default 15 min; 0 turns catch-up off). */
  catchUpMs?: number;
  /** Where each entry's outcomes are recorded for `kraite schedule` (optional). */
  fireLog?: FireLogPort;
}

/** A scheduler's view of one entry, for `kraite schedule` and the status page. */
export interface EntryStatus {
  name: string;
  nextRunAt: number | null;
  lastOutcome: FireOutcome | null;
  lastFiredAt: number | null;
  /** How many slots this scheduler found leased by another. */
  leased: number;
}

/** The cron loop of athena. */
export class Scheduler {
  private readonly next = new Map<string, number>();
  private readonly lastFiredSlot = new Map<string, number>();
  private readonly lastOutcome = new Map<string, FireOutcome>();
  private readonly lastFiredAt = new Map<string, number>();
  private readonly leasedCount = new Map<string, number>();
  private readonly warnedUnavailable = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;

  constructor(private readonly o: SchedulerOptions) {
    const now = o.clock.now();
    for (const e of o.entries) if (e.step) this.next.set(e.name, nextSlotAfter(e.cadence, now));
  }

  /** When each entry runs next (null for automatic entries). */
  status(): EntryStatus[] {
    return this.o.entries.map((e) => ({
      name: e.name, nextRunAt: this.next.get(e.name) ?? null, lastOutcome: this.lastOutcome.get(e.name) ?? null,
      lastFiredAt: this.lastFiredAt.get(e.name) ?? null, leased: this.leasedCount.get(e.name) ?? 0,
    }));
  }

  /**
   * Fires every entry whose latest slot passed within the catch-up window and has no block yet
   * (a slot the previous scheduler missed while it was down); run once at start.
   */
  async catchUp(): Promise<FireReport[]> {
    const now = this.o.clock.now();
    const grace = this.o.catchUpMs ?? SCHEDULER_DEFAULTS.catchUpMs;
    const due = this.o.entries.filter((e) => e.step && now - slotAtOrBefore(e.cadence, now) < Math.min(grace, e.cadence.everyMs));
    return this.fireAll(due, now, true);
  }

  /** Fires every entry whose slot has come; exposed for tests with an injected clock. */
  async tick(): Promise<FireReport[]> {
    const now = this.o.clock.now();
    const due = this.o.entries.filter((e) => e.step && (this.next.get(e.name) ?? Infinity) <= now);
    return this.fireAll(due, now, false);
  }

  private async fireAll(due: ScheduleEntry[], now: number, catchUp: boolean): Promise<FireReport[]> {
    if (due.length === 0) return [];
    let cooling: boolean;
    try {
      cooling = (await this.o.cooldown.current()) !== null;
    } catch (error) {
      // Unknown state: run what runs in maintenance anyway, hold the step producers.
      this.o.logger.warn('scheduler could not read the cooldown flag; pausing cooldown-gated entries this tick', { error });
      cooling = true;
    }
    const reports: FireReport[] = [];
    for (const entry of due) {
      const slot = slotAtOrBefore(entry.cadence, now);
      this.next.set(entry.name, nextSlotAfter(entry.cadence, now));
      const report = await this.fire(entry, slot, cooling, catchUp);
      this.lastOutcome.set(entry.name, report.outcome);
      if (report.outcome === 'fired') this.lastFiredAt.set(entry.name, now);
      if (report.outcome === 'leased') this.leasedCount.set(entry.name, (this.leasedCount.get(entry.name) ?? 0) + 1);
      // `already-fired` means another scheduler (or our predecessor) fired it and recorded that.
      if (report.outcome !== 'already-fired') await this.record(report, now);
      reports.push(report);
    }
    return reports;
  }

  private async record(report: FireReport, at: number): Promise<void> {
    try {
      await this.o.fireLog?.record({ ...report, at, owner: this.o.owner });
    } catch (error) {
      this.o.logger.warn('scheduler could not record an entry\'s outcome', { entry: report.entry, error });
    }
  }

  private async fire(entry: ScheduleEntry, slot: number, cooling: boolean, catchUp: boolean): Promise<FireReport> {
    const step = entry.step!;
    const report = (outcome: FireOutcome, detail?: string, stepId?: number): FireReport => ({ entry: entry.name, slot, outcome, detail, stepId });
    if (entry.pausedInCooldown && cooling) return report('cooldown', 'deploy cooldown');
    if (!this.o.starter.has(step.handler)) {
      if (!this.warnedUnavailable.has(entry.name)) {
        this.warnedUnavailable.add(entry.name);
        this.o.logger.warn('scheduler entry skipped: its handler is not registered in this process', { entry: entry.name, handler: step.handler });
      }
      return report('unavailable', `handler ${step.handler} not registered`);
    }
    try {
      const set = step.set ?? this.o.starter.setOf(step.handler);
      const mine = await this.o.starter.findByDedupeKey(set, dedupeKey(entry.name, slot));
      if (mine) {
        this.lastFiredSlot.set(entry.name, slot);
        return report('already-fired', `step ${mine.id}`, mine.id);
      }
      const previous = this.lastFiredSlot.get(entry.name) ?? slot - entry.cadence.everyMs;
      const prior = await this.o.starter.findByDedupeKey(set, dedupeKey(entry.name, previous));
      if (prior && !TERMINAL_STATES.has(prior.state)) return report('overlap', `previous run (step ${prior.id}) is still ${prior.state}`);
      const key = slotLeaseKey(this.o.keyPrefix ?? 'kraite', entry.name, slot);
      if (!(await this.o.lease.acquire(key, this.o.owner, leaseFor(entry)))) {
        const holder = await this.o.lease.holder(key).catch(() => null);
        const by = holder?.owner ?? 'another scheduler';
        this.o.logger.warn('scheduler entry not fired: another scheduler holds the slot\'s lease', { entry: entry.name, slot: new Date(slot).toISOString(), holder: by, owner: this.o.owner });
        return report('leased', `slot leased by ${by}`);
      }
      const [root] = await this.o.starter.start([{ handler: step.handler, lane: step.lane, args: argsFor(step, slot), label: `sched:${entry.name}` }], { set, dedupeKey: dedupeKey(entry.name, slot) });
      this.lastFiredSlot.set(entry.name, slot);
      return report('fired', catchUp ? 'catch-up at start' : undefined, root?.id);
    } catch (error) {
      this.o.logger.error('scheduler entry failed to fire', { entry: entry.name, error });
      return report('failed', String(error));
    }
  }

  /** Runs the loop on timers until stopped. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.running = this.catchUp().catch((error: unknown) => this.o.logger.error('scheduler catch-up crashed', { error })).finally(() => {
      this.running = null;
      this.arm();
    });
  }

  private arm(): void {
    if (this.stopped) return;
    const soonest = Math.min(...this.next.values());
    const wait = Math.max(0, Math.min(soonest - this.o.clock.now(), this.o.maxSleepMs ?? SCHEDULER_DEFAULTS.maxSleepMs));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick().catch((error: unknown) => this.o.logger.error('scheduler tick crashed', { error })).finally(() => {
        this.running = null;
        this.arm();
      });
    }, wait);
  }

  /** Stops the loop after the tick in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}

/** The dedupe key of an entry's slot: one block per entry and slot, fleet-wide. */
export function dedupeKey(entry: string, slot: number): string {
  return `sched:${entry}:${slot}`;
}

/** The lease key of an entry's slot: the slot is in the key, so a lease never outlives its own slot's turn. */
export function slotLeaseKey(prefix: string, entry: string, slot: number): string {
  return `${prefix}:sched:${entry}:${slot}`;
}
