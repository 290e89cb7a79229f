// The shape of one scheduler entry: a cadence, whether a deploy cooldown pauses it, the root step
// it creates (never the work itself) and how long the lease of one of its slots lives.
import type { StepArgs, StepSet } from '../steps/step.ts';
import type { Cadence } from './cadence.ts';

/** The root step an entry creates each time it fires. */
export interface EntryStep {
  handler: string;
  lane: string;
  /** Fixed arguments, or arguments computed from the slot time (e.g. "leverage brackets every 6 h"). */
  args?: StepArgs | ((slot: number) => StepArgs);
  /** Step set; defaults to the handler's own. */
  set?: StepSet;
}

/** One row of the cron table. */
export interface ScheduleEntry {
  name: string;
  /** The spec's wording of the job. */
  description: string;
  cadence: Cadence;
  /** Step-producing work stops while a deploy cooldown is active. */
  pausedInCooldown: boolean;
  /** What it creates; absent when a daemon does the work itself (`automatic` says which). */
  step?: EntryStep;
  automatic?: string;
  /** Slot lease in ms: at most the cadence (the default), never a day-long lock. */
  leaseMs?: number;
}

/** How long the lease an entry takes on a slot lives: its own value, capped by its cadence. */
export function leaseFor(entry: ScheduleEntry): number {
  return Math.min(entry.leaseMs ?? entry.cadence.everyMs, entry.cadence.everyMs);
}

/** The arguments of the root step for a slot. */
export function argsFor(step: EntryStep, slot: number): StepArgs {
  return typeof step.args === 'function' ? step.args(slot) : { ...(step.args ?? {}) };
}
