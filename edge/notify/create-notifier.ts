// Builds the process's notifier from the configuration: Pushover when its token and user key are
// set, the log otherwise, always behind the per-subject throttle.
import { LogNotifier } from '../../core/notify/log-notifier.ts';
import type { Notifier } from '../../core/notify/notifier.port.ts';
import { ThrottledNotifier } from '../../core/notify/throttled-notifier.ts';
import { systemClock, type Clock } from '../../core/ports/clock.ts';
import type { Logger } from '../../core/ports/logger.ts';
import { PushoverNotifier } from './pushover-notifier.ts';

/** The configuration slice the notifier reads. */
export interface NotifierConfig {
  PUSHOVER_TOKEN?: string;
  PUSHOVER_USER?: string;
  PUSHOVER_URL?: string;
  KRAITE_ALERT_THROTTLE_MS?: number;
}

/** The throttled notifier for this process, and which channel it uses. */
export function createNotifier(config: NotifierConfig, logger: Logger, clock: Clock = systemClock): { notifier: Notifier; channel: 'pushover' | 'log' } {
  const pushover = config.PUSHOVER_TOKEN && config.PUSHOVER_USER;
  const inner: Notifier = pushover
    ? new PushoverNotifier({ token: config.PUSHOVER_TOKEN!, user: config.PUSHOVER_USER!, baseUrl: config.PUSHOVER_URL })
    : new LogNotifier(logger);
  return { notifier: new ThrottledNotifier(inner, { windowMs: config.KRAITE_ALERT_THROTTLE_MS ?? 15 * 60_000, clock }), channel: pushover ? 'pushover' : 'log' };
}
