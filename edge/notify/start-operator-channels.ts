// On the scheduler's box (one per fleet, like the outbox relay): the open/close announcements and,
// with a Telegram bot configured, its command loop (Telegram allows one getUpdates poller per bot).
import { PositionAnnouncer } from '../../core/notify/position-announcer.ts';
import type { Notifier } from '../../core/notify/notifier.port.ts';
import { systemClock } from '../../core/ports/clock.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { StepStore } from '../../core/steps/step-store.port.ts';
import type { AuditLog } from '../../web/admin/audit.port.ts';
import { MemoryAuditLog } from '../../web/admin/memory-stores.ts';
import type { KraiteConfig } from '../runtime/config.ts';
import { TelegramApi } from './telegram-api.ts';
import { TelegramCommands } from './telegram-commands.ts';

/** Running announcer and command loop. */
export interface OperatorChannels {
  lines: string[];
  stop(): Promise<void>;
}

/** Starts the announcer, and the Telegram commands when a bot token and chat ids are set. */
export async function startOperatorChannels(o: { config: KraiteConfig; store: StepStore; notifier: Notifier; logger: Logger }): Promise<OperatorChannels> {
  const announcer = new PositionAnnouncer({ rows: o.store, notifier: o.notifier, logger: o.logger });
  // The first look, now: what is open before this process trades is not news.
  await announcer.poll().catch((error: unknown) => o.logger.warn('position announcer could not read positions', { error }));
  announcer.start();
  const lines: string[] = [];
  let commands: TelegramCommands | null = null;
  let closeAudit = async () => {};
  const { TELEGRAM_BOT_TOKEN: token, TELEGRAM_CHAT_IDS: chats } = o.config;
  if (token && chats.length > 0) {
    let audit: AuditLog;
    if (o.config.DATABASE_URL) {
      const { createMySqlPool } = await import('../adapters/mysql/mysql-pool.ts');
      const { MySqlAuditLog } = await import('../adapters/mysql/admin-audit-log.ts');
      const pool = createMySqlPool(o.config.DATABASE_URL, { connectionLimit: 1 });
      audit = new MySqlAuditLog(pool);
      closeAudit = () => pool.end();
    } else {
      // The embedded mode's trail lives in this process (the admin's is its own, also in memory).
      audit = new MemoryAuditLog();
    }
    commands = new TelegramCommands({ api: new TelegramApi({ token, baseUrl: o.config.TELEGRAM_API_URL }), allowedChats: chats, store: o.store, audit, clock: systemClock, logger: o.logger });
    commands.start();
    lines.push(`  telegram: commands from chat(s) ${chats.join(', ')} (/status /positions /pnl /pause /resume)`);
  }
  return {
    lines,
    async stop() {
      await commands?.stop();
      await announcer.stop();
      await closeAudit();
    },
  };
}
