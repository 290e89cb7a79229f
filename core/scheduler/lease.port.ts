// The schedule lease: one holder per key until it expires or is released. Redis `SET NX PX` in a
// fleet (edge/scheduler/redis-lease.ts); an in-memory twin on an injected clock otherwise. The
// owner names a box, not a process, so a scheduler restarted after a crash takes back what its
// dead predecessor held instead of waiting it out.
import type { Clock } from '../ports/clock.ts';

/** Who holds a lease and for how much longer. */
export interface LeaseHolder {
  owner: string;
  remainingMs: number;
}

/** Short exclusive leases. */
export interface LeasePort {
  /**
   * Takes `key` for `ttlMs` if nobody holds it, or if `owner` holds it already (the ttl restarts);
   * true when `owner` holds it after the call.
   */
  acquire(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives `key` back, only if `owner` still holds it. */
  release(key: string, owner: string): Promise<void>;
  /** The current holder of `key`, or null when it is free. */
  holder(key: string): Promise<LeaseHolder | null>;
}

/** The in-memory twin (one process: embedded mode and tests). */
export class MemoryLease implements LeasePort {
  private readonly held = new Map<string, { owner: string; until: number }>();

  constructor(private readonly clock: Clock) {}

  async acquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    const current = this.held.get(key);
    if (current && current.until > now && current.owner !== owner) return false;
    this.held.set(key, { owner, until: now + ttlMs });
    return true;
  }

  async release(key: string, owner: string): Promise<void> {
    if (this.held.get(key)?.owner === owner) this.held.delete(key);
  }

  async holder(key: string): Promise<LeaseHolder | null> {
    const current = this.held.get(key);
    const left = current ? current.until - this.clock.now() : 0;
    return current && left > 0 ? { owner: current.owner, remainingMs: left } : null;
  }
}
