// The dispatch daemon: one long-lived loop that ticks only the groups the database shows as
// active, wakes early for due steps, contains a failing group, and records saturation per minute.
import { tickGroup, type TickResult } from './dispatcher.ts';
import type { StepEngine } from './engine.ts';
import { recoverStale } from './recovery.ts';
import type { SaturationSample } from './step-store.port.ts';
import { STEP_SETS, type Group, type StepSet } from './step.ts';

/** Tunables of the daemon loop. */
export interface DispatchDaemonOptions {
  /** The safety-net tick period. */
  tickMs?: number;
  /** Run the waiting-parent settlement every N ticks. */
  settleEveryTicks?: number;
  /** Run stale recovery every N ms (default 1 s, the tick: a dead step waits no longer than its stale threshold; 0 disables it). */
  recoverEveryMs?: number;
  /** After this many consecutive failures a group sits out that many ticks. */
  failureThreshold?: number;
  sets?: readonly StepSet[];
}

/** Live counters for the admin and tests. */
export interface DaemonStats {
  ticks: number;
  dispatched: number;
  groupFailures: number;
  /** Group ticks that hit the per-tick dispatch cap, and those of them that left runnable steps behind (saturation). */
  capped: number;
  leftover: number;
  lastTickAt: number | null;
}

const minuteOf = (ms: number) => Math.floor(ms / 60_000) * 60_000;

/** Runs ticks in a loop until stopped. Many daemons may run at once; claims never overlap. */
export class DispatchDaemon {
  readonly stats: DaemonStats = { ticks: 0, dispatched: 0, groupFailures: 0, capped: 0, leftover: 0, lastTickAt: null };
  private readonly o: Required<DispatchDaemonOptions>;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private wakeAt = Number.POSITIVE_INFINITY;
  private running = false;
  private loop: Promise<void> | null = null;
  private lastRecovery = 0;
  private readonly failures = new Map<string, { count: number; benchUntilTick: number }>();
  private samples = new Map<string, SaturationSample>();

  constructor(private readonly engine: StepEngine, options: DispatchDaemonOptions = {}) {
    this.o = {
      tickMs: options.tickMs ?? 1_000, settleEveryTicks: options.settleEveryTicks ?? 5, recoverEveryMs: options.recoverEveryMs ?? 1_000,
      failureThreshold: options.failureThreshold ?? 3, sets: options.sets ?? STEP_SETS,
    };
  }

  /** Starts the loop. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Asks for a tick no later than `at` (epoch ms); a step deferred in this process calls it. */
  wake(at = 0): void {
    if (!this.running) return;
    const delay = Math.max(0, at - this.engine.o.clock.now());
    if (at < this.wakeAt) this.schedule(delay);
  }

  /** Stops the loop after the tick in progress, flushing saturation counters. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.loop;
    await this.flush();
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.wakeAt = this.engine.o.clock.now() + delayMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wakeAt = Number.POSITIVE_INFINITY;
      this.loop = this.tickOnce().then(() => undefined, (error: unknown) => this.engine.o.logger.error("dispatcher tick crashed", { error })).finally(() => {
        this.loop = null;
      });
    }, delayMs);
  }

  /** One pass over every active group of every set; exposed for tests. */
  async tickOnce(): Promise<TickResult[]> {
    const results: TickResult[] = [];
    const { clock, logger, store } = this.engine.o;
    this.stats.ticks += 1;
    const settleParents = this.stats.ticks % this.o.settleEveryTicks === 0;
    let nextDue: number | null = null;
    for (const set of this.o.sets) {
      let groups: Group[] = [];
      try {
        groups = await store.activeGroups(set);
        const due = await store.nextDueAt(set, clock.now());
        if (due !== null && (nextDue === null || due < nextDue)) nextDue = due;
      } catch (error) {
        logger.error('dispatcher could not read active groups', { set, error });
      }
      for (const group of groups) {
        const key = `${set}/${group}`;
        const failure = this.failures.get(key);
        if (failure && failure.benchUntilTick > this.stats.ticks) continue;
        try {
          const r = await tickGroup(this.engine, set, group, { settleParents });
          this.failures.delete(key);
          results.push(r);
          this.stats.dispatched += r.dispatched;
          this.stats.capped += r.capped ? 1 : 0;
          this.stats.leftover += r.leftover ? 1 : 0;
          this.count(r, clock.now());
        } catch (error) {
          // Contain the failing group: the others keep being dispatched.
          this.stats.groupFailures += 1;
          const count = (failure?.count ?? 0) + 1;
          const benchUntilTick = count >= this.o.failureThreshold ? this.stats.ticks + count : 0;
          this.failures.set(key, { count, benchUntilTick });
          logger.error('dispatcher group tick failed', { set, group, failures: count, error });
        }
      }
    }
    await this.maybeRecover();
    this.stats.lastTickAt = clock.now();
    if (this.running) {
      const leftover = results.some((r) => r.leftover);
      const untilDue = nextDue === null ? this.o.tickMs : Math.max(0, nextDue - clock.now());
      this.schedule(leftover ? 0 : Math.min(this.o.tickMs, untilDue));
    }
    return results;
  }

  private async maybeRecover(): Promise<void> {
    const now = this.engine.o.clock.now();
    if (this.o.recoverEveryMs <= 0 || now - this.lastRecovery < this.o.recoverEveryMs) return;
    this.lastRecovery = now;
    for (const set of this.o.sets) {
      try {
        await recoverStale(this.engine, set);
      } catch (error) {
        this.engine.o.logger.error('stale recovery failed', { set, error });
      }
    }
  }

  private count(r: TickResult, now: number): void {
    const minute = minuteOf(now);
    const key = `${r.set}/${r.group}/${minute}`;
    let s = this.samples.get(key);
    if (!s) {
      if (this.samples.size > 0 && [...this.samples.values()].some((x) => x.minute < minute)) void this.flush();
      this.samples.set(key, (s = { set: r.set, group: r.group, minute, ticks: 0, capped: 0, cappedWithLeftover: 0, dispatched: 0 }));
    }
    s.ticks += 1;
    s.capped += r.capped ? 1 : 0;
    s.cappedWithLeftover += r.leftover ? 1 : 0;
    s.dispatched += r.dispatched;
  }

  /**
   * The counters this daemon holds but has not written yet (the minute in progress, and a quiet
   * minute no tick has rolled over): the store's samples plus these are everything it counted.
   */
  unflushed(): SaturationSample[] {
    return [...this.samples.values()].map((s) => ({ ...s }));
  }

  /** Writes the accumulated saturation counters. */
  async flush(): Promise<void> {
    const pending = [...this.samples.values()];
    this.samples = new Map();
    for (const s of pending) {
      try {
        await this.engine.o.store.recordSaturation(s);
      } catch (error) {
        this.engine.o.logger.warn('could not record dispatcher saturation', { error });
      }
    }
  }
}
