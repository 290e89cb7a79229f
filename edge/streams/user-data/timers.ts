// Timers the stream daemon schedules through, so backoff, staggering, keep-alives and the
// watchdog can be driven by a manual clock in tests instead of sleeping.
import { ManualClock } from '../../../core/ports/clock.ts';

/** An opaque handle of a scheduled callback. */
export type TimerHandle = { readonly id: number };

/** setTimeout / clearTimeout behind a port. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | null | undefined): void;
}

/** The real timers; unref'd so a stream daemon never keeps a test process alive by itself. */
export function systemTimers(): Timers {
  const live = new Map<number, ReturnType<typeof setTimeout>>();
  let seq = 0;
  return {
    setTimeout(fn, ms) {
      const id = ++seq;
      const t = setTimeout(() => {
        live.delete(id);
        fn();
      }, Math.max(0, ms));
      t.unref?.();
      live.set(id, t);
      return { id };
    },
    clearTimeout(handle) {
      if (!handle) return;
      const t = live.get(handle.id);
      if (t) clearTimeout(t);
      live.delete(handle.id);
    },
  };
}

interface Scheduled {
  id: number;
  at: number;
  fn: () => void;
}

/** Timers on a ManualClock: `advance(ms)` moves the clock and runs what fell due, in time order. */
export class ManualTimers implements Timers {
  private readonly pending = new Map<number, Scheduled>();
  private seq = 0;

  constructor(readonly clock: ManualClock = new ManualClock()) {}

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.pending.set(id, { id, at: this.clock.now() + Math.max(0, ms), fn });
    return { id };
  }

  clearTimeout(handle: TimerHandle | null | undefined): void {
    if (handle) this.pending.delete(handle.id);
  }

  /** Due times of what is scheduled, ascending (tests read staggering and backoff from it). */
  scheduledAt(): number[] {
    return [...this.pending.values()].map((s) => s.at).sort((a, b) => a - b);
  }

  /** Moves the clock by `ms`, running every callback that falls due on the way. */
  advance(ms: number): void {
    const end = this.clock.now() + ms;
    for (;;) {
      const next = [...this.pending.values()].filter((s) => s.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!next) break;
      this.pending.delete(next.id);
      if (next.at > this.clock.now()) this.clock.set(next.at);
      next.fn();
    }
    this.clock.set(end);
  }

  /** Runs callbacks already due without moving the clock. */
  runDue(): void {
    this.advance(0);
  }
}
