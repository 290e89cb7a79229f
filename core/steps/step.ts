// The durable step record and its vocabulary (states, groups, sets), per spec/steps.md.

/** The two independent step sets; each has its own tables so indicator bursts never delay trading. */
export const STEP_SETS = ['default', 'trading'] as const;
export type StepSet = (typeof STEP_SETS)[number];

/** The nine lifecycle states of a step. */
export const STEP_STATES = [
  'pending', 'dispatched', 'running', 'completed', 'skipped', 'stopped', 'cancelled', 'failed', 'not_runnable',
] as const;
export type StepState = (typeof STEP_STATES)[number];

/** States from which a step never moves again on its own (an operator may still retry a failure). */
export const TERMINAL_STATES: ReadonlySet<StepState> = new Set(['completed', 'skipped', 'stopped', 'cancelled', 'failed']);
/** States that let the next index of a block run. */
export const CONCLUDED_STATES: ReadonlySet<StepState> = new Set(['completed', 'skipped']);
/** States that count as work in flight for idle gating. */
export const ACTIVE_STATES: readonly StepState[] = ['pending', 'dispatched', 'running'];

/** The ten dispatcher groups; root steps are spread over them round-robin, children inherit. */
export const GROUPS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa'] as const;
export type Group = (typeof GROUPS)[number];

/** JSON-serialisable handler arguments (ids and scalars). */
export type StepArgs = Record<string, unknown>;

/** One step row as the engine sees it. Times are epoch milliseconds. */
export interface Step {
  id: number;
  set: StepSet;
  handler: string;
  args: StepArgs;
  state: StepState;
  treeUuid: string;
  blockUuid: string;
  index: number;
  parentId: number | null;
  childBlockUuid: string | null;
  lane: string;
  priority: number;
  group: Group;
  dispatchAfter: number;
  attempts: number;
  maxAttempts: number;
  backoffMs: number;
  isThrottled: boolean;
  /** A resolve-exception step: runs only when its block fails. */
  isResolver: boolean;
  dedupeKey: string | null;
  response: unknown;
  errorMessage: string | null;
  errorStack: string | null;
  startedAt: number | null;
  completedAt: number | null;
  durationMs: number | null;
  dispatchedAt: number | null;
  stallCount: number;
  worker: string | null;
  heartbeatAt: number | null;
  label: string | null;
  createdAt: number;
  updatedAt: number;
}

/** The fields a caller supplies for a new step; the engine fills in the rest. */
export type NewStep = Pick<Step, 'set' | 'handler' | 'args' | 'state' | 'treeUuid' | 'blockUuid' | 'index' | 'parentId'
  | 'lane' | 'priority' | 'group' | 'dispatchAfter' | 'maxAttempts' | 'backoffMs' | 'isResolver' | 'dedupeKey' | 'label' | 'createdAt'> & {
  /**
   * Set with `state: 'dispatched'`: a root block's runnable steps are inserted already dispatched
   * (the starter pushes them after commit), which saves an UPDATE per block. Null when absent.
   */
  dispatchedAt?: number | null;
};

/** Fields a transition may change. */
export type StepPatch = Partial<Omit<Step, 'id' | 'set' | 'treeUuid' | 'blockUuid' | 'index' | 'parentId' | 'createdAt'>>;

/** True when the state is terminal. */
export function isTerminal(state: StepState): boolean {
  return TERMINAL_STATES.has(state);
}

/**
 * The full row a store holds right after inserting `n` with `id`: the columns' defaults fill the rest.
 * Built field by field: spreading `n` and adding fields is a slow path in V8.
 */
export function insertedStep(n: NewStep, id: number): Step {
  return {
    id, set: n.set, handler: n.handler, args: n.args, state: n.state, treeUuid: n.treeUuid, blockUuid: n.blockUuid, index: n.index,
    parentId: n.parentId, childBlockUuid: null, lane: n.lane, priority: n.priority, group: n.group, dispatchAfter: n.dispatchAfter,
    attempts: 0, maxAttempts: n.maxAttempts, backoffMs: n.backoffMs, isThrottled: false, isResolver: n.isResolver, dedupeKey: n.dedupeKey,
    response: null, errorMessage: null, errorStack: null, startedAt: null, completedAt: null, durationMs: null, dispatchedAt: n.dispatchedAt ?? null,
    stallCount: 0, worker: null, heartbeatAt: null, label: n.label, createdAt: n.createdAt, updatedAt: n.createdAt,
  };
}
