// What a handler returns: data describing writes, child blocks and notifications, plus the outcome
// for the step itself. The runner applies all of it and the step transition in one transaction.
import type { StepArgs } from './step.ts';

/** A scalar column value as stored (decimals travel as strings, never binary floats). */
export type Scalar = string | number | boolean | null;
/** A row of a domain table, keyed by column name. */
export type Row = Record<string, Scalar>;

/** A step to create inside a block (child block or new root block). */
export interface BlockStepSpec {
  handler: string;
  args?: StepArgs;
  /** Ascending index runs in sequence; equal index runs in parallel. Defaults to position in the list. */
  index?: number;
  lane?: string;
  priority?: number;
  /** Earliest start as a delay from now, in milliseconds. */
  delayMs?: number;
  maxAttempts?: number;
  backoffMs?: number;
  /** A resolve-exception step: NotRunnable until its block fails. */
  resolveException?: boolean;
  label?: string;
}

/** Conditional update: touches rows matching `where` (which names the status it expects). */
export interface UpdateEffect {
  kind: 'update';
  table: string;
  where: Row;
  set: Row;
  /** When true and no row matched, the whole transaction rolls back and the step retries. */
  required?: boolean;
}

/** Insert a row; `ignoreDuplicate` makes a unique-key clash a no-op (idempotent inserts). */
export interface InsertEffect {
  kind: 'insert';
  table: string;
  row: Row;
  ignoreDuplicate?: boolean;
}

/** Spawn this step's child block; the step stays Running until the block settles. */
export interface SpawnEffect {
  kind: 'spawn';
  steps: BlockStepSpec[];
}

/** Start an independent root block in a step set; a dedupe key makes it at-most-once. */
export interface StartBlockEffect {
  kind: 'start-block';
  set?: 'default' | 'trading';
  steps: BlockStepSpec[];
  dedupeKey?: string;
}

/** An operator-facing event (alerts, audit); delivered after commit. */
export interface NotifyEffect {
  kind: 'notify';
  subject: string;
  message: string;
  severity?: 'info' | 'warning' | 'critical';
}

/** Every effect a handler may return, discriminated on `kind`. */
export type Effect = UpdateEffect | InsertEffect | SpawnEffect | StartBlockEffect | NotifyEffect;

/** How the step ends this run. */
export type Outcome =
  | { kind: 'complete'; response?: unknown }
  | { kind: 'skip'; reason: string }
  | { kind: 'stop'; reason: string }
  | { kind: 'fail'; reason: string }
  /** Reschedule: a throttle wait spends no attempt, a plain retry-after does. */
  | { kind: 'retry-after'; ms: number; throttle: boolean; reason?: string };

/** A handler's full answer. */
export interface HandlerResult {
  outcome: Outcome;
  effects: Effect[];
}

/** Small constructors so handlers read as sentences. */
export const result = {
  complete: (effects: Effect[] = [], response?: unknown): HandlerResult => ({ outcome: { kind: 'complete', response }, effects }),
  skip: (reason: string, effects: Effect[] = []): HandlerResult => ({ outcome: { kind: 'skip', reason }, effects }),
  stop: (reason: string, effects: Effect[] = []): HandlerResult => ({ outcome: { kind: 'stop', reason }, effects }),
  fail: (reason: string, effects: Effect[] = []): HandlerResult => ({ outcome: { kind: 'fail', reason }, effects }),
  throttle: (ms: number, reason?: string): HandlerResult => ({ outcome: { kind: 'retry-after', ms, throttle: true, reason }, effects: [] }),
  retryAfter: (ms: number, reason?: string): HandlerResult => ({ outcome: { kind: 'retry-after', ms, throttle: false, reason }, effects: [] }),
};
