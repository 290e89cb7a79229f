// Group commit: step transactions that arrive within a short window from different worker slots of
// one process run one after another on one connection and share one COMMIT. Each stays
// all-or-nothing on its own: it runs behind a SAVEPOINT, and one member's failure (a required
// conditional write that matched nothing, a duplicate key) undoes only its writes. A failure of the
// group as a whole (a deadlock, a lost connection) splits it: every member re-runs alone.
import type { PoolConnection } from 'mysql2/promise';
import type { StepTx } from '../../../core/steps/step-store.port.ts';
import { StatementOutbox } from './statement-outbox.ts';

/** Tuning of group commit. */
export interface GroupCommitOptions {
  /** How long the first waiting member waits for company, in ms (default 1). */
  windowMs?: number;
  /** Most members in one group (default 16). */
  maxBatch?: number;
  /**
   * Groups in flight at once (default 1). One keeps members from ever waiting on each other; more
   * overlap round trips, and a lock cycle between two groups splits both (each member re-runs alone).
   */
  lanes?: number;
}

/** What the committer needs from the store. */
export interface GroupCommitDeps {
  connection(): Promise<PoolConnection>;
  newTx(outbox: StatementOutbox): StepTx;
  /** The store's own one-transaction path, with its re-runs. */
  alone<T>(fn: (tx: StepTx) => Promise<T>): Promise<T>;
  isRetryable(error: unknown): boolean;
  /** Called once per group committed. */
  committed(members: number): void;
}

interface Member {
  fn: (tx: StepTx) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Batches transactions into groups, `lanes` groups in flight at a time. */
export class GroupCommitter {
  private waiting: Member[] = [];
  private running = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly windowMs: number;
  private readonly maxBatch: number;
  private readonly lanes: number;

  constructor(private readonly deps: GroupCommitDeps, options: GroupCommitOptions = {}) {
    this.windowMs = options.windowMs ?? 1;
    this.maxBatch = Math.max(1, options.maxBatch ?? 16);
    this.lanes = Math.max(1, options.lanes ?? 1);
  }

  /** Runs `fn` in the next group; resolves once that group committed. */
  run<T>(fn: (tx: StepTx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running >= this.lanes || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.drain();
    }, this.windowMs);
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
    const results: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    let spoiled = false;
    let healthy = true;
    try {
      for (let i = 0; i < members.length; i++) {
        const mark = outbox.size;
        const sentAt = outbox.sent;
        outbox.push(`SAVEPOINT g${i}`);
        try {
          results.push({ ok: true, value: await members[i]!.fn(this.deps.newTx(outbox)) });
        } catch (error) {
          if (outbox.failed || this.deps.isRetryable(error)) throw error;
          // This member alone failed: undo its writes (unsent ones are simply dropped), keep its neighbours'.
          if (!outbox.discardSince(mark, sentAt)) await conn.query(`ROLLBACK TO SAVEPOINT g${i}`);
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
