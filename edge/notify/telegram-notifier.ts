// The Telegram adapter of the notifications port: each alert is one message to every allow-listed chat.
import type { DeliveryResult, Notifier, Severity } from '../../core/notify/notifier.port.ts';
import type { TelegramApi } from './telegram-api.ts';

const MARK: Readonly<Record<Severity, string>> = { info: 'ℹ️', warning: '⚠️', critical: '🚨' };

/** Sends alerts to Telegram chats. */
export class TelegramNotifier implements Notifier {
  constructor(private readonly api: TelegramApi, private readonly chatIds: readonly number[]) {}

  async deliver(subject: string, message: string, severity: Severity): Promise<DeliveryResult> {
    await Promise.all(this.chatIds.map((chat) => this.api.sendMessage(chat, `${MARK[severity]} ${subject}\n${message}`)));
    return 'sent';
  }
}
