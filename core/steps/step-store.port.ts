// The store port the step engine needs. Adapters (in-memory, MySQL) implement exactly this and
// pass one contract suite (test/contracts/step-store.contract.ts).
import type { Row, Scalar } from './effects.ts';
import type { Group, NewStep, Step, StepPatch, StepSet, StepState } from './step.ts';

/** An event the engine records for operators (recoveries, alerts, notifications). */
export interface StepEvent {
  kind: string;
  subject: string;
  message: string;
  severity: 'info' | 'warning' | 'critical';
  stepId?: number | null;
  set?: StepSet | null;
  createdAt: number;
}

/** A stored event with its id. */
export interface StoredEvent extends StepEvent {
  id: number;
}

/** Filters for listing steps (the step browser and `kraite steps`). */
export interface StepFilter {
  state?: StepState[];
  handler?: string;
  label?: string;
  treeUuid?: string;
  blockUuid?: string;
  parentId?: number;
  createdFrom?: number;
  createdTo?: number;
  /** Only steps with a smaller id: the cursor of the step browser's next page (lists run newest id first). */
  beforeId?: number;
  limit?: number;
}

/** Saturation counters of one dispatcher group for one minute. */
export interface SaturationSample {
  set: StepSet;
  group: Group;
  minute: number;
  ticks: number;
  capped: number;
  cappedWithLeftover: number;
  dispatched: number;
}

/** Domain-table access shared by transactions and plain reads. */
export interface RowReader {
  /** Rows of `table` whose columns equal every value in `where` (null matches IS NULL). */
  findRows(table: string, where: Row, options?: { orderBy?: string; desc?: boolean; limit?: number }): Promise<Row[]>;
}

/** Options of StepTx.insertSteps. */
export interface InsertOptions {
  /** Nothing follows the insert in this transaction (the store may commit with it). */
  last?: boolean;
}

/** Writes and locked reads inside one transaction. */
export interface StepTx extends RowReader {
  /**
   * Inserts steps, assigning ids in order. A clashing dedupe key throws DuplicateKeyError.
   * `last`: the transaction issues nothing after this insert, so a store may send its COMMIT with
   * the insert (one round trip fewer); anything the transaction then tries to send is an error.
   */
  insertSteps(steps: NewStep[], options?: InsertOptions): Promise<Step[]>;
  /** One step, optionally locked for update. */
  getStep(set: StepSet, id: number, options?: { lock?: boolean }): Promise<Step | null>;
  /** The step holding this dedupe key, if any. */
  findByDedupeKey(set: StepSet, key: string): Promise<Step | null>;
  /** Locks and returns every step of a block, ordered by index then id. */
  lockBlock(set: StepSet, blockUuid: string): Promise<Step[]>;
  /** Conditional update: applies only when the current state is one of `expected`. */
  updateStep(set: StepSet, id: number, expected: StepState[], patch: StepPatch): Promise<boolean>;
  /**
   * Claims runnable steps of a group without blocking on rows another dispatcher holds:
   * state pending, dispatch_after ≤ now, every lower-index sibling completed/skipped (not_runnable
   * siblings ignored), parent absent or running. Ordered non-throttled first, then priority desc,
   * then dispatch_after, then id. Returned rows are locked until commit.
   */
  claimRunnable(set: StepSet, group: Group, now: number, limit: number): Promise<Step[]>;
  /** Running steps of the group that wait on a child block (safety net for settlement). */
  findWaitingParents(set: StepSet, group: Group, limit: number): Promise<Step[]>;
  /** Appends events. */
  insertEvents(events: StepEvent[]): Promise<void>;
  /** Inserts a domain row; returns false on a unique clash when `ignoreDuplicate`. */
  insertRow(table: string, row: Row, options?: { ignoreDuplicate?: boolean }): Promise<boolean>;
  /** Inserts a domain row without an id and returns the id the table gave it (a unique clash throws DuplicateKeyError). */
  appendRow(table: string, row: Row): Promise<number>;
  /** Conditional domain update; returns the number of rows matched. */
  updateRows(table: string, where: Row, set: Row): Promise<number>;
}

