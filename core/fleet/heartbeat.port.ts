// Fleet heartbeats: every process publishes, once a minute, which boxes it stands in for, its
// version, the daemons it runs and its queue consumers. The fleet-heartbeat entry reads them back
// and alerts on a box whose newest beat is too old (or missing).
import type { Clock } from '../ports/clock.ts';

/** One process's liveness report. */
export interface Heartbeat {
  /** The box this beat speaks for (a `run --all` process beats once per box it stands in for). */
  box: string;
  /** The process identity (`box@host:pid`). */
  worker: string;
  version: string;
  at: number;
  startedAt: number;
  /** Daemons running in the process (dispatcher, scheduler, heartbeat…). */
  processes: string[];
  consumers: { queue: string; concurrency: number }[];
}

/** Where heartbeats are published and read. */
export interface HeartbeatPort {
  publish(beat: Heartbeat): Promise<void>;
  /** Every stored beat, newest first. */
  list(): Promise<Heartbeat[]>;
  /** Forgets beats older than `before` (processes that are gone); returns how many. */
  prune(before: number): Promise<number>;
}

/** The in-memory twin. */
export class MemoryHeartbeats implements HeartbeatPort {
  private readonly beats = new Map<string, Heartbeat>();

  async publish(beat: Heartbeat): Promise<void> {
    this.beats.set(`${beat.box}|${beat.worker}`, { ...beat, processes: [...beat.processes], consumers: beat.consumers.map((c) => ({ ...c })) });
  }

  async list(): Promise<Heartbeat[]> {
    return [...this.beats.values()].sort((a, b) => b.at - a.at);
  }

  async prune(before: number): Promise<number> {
    let n = 0;
    for (const [k, b] of this.beats) if (b.at < before && this.beats.delete(k)) n += 1;
    return n;
  }
}

/** A box whose newest heartbeat is older than allowed, or that never beat. */
export interface StaleBox {
  box: string;
  lastAt: number | null;
}

/** The expected boxes whose newest beat is older than `maxAgeMs` at `now`. */
export function staleBoxes(expected: readonly string[], beats: readonly Heartbeat[], now: number, maxAgeMs: number): StaleBox[] {
  const newest = new Map<string, number>();
  for (const b of beats) newest.set(b.box, Math.max(newest.get(b.box) ?? 0, b.at));
  return expected.filter((box) => now - (newest.get(box) ?? -Infinity) > maxAgeMs).map((box) => ({ box, lastAt: newest.get(box) ?? null }));
}

/** Publishes a process's beats on a timer (every minute by default). */
export class HeartbeatPublisher {
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly startedAt: number;

  constructor(private readonly o: {
    port: HeartbeatPort; clock: Clock; boxes: readonly string[]; worker: string; version: string;
    processes: () => string[]; consumers: () => { queue: string; concurrency: number }[];
    everyMs?: number; onError?: (error: unknown) => void;
  }) {
    this.startedAt = o.clock.now();
  }

  /** Publishes one beat per box now. */
  async beat(): Promise<void> {
    const at = this.o.clock.now();
    for (const box of this.o.boxes) {
      await this.o.port.publish({ box, worker: this.o.worker, version: this.o.version, at, startedAt: this.startedAt, processes: this.o.processes(), consumers: this.o.consumers() });
    }
  }

  /** Beats now and then every period. */
  start(): void {
    if (this.timer) return;
    const safe = () => void this.beat().catch((error: unknown) => this.o.onError?.(error));
    safe();
    this.timer = setInterval(safe, this.o.everyMs ?? 60_000);
    (this.timer as { unref?: () => void }).unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
