// Telegram commands for the operator's own chats (TELEGRAM_CHAT_IDS): /status, /positions, /pnl,
// /pause and /resume. Updates are long-polled with getUpdates and an offset, so each is handled
// once. Every command — obeyed or refused — is written to the admin's audit trail, like an action
// taken in the admin. /pause and /resume flip the fleet-wide "pause new opens" switch the admin
// shows and the open preflight reads (core/trading/pause-opens.ts).
import { Decimal } from 'decimal.js';
import { readRegimeState } from '../../core/market/regime/regime-store.ts';
import { pauseOpensInsert, readPauseOpens } from '../../core/trading/pause-opens.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { StepStore } from '../../core/steps/step-store.port.ts';
import { applyRowEffects } from '../../core/trading/apply-row-effects.ts';
import { listPositions } from '../../core/trading/reads.ts';
import type { AuditLog } from '../../web/admin/audit.port.ts';
import type { TelegramApi, TelegramUpdate } from './telegram-api.ts';

/** What the command loop needs. */
export interface TelegramCommandsOptions {
  api: TelegramApi;
  allowedChats: readonly number[];
  store: Pick<StepStore, 'findRows' | 'transaction'>;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  /** Long-poll wait per getUpdates, seconds (default 25). */
  waitS?: number;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Polls for commands until stopped. */
export class TelegramCommands {
  private offset = 0;
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(private readonly o: TelegramCommandsOptions) {}

  /** Handles one update; exposed for tests. Returns the reply sent, if any. */
  async handle(update: TelegramUpdate): Promise<string | null> {
    const msg = update.message;
    const text = msg?.text?.trim();
    if (!msg || !text?.startsWith('/')) return null;
    const command = text.split(/\s+/)[0]!.replace(/@.*$/, '').toLowerCase();
    const chat = msg.chat.id;
    const who = `telegram:${chat}${msg.from?.username ? `:${msg.from.username}` : ''}`;
    const at = this.o.clock.now();
    if (!this.o.allowedChats.includes(chat)) {
      await this.o.audit.record({ at, who, action: 'telegram-command', subject: command, outcome: 'refused', detail: 'chat not in TELEGRAM_CHAT_IDS' });
      await this.reply(chat, 'This chat may not command this fleet.');
      return 'refused';
    }
    let reply: string;
    let outcome: 'ok' | 'refused' | 'failed' = 'ok';
    try {
      switch (command) {
        case '/status': reply = await this.status(at); break;
        case '/positions': reply = await this.positions(); break;
        case '/pnl': reply = await this.pnl(); break;
        case '/pause': reply = await this.pause(who, at); break;
        case '/resume': reply = await this.resume(who, at); break;
        default:
          outcome = 'refused';
          reply = 'Commands: /status, /positions, /pnl, /pause (new opens), /resume';
      }
    } catch (error) {
      outcome = 'failed';
      reply = `${command} failed: ${(error as Error).message}`;
    }
    await this.o.audit.record({ at, who, action: 'telegram-command', subject: command, outcome, detail: reply.slice(0, 255) });
    await this.reply(chat, reply);
    return reply;
  }

  private async reply(chat: number, text: string): Promise<void> {
    try {
      await this.o.api.sendMessage(chat, text);
    } catch (error) {
      this.o.logger.warn('telegram reply failed', { error });
    }
  }

  private async status(now: number): Promise<string> {
    const open = await listPositions(this.o.store, { status: 'open', limit: 1000 });
    const regime = await readRegimeState(this.o.store, now);
    const pause = await readPauseOpens(this.o.store);
    const opens = pause.paused ? `new opens paused fleet-wide by ${pause.by} (${pause.reason})`
      : regime.override
        ? `new opens ${regime.override.mode === 'block' ? 'blocked' : 'allowed'} by a regime override until ${iso(regime.override.until)} (${regime.override.createdBy})`
        : 'new opens: as the regime allows';
    const score = regime.snapshot ? `regime score ${regime.snapshot.score} (${regime.snapshot.band})` : 'regime: no snapshot yet';
    return `Kraite: ${open.length} open position(s); ${opens}; ${score}`;
  }

  private async positions(): Promise<string> {
    const open = await listPositions(this.o.store, { status: 'open', limit: 30 });
    if (open.length === 0) return 'No open positions.';
    return open.map((p) => `${p.direction} ${p.symbol} · ${p.status}${p.openingPrice ? ` @ ${p.openingPrice}` : ''}`).join('\n');
  }

  private async pnl(): Promise<string> {
    const closed = await this.o.store.findRows('positions', { is_open: null });
    let total = new Decimal(0);
    let counted = 0;
    for (const p of closed) {
      if (p.pnl === null || p.pnl === undefined) continue;
      total = total.plus(String(p.pnl));
      counted += 1;
    }
    return `Realized PnL: ${total.toFixed()} over ${counted} closed position(s)`;
  }

  private async pause(who: string, now: number): Promise<string> {
    await this.o.store.transaction((tx) => applyRowEffects(tx, [pauseOpensInsert({ paused: true, reason: `paused from Telegram by ${who}`.slice(0, 255), by: who.slice(0, 64), at: now })]));
    return 'New opens paused fleet-wide (until /resume). Open positions are still managed.';
  }

  private async resume(who: string, now: number): Promise<string> {
    if (!(await readPauseOpens(this.o.store)).paused) return 'Nothing to resume: new opens are not paused.';
    await this.o.store.transaction((tx) => applyRowEffects(tx, [pauseOpensInsert({ paused: false, reason: `resumed from Telegram by ${who}`.slice(0, 255), by: who.slice(0, 64), at: now })]));
    return 'New opens resumed: the regime decides again.';
  }

  /** Starts the long-poll loop. */
  start(): void {
    this.loop ??= this.run();
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        const updates = await this.o.api.getUpdates(this.offset, this.o.waitS ?? 25, this.abort.signal);
        for (const u of updates) {
          this.offset = Math.max(this.offset, u.update_id + 1);
          await this.handle(u);
        }
      } catch (error) {
        if (this.abort.signal.aborted) break;
        this.o.logger.warn('telegram getUpdates failed; retrying in 5 s', { error });
        await new Promise((resolve) => setTimeout(resolve, 5_000));
      }
    }
  }

  /** Stops polling. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }
}
