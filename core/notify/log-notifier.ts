// The log adapter of the notifications port: every alert becomes one structured log line. The
// default when no Pushover credentials are configured, and what the embedded mode uses.
import type { Logger } from '../ports/logger.ts';
import type { DeliveryResult, Notifier, Severity } from './notifier.port.ts';

/** A notifier writing each alert to `logger` at a level matching its severity. */
export class LogNotifier implements Notifier {
  constructor(private readonly logger: Logger) {}

  async deliver(subject: string, message: string, severity: Severity): Promise<DeliveryResult> {
    const level = severity === 'critical' ? 'error' : severity === 'warning' ? 'warn' : 'info';
    this.logger[level](message, { alert: subject, severity });
    return 'sent';
  }
}
