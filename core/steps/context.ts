// The job and ctx a handler receives. Handlers read through ctx and return effects; they never
// touch a database, queue or socket library directly.
import type { Clock } from '../ports/clock.ts';
import type { IdSource } from '../ports/ids.ts';
import type { Logger } from '../ports/logger.ts';
import type { RowReader } from './step-store.port.ts';
import type { Group, StepSet } from './step.ts';

/** The step as a handler sees it, with typed arguments. */
export interface Job<A> {
  id: number;
  set: StepSet;
  handler: string;
  args: A;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
  /** When the step was created: the start of a time budget that outlives attempts (throttle waits give them back). */
  createdAt: number;
  group: Group;
  treeUuid: string;
  blockUuid: string;
  parentId: number | null;
  label: string | null;
}

/** Ports handed to every handler. Later capabilities add their ports here. */
export interface HandlerContext {
  clock: Clock;
  ids: IdSource;
  random: () => number;
  log: Logger;
  /** Read-only access to domain rows (writes go out as effects). */
  rows: RowReader;
  /** The worker's identity (box and process), for audit fields. */
  worker: string;
}
