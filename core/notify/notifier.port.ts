// The notifications port: an operator-facing alert (subject, message, severity) goes out through
// one adapter (Pushover, a log); a throttle in front of it keeps a flapping subject from paging
// the operator once a minute.

/** How loud an alert is. */
export type Severity = 'info' | 'warning' | 'critical';

/** What became of one delivery. */
export type DeliveryResult = 'sent' | 'throttled';

/** Delivers alerts to an operator. */
export interface Notifier {
  /** Sends one alert; rejects when the channel refused it (the caller logs and moves on). */
  deliver(subject: string, message: string, severity: Severity): Promise<DeliveryResult>;
}

/** Severity order, for "at least warning" filters. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };
