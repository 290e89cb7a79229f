// Relays the notifications outbox (rows handlers wrote with queueNotification, in their step's
// transaction) to the notifier: each unsent row is stamped sent first (a conditional update, so two
// relays never both send it), then delivered; a failed delivery clears the stamp to retry later.
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import type { StepStore } from '../steps/step-store.port.ts';
import type { Notifier, Severity } from './notifier.port.ts';

const TABLE = 'notifications';

/** Options of the relay. */
export interface OutboxRelayOptions {
  store: Pick<StepStore, 'findRows' | 'transaction'>;
  notifier: Notifier;
  clock: Clock;
  logger: Logger;
  /** Rows per pump (default 100). */
  batch?: number;
}

/** Moves unsent notifications to the notifier. */
export class OutboxRelay {
  private timer: ReturnType<typeof setInterval> | null = null;
  private pumping: Promise<number> | null = null;

  constructor(private readonly o: OutboxRelayOptions) {}

  /** Sends what is waiting now; returns how many were delivered (throttled ones count as handled). */
  async pump(): Promise<number> {
    const rows = await this.o.store.findRows(TABLE, { sent_at: null }, { orderBy: 'id', limit: this.o.batch ?? 100 });
    let handled = 0;
    for (const row of rows) {
      const id = Number(row.id);
      const at = this.o.clock.now();
      const claimed = await this.o.store.transaction((tx) => tx.updateRows(TABLE, { id, sent_at: null }, { sent_at: at }));
      if (claimed === 0) continue;
      try {
        await this.o.notifier.deliver(String(row.throttle_key ?? row.subject), String(row.message), String(row.severity) as Severity);
        handled += 1;
      } catch (error) {
        await this.o.store.transaction((tx) => tx.updateRows(TABLE, { id, sent_at: at }, { sent_at: null }));
        this.o.logger.warn('notification delivery failed; it stays in the outbox', { id, error });
        break; // the channel is down: try again on the next pump, oldest first
      }
    }
    return handled;
  }

  /** Pumps every `everyMs` (default 5 s) until stopped; one pump at a time. */
  start(everyMs = 5_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.pumping ??= this.pump().catch((error: unknown) => {
        this.o.logger.warn('notification outbox unreadable', { error });
        return 0;
      }).finally(() => (this.pumping = null));
    }, everyMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.pumping;
  }
}
