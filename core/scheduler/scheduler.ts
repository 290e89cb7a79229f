// The scheduler: fires the entries of the cron table on their cadence. Firing means creating one
// root step under the dedupe key `sched:<entry>:<slot>` (so a slot fires at most once, even with
// two schedulers), after three gates: a deploy cooldown pauses the entries marked for it, the
// previous run of the entry must be finished (no overlap), and the entry's lease (Redis
// `SET NX PX`, bounded by its cadence) must be free. The lease marks "a run of this entry is in
// flight, started by owner X": the owner gives it back once it sees that run finished; a crashed
// owner's lease lapses after one cadence. Missed slots coalesce into one run.
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import { TERMINAL_STATES } from '../steps/step.ts';
import { nextSlotAfter, slotAtOrBefore } from './cadence.ts';
import type { CooldownPort } from './cooldown.port.ts';
import type { LeasePort } from './lease.port.ts';
import { argsFor, leaseFor, type ScheduleEntry } from './schedule-entry.ts';
import type { StepStarter } from './step-starter.ts';

/** What one due entry did at a tick. */
export type FireOutcome = 'fired' | 'paused' | 'overlap' | 'leased' | 'unavailable' | 'failed';

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
  /** Lease owner name (box and pid). */
  owner: string;
  /** Prefix of lease keys. */
  keyPrefix?: string;
  /** Longest the timer sleeps before re-reading the clock (default 30 s). */
  maxSleepMs?: number;
}

/** A scheduler's view of one entry, for `kraite schedule` and the status page. */
export interface EntryStatus {
  name: string;
  nextRunAt: number | null;
  lastOutcome: FireOutcome | null;
  lastFiredAt: number | null;
}

/** The cron loop of athena. */
export class Scheduler {
  private readonly next = new Map<string, number>();
  private readonly lastFiredSlot = new Map<string, number>();
  private readonly lastOutcome = new Map<string, FireOutcome>();
  private readonly lastFiredAt = new Map<string, number>();
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
      lastFiredAt: this.lastFiredAt.get(e.name) ?? null,
    }));
  }

  /** Fires every entry whose slot has come; exposed for tests with an injected clock. */
  async tick(): Promise<FireReport[]> {
    const now = this.o.clock.now();
    const due = this.o.entries.filter((e) => e.step && (this.next.get(e.name) ?? Infinity) <= now);
    if (due.length === 0) return [];
    let cooling: boolean;
    try {
      cooling = (await this.o.cooldown.current()) !== null;
    } catch (error) {
      // Unknown state: run what runs in maintenance anyway, hold the step producers.
      this.o.logger.warn('scheduler could not read the cooldown flag; pausing cooldown-gated entries this tick', { error: String(error) });
      cooling = true;
    }
    const reports: FireReport[] = [];
    for (const entry of due) {
      const slot = slotAtOrBefore(entry.cadence, now);
      this.next.set(entry.name, nextSlotAfter(entry.cadence, now));
      const report = await this.fire(entry, slot, cooling);
      this.lastOutcome.set(entry.name, report.outcome);
      if (report.outcome === 'fired') this.lastFiredAt.set(entry.name, now);
      reports.push(report);
    }
    return reports;
  }

  private async fire(entry: ScheduleEntry, slot: number, cooling: boolean): Promise<FireReport> {
    const step = entry.step!;
    const report = (outcome: FireOutcome, detail?: string, stepId?: number): FireReport => ({ entry: entry.name, slot, outcome, detail, stepId });
    if (entry.pausedInCooldown && cooling) return report('paused', 'deploy cooldown');
    if (!this.o.starter.has(step.handler)) {
      if (!this.warnedUnavailable.has(entry.name)) {
        this.warnedUnavailable.add(entry.name);
        this.o.logger.warn('scheduler entry skipped: its handler is not registered in this process', { entry: entry.name, handler: step.handler });
      }
      return report('unavailable', `handler ${step.handler} not registered`);
    }
    try {
      const set = step.set ?? this.o.starter.setOf(step.handler);
      const previous = this.lastFiredSlot.get(entry.name) ?? slot - entry.cadence.everyMs;
      const prior = await this.o.starter.findByDedupeKey(set, dedupeKey(entry.name, previous));
      if (prior && !TERMINAL_STATES.has(prior.state)) return report('overlap', `previous run (step ${prior.id}) is still ${prior.state}`);
      const key = `${this.o.keyPrefix ?? 'kraite'}:sched:${entry.name}`;
      // Our previous run has finished: our own lease on it is spent. Another scheduler's lease stays.
      await this.o.lease.release(key, this.o.owner);
      if (!(await this.o.lease.acquire(key, this.o.owner, leaseFor(entry)))) return report('leased', 'another scheduler holds the lease');
      const [root] = await this.o.starter.start([{ handler: step.handler, lane: step.lane, args: argsFor(step, slot), label: `sched:${entry.name}` }], { set, dedupeKey: dedupeKey(entry.name, slot) });
      this.lastFiredSlot.set(entry.name, slot);
      return report('fired', undefined, root?.id);
    } catch (error) {
      this.o.logger.error('scheduler entry failed to fire', { entry: entry.name, error: String(error) });
      return report('failed', String(error));
    }
  }

  /** Runs the loop on timers until stopped. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.arm();
  }

  private arm(): void {
    if (this.stopped) return;
    const soonest = Math.min(...this.next.values());
    const wait = Math.max(0, Math.min(soonest - this.o.clock.now(), this.o.maxSleepMs ?? 30_000));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick().catch((error: unknown) => this.o.logger.error('scheduler tick crashed', { error: String(error) })).finally(() => {
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
