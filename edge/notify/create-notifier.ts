// Builds the process's notifier from the configuration: Pushover, Telegram and Discord when their
// credentials are set (the log otherwise), each severity routed to its channels
// (KRAITE_NOTIFY_<SEVERITY>), always behind the per-subject throttle.
import { LogNotifier } from '../../core/notify/log-notifier.ts';
import type { DeliveryResult, Notifier, Severity } from '../../core/notify/notifier.port.ts';
import { RoutingNotifier } from '../../core/notify/routing-notifier.ts';
import { ThrottledNotifier } from '../../core/notify/throttled-notifier.ts';
import { systemClock, type Clock } from '../../core/ports/clock.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { FleetMetrics } from '../metrics/fleet-metrics.ts';
import { DiscordNotifier } from './discord-notifier.ts';
import { PushoverNotifier } from './pushover-notifier.ts';
import { TelegramApi } from './telegram-api.ts';
import { TelegramNotifier } from './telegram-notifier.ts';

type Channel = 'pushover' | 'telegram' | 'discord' | 'log';

/** The configuration slice the notifier reads. */
export interface NotifierConfig {
  PUSHOVER_TOKEN?: string;
  PUSHOVER_USER?: string;
  PUSHOVER_URL?: string;
  KRAITE_ALERT_THROTTLE_MS?: number;
  TELEGRAM_BOT_TOKEN?: string;
  TELEGRAM_CHAT_IDS?: number[];
  TELEGRAM_API_URL?: string;
  DISCORD_WEBHOOK_URL?: string;
  KRAITE_NOTIFY_INFO?: Channel[];
  KRAITE_NOTIFY_WARNING?: Channel[];
  KRAITE_NOTIFY_CRITICAL?: Channel[];
}

/** Counts each delivery by channel, severity and result. */
class MeteredNotifier implements Notifier {
  constructor(private readonly inner: Notifier, private readonly channel: string, private readonly metrics: FleetMetrics) {}

  async deliver(subject: string, message: string, severity: Severity): Promise<DeliveryResult> {
    try {
      const result = await this.inner.deliver(subject, message, severity);
      this.metrics.notifications.labels(this.channel, severity, result).inc();
      return result;
    } catch (error) {
      this.metrics.notifications.labels(this.channel, severity, 'failed').inc();
      throw error;
    }
  }
}

/** The configured channels, by name. */
export function notificationChannels(config: NotifierConfig, logger: Logger): Partial<Record<Channel, Notifier>> {
  const channels: Partial<Record<Channel, Notifier>> = { log: new LogNotifier(logger) };
  if (config.PUSHOVER_TOKEN && config.PUSHOVER_USER) channels.pushover = new PushoverNotifier({ token: config.PUSHOVER_TOKEN, user: config.PUSHOVER_USER, baseUrl: config.PUSHOVER_URL });
  if (config.TELEGRAM_BOT_TOKEN && config.TELEGRAM_CHAT_IDS?.length) {
    channels.telegram = new TelegramNotifier(new TelegramApi({ token: config.TELEGRAM_BOT_TOKEN, baseUrl: config.TELEGRAM_API_URL }), config.TELEGRAM_CHAT_IDS);
  }
  if (config.DISCORD_WEBHOOK_URL) channels.discord = new DiscordNotifier(config.DISCORD_WEBHOOK_URL);
  return channels;
}

/** The channel names each severity goes to. */
export function notificationRoutes(config: NotifierConfig, available: readonly Channel[]): Record<Severity, Channel[]> {
  const remote = available.filter((c) => c !== 'log');
  const chat = remote.filter((c) => c === 'telegram' || c === 'discord');
  const fallback = (list: Channel[]): Channel[] => (list.length > 0 ? list : ['log']);
  return {
    info: config.KRAITE_NOTIFY_INFO ?? fallback(chat.length > 0 ? chat : remote),
    warning: config.KRAITE_NOTIFY_WARNING ?? fallback(remote),
    critical: config.KRAITE_NOTIFY_CRITICAL ?? fallback(remote),
  };
}

/** The throttled notifier for this process, and which channels it uses. */
export function createNotifier(config: NotifierConfig, logger: Logger, clock: Clock = systemClock, metrics?: FleetMetrics | null): { notifier: Notifier; channel: string } {
  const channels = notificationChannels(config, logger);
  const routes = notificationRoutes(config, Object.keys(channels) as Channel[]);
  const metered = Object.fromEntries(Object.entries(channels).map(([name, n]) => [name, metrics ? new MeteredNotifier(n, name, metrics) : n]));
  const routed = new RoutingNotifier({ channels: metered, routes });
  const throttled = new ThrottledNotifier(routed, { windowMs: config.KRAITE_ALERT_THROTTLE_MS ?? 15 * 60_000, clock });
  const notifier: Notifier = metrics
    ? { deliver: async (s, m, sev) => {
      const result = await throttled.deliver(s, m, sev);
      if (result === 'throttled') metrics.notifications.labels('any', sev, 'throttled').inc();
      return result;
    } }
    : throttled;
  const used = [...new Set([...routes.warning, ...routes.critical])];
  return { notifier, channel: used.join('+') };
}
