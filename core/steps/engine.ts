// The step engine: creates blocks, runs a dispatched step through its handler and applies the
// returned effects and transition in one transaction, then promotes the next runnable sibling at
// once. Dispatcher ticks (dispatcher.ts) remain the safety net and the timer for delayed steps.
import { ConditionFailedError, DuplicateKeyError } from './step-store.port.ts';
import type { StepEvent, StepTx, TransactionOptions } from './step-store.port.ts';
import type { StepJob } from '../queue/queue.port.ts';
import { applyEffects } from './apply-effects.ts';
import { guardTransitions } from './guarded-tx.ts';
import { buildBlock } from './block-builder.ts';
import type { HandlerContext, Job } from './context.ts';
import type { BlockStepSpec, HandlerResult } from './effects.ts';
import { resolveEngineOptions, type ResolvedEngineOptions, type StepEngineOptions } from './engine-options.ts';
import { transitionFor, transitionForError, type Transition } from './outcome.ts';
import { isRunnable } from './runnable.ts';
import { settleBlock } from './settle.ts';
import { GROUPS, TERMINAL_STATES, insertedStep, type Group, type NewStep, type Step, type StepSet } from './step.ts';

/** Options for starting a root block. */
export interface StartOptions {
  set?: StepSet;
  /** At most one block is ever created for a dedupe key. */
  dedupeKey?: string;
  /**
   * Skip the dedupe-key lookup and insert at once: a key already taken throws DuplicateKeyError
   * (the transaction must then be re-run without this flag). Saves a round trip when clashes are rare.
   */
  assumeNew?: boolean;
  group?: Group;
}

/** What happened to a job handed to `execute`. */
export type ExecuteResult = 'ran' | 'resumed' | 'ignored' | 'lost';

/** Work a transaction decided on, done after it commits. */
export interface AfterCommit {
  dispatch: Step[];
  events: StepEvent[];
  /** Set while finishing a step in a chaining process: the run token the next step may be claimed under. */
  chainRunId?: string;
  /** The sibling promote claimed for this worker (pending → running in one move). */
  chained?: Step;
}

const RUNNING_PARENT = { state: 'running' } as Step;

/**
 * Marks the steps of a new root block that are runnable at once `dispatched` before they are
 * inserted: the INSERT writes them dispatched, instead of an INSERT then an UPDATE per step (what
 * promote would do). The runnable rule reads siblings as pending or dispatched alike, so deciding
 * on the pending rows gives what promote decides one by one.
 */
function dispatchOnInsert(rows: NewStep[], now: number): void {
  const pending = rows.map((r, i) => insertedStep(r, -1 - i));
  rows.forEach((row, i) => {
    if (!isRunnable(pending[i]!, pending, null, now)) return;
    row.state = 'dispatched';
    row.dispatchedAt = now;
  });
}
/** Starts and finishes only talk to the store: a store may commit several of them together. */
const GROUPED: TransactionOptions = { group: true };
/** A block start that is its transaction's last write (the promote after it writes nothing: see dispatchOnInsert). */
const LAST = { last: true };

/** The durable step engine (see spec/steps.md and core/ARCHITECTURE.md). */
export class StepEngine {
  readonly o: ResolvedEngineOptions;
  private nextGroup: number;

  constructor(options: StepEngineOptions) {
    this.o = resolveEngineOptions(options);
    this.nextGroup = Math.floor(this.o.random() * GROUPS.length);
  }

  /** Creates a root block (validated) and dispatches its first runnable steps at once. */
  async start(specs: BlockStepSpec[], options: StartOptions = {}): Promise<Step[]> {
    const set = options.set ?? this.o.registry.get(specs[0]?.handler ?? '').set ?? 'default';
    try {
      // The start is the whole transaction: the store may send its COMMIT with the insert.
      return await this.transact(async (tx, after) => (await this.startOrFindInTx(tx, set, specs, options, after, true)).steps, GROUPED);
    } catch (error) {
      // A concurrent start won the dedupe key between our check and our insert: theirs is the block.
      if (!(error instanceof DuplicateKeyError) || !options.dedupeKey) throw error;
      const key = options.dedupeKey;
      const existing = await this.o.store.transaction((tx) => tx.findByDedupeKey(set, key));
      if (!existing) throw error;
      return [existing];
    }
  }

