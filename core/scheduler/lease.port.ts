// The overlap lease: one holder per key until it expires or is released. Redis `SET NX PX` in a
// fleet (edge/scheduler/redis-lease.ts); an in-memory twin on an injected clock otherwise.
import type { Clock } from '../ports/clock.ts';

/** Short exclusive leases. */
export interface LeasePort {
  /** Takes `key` for `ttlMs` if nobody holds it; true when this call took it. */
  acquire(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives `key` back, only if `owner` still holds it. */
  release(key: string, owner: string): Promise<void>;
}

/** The in-memory twin (one process: embedded mode and tests). */
export class MemoryLease implements LeasePort {
  private readonly held = new Map<string, { owner: string; until: number }>();

  constructor(private readonly clock: Clock) {}

  async acquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    const current = this.held.get(key);
    if (current && current.until > now) return false;
    this.held.set(key, { owner, until: now + ttlMs });
    return true;
  }

  async release(key: string, owner: string): Promise<void> {
    if (this.held.get(key)?.owner === owner) this.held.delete(key);
  }
}