/** How a transaction may be run. */
export interface TransactionOptions {
  /** May share a commit with other such transactions (see StepStore.transaction). */
  group?: boolean;
  /**
   * Blocks `fn` locks first (`lockBlock`), in this order: a hint a grouping adapter may use to lock
   * the blocks of every member of a group in one statement. Adapters may ignore it; `fn` still
   * calls `lockBlock` and gets the same rows either way.
   */
  lockBlocks?: readonly { set: StepSet; blockUuid: string }[];
}

/** The step store: transactions plus the reads and maintenance the runners and CLI need. */
export interface StepStore extends RowReader {
  /**
   * Runs `fn` in one transaction; adapters retry it on deadlock, so `fn` must be re-runnable. With
   * `group`, the caller promises `fn` only talks to the store (it never waits on another
   * transaction), so an adapter may commit it together with others (group commit), still
   * all-or-nothing on its own.
   */
  transaction<T>(fn: (tx: StepTx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  getStep(set: StepSet, id: number): Promise<Step | null>;
  listSteps(set: StepSet, filter: StepFilter): Promise<Step[]>;
  /** Groups holding pending, dispatched or running steps (idle gating reads the database). */
  activeGroups(set: StepSet): Promise<Group[]>;
  /** Earliest dispatch_after later than `after` among pending steps, or null (the daemon's wake-up time). */
  nextDueAt(set: StepSet, after: number): Promise<number | null>;
  /**
   * A worker's claim in one conditional write: a dispatched step with no child block becomes
   * running under `worker` (attempts + 1, started and heartbeat now, throttle flag cleared) and is
   * returned; null when the step is in any other state or waits on a child block. One row, one
   * lock, no transaction around it: it cannot take part in a lock cycle.
   */
  claimDispatched(set: StepSet, id: number, worker: string, now: number): Promise<Step | null>;
  /** Refreshes a running step's heartbeat; false when it is no longer running for this worker. */
  heartbeat(set: StepSet, id: number, worker: string, now: number): Promise<boolean>;
  /** Running steps (not waiting on children) whose heartbeat is older than `before`. */
  findStaleRunning(set: StepSet, before: number, limit: number): Promise<Step[]>;
  /** Dispatched steps dispatched before `before`. */
  findStaleDispatched(set: StepSet, before: number, limit: number): Promise<Step[]>;
  /** Moves settled trees whose newest step completed before `before` into the archive; returns steps moved. */
  archiveSettledTrees(set: StepSet, before: number, limit: number): Promise<number>;
  /** Deletes archived trees whose newest step completed before `before`; returns steps deleted. */
  purgeArchive(set: StepSet, before: number, limit: number): Promise<number>;
  /** Counts archived steps (for tests and the admin). */
  countArchived(set: StepSet): Promise<number>;
  /** Adds to the saturation counters of (set, group, minute). */
  recordSaturation(sample: SaturationSample): Promise<void>;
  listSaturation(set: StepSet, fromMinute: number): Promise<SaturationSample[]>;
  listEvents(options?: { afterId?: number; limit?: number }): Promise<StoredEvent[]>;
  /** Counts steps per state (admin dashboard). */
  countByState(set: StepSet): Promise<Partial<Record<StepState, number>>>;
  close(): Promise<void>;
}

/** Raised by adapters when a unique key (dedupe key, unique domain column) clashes. */
export class DuplicateKeyError extends Error {
  readonly code = 'DUPLICATE_KEY';
  constructor(message: string) {
    super(message);
  }
}

/** Raised inside a transaction to roll it back when a required conditional write matched nothing. */
export class ConditionFailedError extends Error {
  readonly code = 'CONDITION_FAILED';
  constructor(readonly table: string, readonly where: Record<string, Scalar>) {
    super(`conditional update on ${table} matched no row (${JSON.stringify(where)})`);
  }
}
