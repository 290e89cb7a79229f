// Group commit: step transactions that arrive together from different worker slots of one process
// run one after another on one connection and share one COMMIT. The blocks the members said they
// lock first are locked for all of them in one statement up front, so a group of finishes costs
// two packets: the locks, then every member's writes with the COMMIT. Each member stays
// all-or-nothing on its own: one member's failure (a required conditional write that matched
// nothing, a duplicate key) undoes only its writes (dropped while unsent, else rolled back to its
// savepoint). A failure of the group as a whole (a deadlock, a lost connection) splits it: every
// member re-runs alone.
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { StepTx } from '../../../core/steps/step-store.port.ts';
import { BlockPrefetch, type BlockRef } from './block-prefetch.ts';
import { StatementOutbox } from './statement-outbox.ts';

/** Tuning of group commit. */
export interface GroupCommitOptions {
  /**
   * How long the first waiting member waits for company, in ms (default 0: only what arrives in the
   * same turn of the event loop; members also gather while every lane is busy).
   */
  windowMs?: number;
  /** Most members in one group (default 16). */
  maxBatch?: number;
  /**
   * Groups in flight at once (default 1). One keeps members from ever waiting on each other; more
   * overlap round trips, and a lock cycle between two groups splits both (each member re-runs alone).
   */
  lanes?: number;
}

/**
 * Group commit as fleet processes run it: what arrives in one turn of the event loop, up to 16
 * members, two groups in flight (so one group's round trips overlap the next one's gathering).
 */
export const FLEET_GROUP_COMMIT: GroupCommitOptions = { windowMs: 0, maxBatch: 16, lanes: 2 };

/** What the committer needs from the store. */
export interface GroupCommitDeps {
  connection(): Promise<PoolConnection>;
  newTx(outbox: StatementOutbox, prefetch: BlockPrefetch): StepTx;
  /** The store's own one-transaction path, with its re-runs. */
  alone<T>(fn: (tx: StepTx) => Promise<T>): Promise<T>;
  isRetryable(error: unknown): boolean;
  /** Called once per group committed. */
  committed(members: number): void;
}

interface Member {
  fn: (tx: StepTx) => Promise<unknown>;
  locks: readonly BlockRef[];
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Batches transactions into groups, `lanes` groups in flight at a time. */
export class GroupCommitter {
  private waiting: Member[] = [];
  private running = 0;
  private timer: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | null = null;
  private readonly windowMs: number;
  private readonly maxBatch: number;
  private readonly lanes: number;

  constructor(private readonly deps: GroupCommitDeps, options: GroupCommitOptions = {}) {
    this.windowMs = options.windowMs ?? 0;
    this.maxBatch = Math.max(1, options.maxBatch ?? 16);
    this.lanes = Math.max(1, options.lanes ?? 1);
  }

  /** Runs `fn` in the next group; resolves once that group committed. `locks`: the blocks `fn` locks first. */
  run<T>(fn: (tx: StepTx) => Promise<T>, locks: readonly BlockRef[] = []): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ fn, locks, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running >= this.lanes || this.timer) return;
    const go = () => {
      this.timer = null;
      void this.drain();
    };
    this.timer = this.windowMs > 0 ? setTimeout(go, this.windowMs) : setImmediate(go);
  }

  private async drain(): Promise<void> {
    this.running += 1;
    const members = this.waiting.splice(0, this.maxBatch);
    try {
      await this.commitGroup(members);
    } finally {
      this.running -= 1;
      if (this.waiting.length > 0) this.schedule();
    }
  }

  private async commitGroup(members: Member[]): Promise<void> {
    if (members.length === 1) {
      const only = members[0]!;
      await this.deps.alone(only.fn).then(only.resolve, only.reject);
      return;
    }
    let conn: PoolConnection;
    try {
      conn = await this.deps.connection();
    } catch (error) {
      for (const m of members) m.reject(error);
      return;
    }
    const outbox = new StatementOutbox(conn, true);
    const prefetch = new BlockPrefetch();
    const results: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    let spoiled = false;
    let healthy = true;
    try {
      const lock = BlockPrefetch.statement(members.flatMap((m) => m.locks));
      if (lock) {
        const [res] = await conn.query<RowDataPacket[][] | RowDataPacket[]>(lock.sql, lock.values);
        prefetch.add(lock.sets, lock.sets.length === 1 ? [res as RowDataPacket[]] : (res as RowDataPacket[][]));
      }
      for (let i = 0; i < members.length; i++) {
        outbox.beginMember(`g${i}`);
        try {
          results.push({ ok: true, value: await members[i]!.fn(this.deps.newTx(outbox, prefetch)) });
        } catch (error) {
          if (outbox.failed || this.deps.isRetryable(error)) throw error;
          // This member alone failed: undo its writes (unsent ones are simply dropped), keep its neighbours'.
          if (!outbox.discardMember()) await conn.query(`ROLLBACK TO SAVEPOINT g${i}`);
          results.push({ ok: false, error });
        }
      }
      await outbox.commit();
      this.deps.committed(members.length);
    } catch {
      spoiled = true;
      await conn.query('ROLLBACK').catch(() => (healthy = false));
    } finally {
      if (healthy) conn.release();
      else conn.destroy();
    }
    if (spoiled) {
      // Split and retry: each member alone, in its own transaction.
      await Promise.all(members.map((m) => this.deps.alone(m.fn).then(m.resolve, m.reject)));
      return;
    }
    results.forEach((r, i) => (r.ok ? members[i]!.resolve(r.value) : members[i]!.reject(r.error)));
  }
}
