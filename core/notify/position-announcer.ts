// Announces opens and closes: it watches the open positions and, when one becomes active or leaves
// the open set, sends a message (a close with its net PnL and, once the ledger records it, its exit
// reason). It reads rows only, so the handlers stay as they are; the first look is silent, so a
// restart does not re-announce what is already open.
import type { Logger } from '../ports/logger.ts';
import type { RowReader } from '../steps/step-store.port.ts';
import type { Notifier } from './notifier.port.ts';

const POSITIONS = 'positions';

/** Options of the announcer. */
export interface PositionAnnouncerOptions {
  rows: RowReader;
  notifier: Notifier;
  logger: Logger;
}

const text = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

/** Watches positions and announces opens and closes. */
export class PositionAnnouncer {
  private known: Map<number, string> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly o: PositionAnnouncerOptions) {}

  /** One look: announces what changed since the last one. */
  async poll(): Promise<void> {
    const open = await this.o.rows.findRows(POSITIONS, { is_open: 1 });
    const now = new Map(open.map((p) => [Number(p.id), String(p.status)]));
    const before = this.known;
    this.known = now;
    if (!before) return;
    for (const p of open) {
      const id = Number(p.id);
      if (p.status === 'active' && before.get(id) !== 'active') {
        await this.send(`position ${id} opened`, `${p.direction} ${p.symbol}: opened at ${text(p.opening_price) ?? '?'}, quantity ${text(p.quantity) ?? '?'}, margin ${text(p.margin) ?? '?'} ×${text(p.leverage) ?? '?'}`);
      }
    }
    for (const id of before.keys()) {
      if (now.has(id)) continue;
      const [p] = await this.o.rows.findRows(POSITIONS, { id }, { limit: 1 });
      if (!p) continue;
      // positions.pnl is net PnL (after fees and funding once the ledger columns land); exit_reason is optional.
      const pnl = text(p.pnl);
      const reason = text(p.exit_reason) ?? text(p.status_reason);
      await this.send(`position ${id} closed`, `${p.direction} ${p.symbol}: ${p.status}${text(p.closing_price) ? ` at ${text(p.closing_price)}` : ''}; PnL ${pnl ?? 'unknown'}${reason ? `; exit: ${reason}` : ''}`);
    }
  }

  private async send(subject: string, message: string): Promise<void> {
    try {
      await this.o.notifier.deliver(subject, message, 'info');
    } catch (error) {
      this.o.logger.warn('position announcement failed', { subject, error });
    }
  }

  /** Polls every `everyMs` until stopped. */
  start(everyMs = 2_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running ??= this.poll().catch((error: unknown) => this.o.logger.warn('position announcer could not read positions', { error })).finally(() => (this.running = null));
    }, everyMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Stops polling after the look in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
