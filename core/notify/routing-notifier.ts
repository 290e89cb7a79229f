// Sends each alert to the channels chosen for its severity (Telegram for opens and closes,
// Pushover for what must wake someone…). A channel that fails does not stop the others; the
// delivery fails only when every chosen channel failed, so the outbox retries it.
import type { DeliveryResult, Notifier, Severity } from './notifier.port.ts';

/** Channel names per severity, and the channels themselves. */
export interface RoutingOptions {
  channels: Readonly<Record<string, Notifier>>;
  routes: Readonly<Record<Severity, readonly string[]>>;
}

/** A notifier fanning each alert out to its severity's channels. */
export class RoutingNotifier implements Notifier {
  constructor(private readonly o: RoutingOptions) {
    for (const names of Object.values(o.routes)) {
      for (const name of names) if (!o.channels[name]) throw new RangeError(`no notification channel "${name}" is configured`);
    }
  }

  async deliver(subject: string, message: string, severity: Severity): Promise<DeliveryResult> {
    const names = this.o.routes[severity];
    if (names.length === 0) return 'sent';
    const results = await Promise.allSettled(names.map((name) => this.o.channels[name]!.deliver(subject, message, severity)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length === results.length) throw failed[0]!.reason;
    return 'sent';
  }
}
