// The notifications port and its runtime-neutral pieces.
export type { DeliveryResult, Notifier, Severity } from './notifier.port.ts';
export { SEVERITY_RANK } from './notifier.port.ts';
export { LogNotifier } from './log-notifier.ts';
export { ThrottledNotifier, type ThrottleOptions } from './throttled-notifier.ts';
export { alertOnEvents, type EventAlertOptions } from './event-alerts.ts';
export { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.ts';
