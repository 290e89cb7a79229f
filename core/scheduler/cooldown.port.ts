// Deploy cooldown (maintenance) state, shared by the CLI that starts a deploy and the scheduler
// that must pause its step-producing entries: Redis in a fleet, memory in one process.
import type { Clock } from '../ports/clock.ts';

/** An active cooldown: since when, why and who started it. */
export interface CooldownState {
  since: number;
  reason: string;
  by: string;
}

/** Reads and flips the fleet's cooldown flag. */
export interface CooldownPort {
  /** The active cooldown, or null. */
  current(): Promise<CooldownState | null>;
  /** Starts a cooldown; when one is active already it is kept (its `since` never moves forward). */
  begin(reason: string, by: string): Promise<CooldownState>;
  /** Ends the cooldown; false when none was active. */
  end(): Promise<boolean>;
}

/** The in-memory twin. */
export class MemoryCooldown implements CooldownPort {
  private state: CooldownState | null = null;

  constructor(private readonly clock: Clock) {}

  async current(): Promise<CooldownState | null> {
    return this.state ? { ...this.state } : null;
  }

  async begin(reason: string, by: string): Promise<CooldownState> {
    this.state ??= { since: this.clock.now(), reason, by };
    return { ...this.state };
  }

  async end(): Promise<boolean> {
    const was = this.state !== null;
    this.state = null;
    return was;
  }
}
