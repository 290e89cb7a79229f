// The Pushover adapter of the notifications port: one POST to /1/messages.json per alert. The base
// URL is configurable so tests point it at a local HTTP server; a critical alert is sent at
// Pushover priority 1 (bypasses quiet hours), warning at 0, info at -1 (no sound).
import type { DeliveryResult, Notifier, Severity } from '../../core/notify/notifier.port.ts';

/** Credentials and endpoint of the Pushover API. */
export interface PushoverOptions {
  /** Application token. */
  token: string;
  /** User (or group) key receiving the alerts. */
  user: string;
  /** Default https://api.pushover.net. */
  baseUrl?: string;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const PRIORITY: Readonly<Record<Severity, number>> = { info: -1, warning: 0, critical: 1 };

/** An error from the Pushover API: its HTTP status and the errors it listed. */
export class PushoverError extends Error {
  constructor(readonly status: number, detail: string) {
    super(`pushover refused the alert (HTTP ${status}): ${detail}`);
  }
}

/** Sends alerts through Pushover. */
export class PushoverNotifier implements Notifier {
  private readonly url: string;

  constructor(private readonly o: PushoverOptions) {
    this.url = `${(o.baseUrl ?? 'https://api.pushover.net').replace(/\/+$/, '')}/1/messages.json`;
  }

  async deliver(subject: string, message: string, severity: Severity): Promise<DeliveryResult> {
    const body = new URLSearchParams({
      token: this.o.token, user: this.o.user, title: subject.slice(0, 250), message: message.slice(0, 1024) || subject,
      priority: String(PRIORITY[severity]),
    });
    const response = await (this.o.fetch ?? fetch)(this.url, {
      method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' },
      signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
    });
    const text = await response.text();
    if (!response.ok) {
      let detail = text.slice(0, 200);
      try {
        const parsed = JSON.parse(text) as { errors?: unknown };
        if (Array.isArray(parsed.errors)) detail = parsed.errors.map(String).join('; ');
      } catch {
        // not JSON: keep the raw text
      }
      throw new PushoverError(response.status, detail);
    }
    return 'sent';
  }
}
