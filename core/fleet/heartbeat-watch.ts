// The dead-man check, run by every fleet process rather than as a scheduled step: a step needs
// athena to create it and tyche to run it, so the loss of either was paged by nobody. Each
// process reads the others' beats on its own timer and pages a box that went quiet straight
// through its notifier. N watchers send one page: before paging box X a watcher takes the lease
// `<prefix>:fleet:page:X` for the page window; only the one that took it pages, and it gives the
// lease back if the delivery failed so another watcher can try. A box that never beat is paged
// only once the watcher has been up for the cold-start grace (an ordered start brings boxes up
// one after another).
import type { Notifier } from '../notify/notifier.port.ts';
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import type { LeasePort } from '../scheduler/lease.port.ts';
import { staleBoxes, type Heartbeat, type HeartbeatPort, type StaleBox } from './heartbeat.port.ts';

/** Construction options of the watch. */
export interface HeartbeatWatchOptions {
  port: HeartbeatPort;
  lease: LeasePort;
  notifier: Notifier;
  clock: Clock;
  logger: Logger;
  /** Boxes that must be beating. */
  expected: readonly string[];
  /** Boxes this process stands in for (it does not watch itself). */
  self: readonly string[];
  /** This process's name, for the page text and the page lease. */
  watcher: string;
  /** A box whose newest beat is older than this is paged. */
  staleMs: number;
  /** A box that never beat is paged only after the watcher has been up this long. */
  coldStartMs: number;
  /** One page per quiet box per this window, fleet-wide. */
  pageEveryMs: number;
  /** How often the watch runs (default one minute). */
  everyMs?: number;
  keyPrefix?: string;
}

/** A box's own `kraite run` process: standalone daemons (mark-price, user-data shards) beat for their box too, but do not keep it alive. */
export function isBoxProcessBeat(beat: Heartbeat): boolean {
  return beat.processes.includes('heartbeat');
}

/** Watches the other boxes' heartbeats and pages the quiet ones, once across the fleet. */
export class HeartbeatWatch {
  private readonly startedAt: number;
  private timer: ReturnType<typeof setInterval> | null = null;
  private checking: Promise<unknown> | null = null;

  constructor(private readonly o: HeartbeatWatchOptions) {
    this.startedAt = o.clock.now();
  }

  /** Checks once; returns the quiet boxes this watcher paged. */
  async check(): Promise<StaleBox[]> {
    const now = this.o.clock.now();
    await this.o.port.prune(now - 86_400_000);
    const beats = (await this.o.port.list()).filter(isBoxProcessBeat);
    const warm = now - this.startedAt >= this.o.coldStartMs;
    const others = this.o.expected.filter((b) => !this.o.self.includes(b));
    const quiet = staleBoxes(others, beats, now, this.o.staleMs).filter((s) => s.lastAt !== null || warm);
    const paged: StaleBox[] = [];
    for (const s of quiet) {
      const key = `${this.o.keyPrefix ?? 'kraite'}:fleet:page:${s.box}`;
      // A per-call owner: a watcher never renews its own page lease, so the window is one page.
      const owner = `${this.o.watcher}#${now}`;
      if (!(await this.o.lease.acquire(key, owner, this.o.pageEveryMs))) continue;
      const message = s.lastAt === null
        ? `box ${s.box} has never published a heartbeat (${Math.round((now - this.startedAt) / 1000)} s since ${this.o.watcher} started) — seen by ${this.o.watcher}`
        : `box ${s.box} last published a heartbeat ${Math.round((now - s.lastAt) / 1000)} s ago (limit ${Math.round(this.o.staleMs / 1000)} s) — seen by ${this.o.watcher}`;
      try {
        await this.o.notifier.deliver(`fleet:heartbeat:${s.box}`, message, 'critical');
        paged.push(s);
      } catch (error) {
        await this.o.lease.release(key, owner).catch(() => undefined);
        this.o.logger.warn('could not page a quiet box; another watcher may', { box: s.box, error });
      }
    }
    return paged;
  }

  /** Checks on a timer until stopped (the first check after one period: give the fleet a beat first). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.checking) return;
      this.checking = this.check().catch((error: unknown) => this.o.logger.warn('heartbeat watch failed', { error })).finally(() => (this.checking = null));
    }, this.o.everyMs ?? 60_000);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Stops the timer after the check in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.checking;
  }
}