  /** Starts a root block inside an open transaction; a known dedupe key returns the existing block. */
  async startInTx(tx: StepTx, set: StepSet, specs: BlockStepSpec[], options: StartOptions, after: AfterCommit): Promise<Step[]> {
    return (await this.startOrFindInTx(tx, set, specs, options, after)).steps;
  }

  /** startInTx, also saying whether the block was created here or found under its dedupe key. */
  async startOrFindInTx(tx: StepTx, set: StepSet, specs: BlockStepSpec[], options: StartOptions, after: AfterCommit, last = false): Promise<{ steps: Step[]; created: boolean }> {
    if (options.dedupeKey && !options.assumeNew) {
      const existing = await tx.findByDedupeKey(set, options.dedupeKey);
      if (existing) return { steps: [existing], created: false };
    }
    const now = this.o.clock.now();
    const blockUuid = this.o.ids.uuid();
    const group = options.group ?? this.roundRobinGroup();
    const rows = buildBlock(specs, { set, treeUuid: blockUuid, blockUuid, parentId: null, group, now, dedupeKey: options.dedupeKey }, this.o.registry, this.o.limits);
    dispatchOnInsert(rows, now);
    const steps = await tx.insertSteps(rows, last ? LAST : undefined);
    for (const step of steps) if (step.state === 'dispatched') after.dispatch.push(step);
    // Nothing left to dispatch now; promote still reports the block's deferred steps.
    await this.promote(tx, steps, null, now, after);
    return { steps, created: true };
  }

  /**
   * Runs one dispatched step: the worker side of the engine. Safe to call twice for one job. When
   * the step's completion makes a sibling runnable on a lane this process consumes (`chain`), that
   * sibling is claimed in the same transaction and run next in this slot, skipping the queue hop.
   */
  async execute(job: StepJob): Promise<ExecuteResult> {
    let runId = this.newRunId();
    const claim = await this.claimForRun(job, runId);
    if (claim.kind !== 'run') return claim.kind;
    let step: Step | null = claim.step;
    let first: ExecuteResult | null = null;
    while (step) {
      const nextRunId = this.newRunId();
      const { outcome, next } = await this.runClaimed(step, runId, nextRunId);
      first ??= outcome;
      step = next;
      runId = nextRunId;
    }
    return first ?? 'ran';
  }

  private newRunId(): string {
    return `${this.o.worker}#${this.o.ids.uuid().slice(0, 8)}`;
  }

  /** Runs a claimed step's handler and finishes it; returns the chained next step, if any. */
  private async runClaimed(step: Step, runId: string, nextRunId: string): Promise<{ outcome: ExecuteResult; next: Step | null }> {
    const result = await this.runHandler(step);
    const now = this.o.clock.now();
    let transition: Transition;
    if (result.ok) transition = transitionFor(step, result.value.outcome, now, this.o.limits.maxBackoffMs);
    else transition = transitionForError(step, result.error, now, this.o.limits.maxBackoffMs);
    try {
      return await this.finish(step, runId, transition, result.ok ? result.value.effects : [], nextRunId);
    } catch (error) {
      if (!(error instanceof ConditionFailedError) && !(error instanceof DuplicateKeyError)) throw error;
      // A required conditional write found the world changed, or a concurrent step took a dedupe
      // key or unique row first: retry the step, writing nothing; the re-run reads the new world.
      return this.finish(step, runId, transitionForError(step, error, this.o.clock.now(), this.o.limits.maxBackoffMs), [], nextRunId);
    }
  }

  private async claimForRun(job: StepJob, runId: string): Promise<{ kind: 'run'; step: Step } | { kind: 'ignored' | 'resumed' }> {
    const claimed = await this.o.store.claimDispatched(job.set, job.stepId, runId, this.o.clock.now());
    if (claimed) return { kind: 'run', step: claimed };
    // Not dispatched (a duplicate delivery), or a parent whose spawn already committed.
    return this.transact(async (tx, after, now): Promise<{ kind: 'ignored' | 'resumed' }> => {
      const ref = await tx.getStep(job.set, job.stepId);
      if (!ref || ref.state !== 'dispatched' || !ref.childBlockUuid) return { kind: 'ignored' };
      // A populated tree never re-runs its spawn: wait for the children. Lock order: the child
      // block, then the step's own block (deeper blocks first), then the rows through them.
      const children = await tx.lockBlock(ref.set, ref.childBlockUuid);
      const step = (await tx.lockBlock(ref.set, ref.blockUuid)).find((s) => s.id === ref.id);
      if (!step || step.state !== 'dispatched') return { kind: 'ignored' };
      await tx.updateStep(step.set, step.id, ['dispatched'], { state: 'running', worker: runId, heartbeatAt: now, updatedAt: now });
      await this.afterChange(tx, children, { ...step, state: 'running' }, now, after);
      return { kind: 'resumed' };
    });
  }

