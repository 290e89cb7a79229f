// Pages the operator when a position has been exposed without a working stop for longer than
// KRAITE_UNPROTECTED_ALERT_MS. Runs in every process that runs the dispatcher or trading workers,
// so losing one box does not silence it; a lease per position (Redis in a fleet) lets only the
// first process that sees a position page for it, once per alert-throttle window.
import type { Notifier } from '../../core/notify/notifier.port.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { LeasePort } from '../../core/scheduler/lease.port.ts';
import type { RowReader } from '../../core/steps/step-store.port.ts';
import { unprotectedPositions, type UnprotectedPosition } from '../../core/trading/unprotected.ts';

/** What the watch is built from. */
export interface ProtectionWatchOptions {
  rows: RowReader;
  clock: Clock;
  logger: Logger;
  notifier: Notifier;
  lease: LeasePort;
  /** This process, as the lease owner. */
  owner: string;
  keyPrefix: string;
  /** Exposure without a stop for longer than this pages. */
  boundMs: number;
  /** How long one page holds off the others for the same position (the alert throttle window). */
  repeatMs: number;
  /** Check period (default: a quarter of the bound, between 1 and 5 s). */
  everyMs?: number;
}

/** The periodic check. */
export class ProtectionWatch {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<unknown> | null = null;
  /** Lease acquisitions so far: each is made under its own owner, so none renews an earlier page. */
  private calls = 0;

  constructor(private readonly o: ProtectionWatchOptions) {}

  /** One check: pages each unprotected position this process is first to see; returns those it paged. */
  async check(): Promise<UnprotectedPosition[]> {
    const now = this.o.clock.now();
    const paged: UnprotectedPosition[] = [];
    for (const u of await unprotectedPositions(this.o.rows, now, this.o.boundMs)) {
      const p = u.position;
      // A per-call owner: leases are re-entrant for their owner (a restarted scheduler takes its own
      // back), so with the bare process name every check of this process would page again.
      if (!(await this.o.lease.acquire(`${this.o.keyPrefix}:alert:unprotected:${p.id}`, `${this.o.owner}#${(this.calls += 1)}`, this.o.repeatMs))) continue;
      const seconds = Math.round((now - u.since) / 1000);
      const exposure = u.entry === 'pending' ? 'a market entry whose answer was never recorded (it may be filled)' : `exposure (entry ${u.entry})`;
      const message = `position ${p.id} (${p.symbol} ${p.direction}, account ${p.accountId}, ${p.status}) has had ${exposure} without a working stop for ${seconds} s `
        + `(stop ${u.stop}; limit ${Math.round(this.o.boundMs / 1000)} s): check the workers and the open block, place the stop by hand if it does not come`;
      this.o.logger.error(message, { position: p.id, alert: 'unprotected' });
      await this.o.notifier.deliver(`Unprotected position ${p.id} (${p.symbol})`, message, 'critical').catch((error: unknown) => {
        this.o.logger.warn('alert delivery failed', { position: p.id, error });
      });
      paged.push(u);
    }
    return paged;
  }

  /** Checks periodically until stopped; one check at a time. */
  start(): void {
    if (this.timer) return;
    const every = this.o.everyMs ?? Math.min(5_000, Math.max(1_000, Math.floor(this.o.boundMs / 4)));
    this.timer = setInterval(() => {
      this.running ??= this.check().catch((error: unknown) => this.o.logger.warn('protection watch could not read positions', { error })).finally(() => (this.running = null));
    }, every);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Stops the timer and waits for a check in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
