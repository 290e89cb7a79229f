// The Discord adapter of the notifications port: one POST to a channel's webhook per alert.
import type { DeliveryResult, Notifier, Severity } from '../../core/notify/notifier.port.ts';

const MARK: Readonly<Record<Severity, string>> = { info: 'ℹ️', warning: '⚠️', critical: '🚨' };

/** Sends alerts to a Discord webhook. */
export class DiscordNotifier implements Notifier {
  constructor(private readonly webhookUrl: string, private readonly timeoutMs = 10_000) {}

  async deliver(subject: string, message: string, severity: Severity): Promise<DeliveryResult> {
    const content = `${MARK[severity]} **${subject}**\n${message}`.slice(0, 2000);
    const res = await fetch(this.webhookUrl, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content, allowed_mentions: { parse: [] } }), signal: AbortSignal.timeout(this.timeoutMs),
    });
    // 204 without ?wait=true; 429 carries retry_after, which the outbox's next pump honours well enough.
    if (!res.ok) throw new Error(`discord refused the alert (HTTP ${res.status}): ${(await res.text()).slice(0, 200)}`);
    return 'sent';
  }
}