  /** Steps running in this process; one shared timer refreshes all their heartbeats. */
  private readonly beating = new Set<Step>();
  private beatTimer: ReturnType<typeof setInterval> | null = null;

  /** True while this process runs `runId` (a worker's reclaim must never take its own live runs). */
  runsNow(runId: string | null): boolean {
    for (const s of this.beating) if (s.worker === runId) return true;
    return false;
  }

  private beat(step: Step): void {
    this.beating.add(step);
    if (this.beatTimer) return;
    this.beatTimer = setInterval(() => {
      const now = this.o.clock.now();
      for (const s of this.beating) this.o.store.heartbeat(s.set, s.id, s.worker ?? '', now).catch(() => undefined);
    }, this.o.limits.heartbeatMs);
    // Do not keep a Node process alive for heartbeats alone.
    (this.beatTimer as { unref?: () => void }).unref?.();
  }

  private unbeat(step: Step): void {
    this.beating.delete(step);
    if (this.beating.size === 0 && this.beatTimer) {
      clearInterval(this.beatTimer);
      this.beatTimer = null;
    }
  }

  private async runHandler(step: Step): Promise<{ ok: true; value: HandlerResult } | { ok: false; error: unknown }> {
    this.beat(step);
    try {
      const definition = this.o.registry.get(step.handler);
      const job: Job<unknown> = {
        id: step.id, set: step.set, handler: step.handler, args: definition.args.parse(step.args), attempt: step.attempts,
        maxAttempts: step.maxAttempts, createdAt: step.createdAt, group: step.group, treeUuid: step.treeUuid, blockUuid: step.blockUuid,
        parentId: step.parentId, label: step.label,
      };
      const base: HandlerContext = {
        clock: this.o.clock, ids: this.o.ids, random: this.o.random, rows: this.o.store, worker: step.worker ?? this.o.worker,
        log: this.o.logger.child({ step: step.id, handler: step.handler }),
      };
      const ctx = this.o.context ? this.o.context(job, base) : base;
      return { ok: true, value: await definition.run(job as Job<any>, ctx) };
    } catch (error) {
      return { ok: false, error };
    } finally {
      this.unbeat(step);
    }
  }

  private async finish(step: Step, runId: string, transition: Transition, effects: HandlerResult['effects'], nextRunId: string): Promise<{ outcome: ExecuteResult; next: Step | null }> {
    const done = await this.transact(async (tx, after, now): Promise<{ outcome: ExecuteResult; next: Step | null }> => {
      const block = await tx.lockBlock(step.set, step.blockUuid);
      const current = block.find((s) => s.id === step.id);
      // Stale recovery took the step away from this run: its effects must not land.
      if (!current || current.state !== 'running' || current.worker !== runId) return { outcome: 'lost', next: null };
      if (this.o.chain) after.chainRunId = nextRunId;
      const spawned = await applyEffects(this, tx, current, effects, now, after);
      if (spawned && transition.to === 'completed') {
        await tx.updateStep(step.set, step.id, ['running'], { childBlockUuid: spawned[0]!.blockUuid, response: transition.patch.response ?? null, updatedAt: now });
        await this.promote(tx, spawned, RUNNING_PARENT, now, after);
      } else {
        await tx.updateStep(step.set, step.id, ['running'], { state: transition.to, ...transition.patch });
        current.state = transition.to;
        if (transition.to === 'pending') this.o.onDeferred?.(Number(transition.patch.dispatchAfter ?? now));
        if (TERMINAL_STATES.has(transition.to)) await this.afterChange(tx, block, null, now, after);
      }
      return { outcome: 'ran', next: after.chained ?? null };
    }, { group: true, lockBlocks: [{ set: step.set, blockUuid: step.blockUuid }] });
    if (done.outcome === 'lost') this.o.logger.warn('step run lost to recovery; effects dropped', { step: step.id, runId });
    return done;
  }

  /**
   * After a step of `block` changed: cascade, promote runnable siblings, or — when the block is
   * done — settle its parent and climb. `parent` is the block's parent when already known.
   */
  async afterChange(tx: StepTx, block: Step[], parent: Step | null, now: number, after: AfterCommit): Promise<void> {
    const verdict = await settleBlock(tx, block, now, after.events);
    const parentId = block[0]?.parentId ?? null;
    if (!verdict.done) {
      if (parentId === null || (parent ?? RUNNING_PARENT).state === 'running') await this.promote(tx, block, parentId === null ? null : RUNNING_PARENT, now, after);
      return;
    }
    if (parentId === null) return;
    // Lock order: the parent's block, then its rows, never the parent's row alone first (a sibling
    // of the parent finishing holds the block's entries and would wait for that row). The plain
    // read only learns the block, which never changes.
    const set = block[0]!.set;
    const ref = await tx.getStep(set, parentId);
    if (!ref) return;
    const ownerBlock = await tx.lockBlock(set, ref.blockUuid);
    const owner = ownerBlock.find((s) => s.id === parentId);
    if (!owner || owner.state !== 'running') return;
    const to = verdict.parentState;
    const patch = {
      state: to, completedAt: now, durationMs: owner.startedAt === null ? null : now - owner.startedAt, heartbeatAt: null, updatedAt: now,
      ...(to === 'failed' ? { errorMessage: verdict.reason } : {}),
    };
    await tx.updateStep(owner.set, owner.id, ['running'], patch);
    Object.assign(owner, patch);
    await this.afterChange(tx, ownerBlock, null, now, after);
  }

  /** Marks every runnable pending step of `block` dispatched; they are pushed after commit. */
  async promote(tx: StepTx, block: Step[], parent: Step | null, now: number, after: AfterCommit): Promise<void> {
    for (const step of block) {
      if (!isRunnable(step, block, parent, now)) continue;
      if (after.chainRunId && !after.chained && this.o.chain?.(step.lane)) {
        const claim = { state: 'running' as const, worker: after.chainRunId, dispatchedAt: now, startedAt: now, heartbeatAt: now, attempts: step.attempts + 1, isThrottled: false, updatedAt: now };
        if (await tx.updateStep(step.set, step.id, ['pending'], claim)) {
          Object.assign(step, claim);
          after.chained = { ...step };
          continue;
        }
      }
      if (await tx.updateStep(step.set, step.id, ['pending'], { state: 'dispatched', dispatchedAt: now, updatedAt: now })) {
        step.state = 'dispatched';
        step.dispatchedAt = now;
        after.dispatch.push(step);
      }
    }
    const later = block.filter((s) => s.state === 'pending' && s.dispatchAfter > now);
    if (later.length > 0) this.o.onDeferred?.(Math.min(...later.map((s) => s.dispatchAfter)));
  }

  /**
   * Runs `fn` in one store transaction (re-run whole on deadlock), records the events it raised in
   * the same transaction, then pushes what it dispatched and delivers the events.
   */
  async transact<T>(fn: (tx: StepTx, after: AfterCommit, now: number) => Promise<T>, options?: TransactionOptions): Promise<T> {
    let after: AfterCommit = { dispatch: [], events: [] };
    const value = await this.o.store.transaction(async (tx) => {
      after = { dispatch: [], events: [] };
      const result = await fn(guardTransitions(tx), after, this.o.clock.now());
      if (after.events.length > 0) await tx.insertEvents(after.events);
      return result;
    }, options);
    await this.afterCommit(after);
    return value;
  }

  /** Pushes dispatched steps to their physical queues and delivers events. */
  async afterCommit(after: AfterCommit): Promise<void> {
    for (const step of after.dispatch) await this.push(step, this.o.router.queueFor(step.lane));
    if (after.events.length > 0) this.o.onEvents(after.events);
  }

  /**
   * Pushes one dispatched step. No job id: a duplicate delivery is harmless (the claim is a
   * conditional update), while an id reused after an operator retry would be swallowed by BullMQ.
   */
  async push(step: Step, queue: string): Promise<void> {
    await this.o.queue.push(queue, { set: step.set, stepId: step.id, dispatchedAt: step.dispatchedAt ?? this.o.clock.now() }, { priority: step.priority });
  }

  private roundRobinGroup(): Group {
    const group = GROUPS[this.nextGroup % GROUPS.length]!;
    this.nextGroup += 1;
    return group;
  }
}
