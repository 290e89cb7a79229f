// Process configuration from the environment, validated with zod; an error names the variable.
import { isIP } from 'node:net';
import { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';
import { parseAllowlist } from '../../core/streams/user-data-allowlist.ts';

const url = (protocols: string[]) => z.string().refine((v) => {
  try {
    return protocols.includes(new URL(v).protocol);
  } catch {
    return false;
  }
}, { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` });

/** Notification channels a severity may be routed to. */
export const CHANNELS = ['pushover', 'telegram', 'discord', 'log'] as const;
const CHANNEL_LIST = z.string().optional().transform((v, ctx) => {
    if (v === undefined) return undefined;
    const names = v.split(',').map((n) => n.trim()).filter(Boolean);
    const bad = names.find((n) => !CHANNELS.includes(n as never));
    if (bad) {
      ctx.addIssue({ code: 'custom', message: `unknown channel "${bad}" (one of ${CHANNELS.join(', ')})` });
      return z.NEVER;
    }
    return names as (typeof CHANNELS)[number][];
  });

const schema = z.object({
  // The shared MySQL/MariaDB store (mysql://user:password@host:3306/kraite); unset: the embedded in-memory store.
  DATABASE_URL: url(['mysql:']).optional(),
  // Group commit on the MySQL store: step starts and finishes that arrive together from different worker slots of one
  // process share one transaction and one COMMIT, each still all-or-nothing on its own; off: one transaction each.
  KRAITE_GROUP_COMMIT: z.enum(['on', 'off']).default('on'),
  // Redis for BullMQ queues and the fleet's shared state (redis:// or rediss://); unset: in-process queues.
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  // The fleet topology file (boxes, roles, queues); unset: infra/topology.json.
  KRAITE_TOPOLOGY: z.string().min(1).optional(),
  // The address the web apps listen on.
  KRAITE_HOST: z.string().min(1).default('127.0.0.1'),
  // The status page's port (0: any free one); the other web apps follow it unless given their own.
  KRAITE_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  // The web box's apps, one port each (nginx maps hostnames to them); unset: KRAITE_PORT + 1 (admin), + 2 (site),
  // + 3 (docs), + 4 (console); 0 stays 0.
  KRAITE_ADMIN_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  KRAITE_SITE_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  KRAITE_DOCS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  KRAITE_CONSOLE_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  // The SQL console's read-only MySQL user (created and reset at start). Unset: kraite_ro_<database>,
  // one per database, so two fleets on one server never reset each other's.
  KRAITE_SQL_CONSOLE_USER: z.string().regex(/^[A-Za-z0-9_]{1,32}$/, 'letters, digits and _ only, at most 32').optional(),
  // Proxies (exact IP addresses, comma-separated) whose X-Real-IP names the client; unset: none is trusted.
  KRAITE_TRUSTED_PROXIES: z.string().optional().transform((v, ctx) => {
    const list = (v ?? '').split(',').map((a) => a.trim()).filter(Boolean);
    const bad = list.find((a) => isIP(a) === 0);
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `"${bad}" is not an IP address (list proxy addresses, comma-separated)` });
      return z.NEVER;
    }
    return list;
  }),
  // AES-256-GCM key (32 bytes, base64) for account credentials; the embedded mode makes a throwaway one.
  KRAITE_CREDENTIALS_KEY: z.string().min(1).optional(),
  // Binance USDⓈ-M REST base (https://fapi.binance.com, or a `kraite sim` URL); unset: the embedded simulator.
  KRAITE_EXCHANGE_URL: z.string().url().optional(),
  // Paper trading on live prices: a Binance USDⓈ-M REST base (https://fapi.binance.com, or a `kraite sim` URL) whose
  // contracts, filters, klines and mark prices the embedded simulator follows, while every order stays simulated
  // against that price; only public endpoints are read. Unset: the offline random walk. Not with KRAITE_EXCHANGE_URL.
  KRAITE_PAPER_MARKET_URL: url(['https:', 'http:']).optional(),
  // The followed market's stream base; unset: derived from KRAITE_PAPER_MARKET_URL (fapi.binance.com:
  // wss://fstream.binance.com, else the same host over ws/wss).
  KRAITE_PAPER_MARKET_WS_URL: url(['ws:', 'wss:']).optional(),
  // The embedded mode's directory (npm start without DATABASE_URL): its kept store and paper venue (a
  // snapshot and a journal, so positions survive a restart; kraite reset-paper starts over), the paper
  // account's credentials key, and the control file the CLI reaches the running process through;
  // relative paths are relative to the working directory. Git-ignored.
  KRAITE_DATA_DIR: z.string().min(1).default('.kraite'),
  // The prefix of every BullMQ queue and Redis key, so two fleets can share one Redis.
  KRAITE_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only').default('kraite'),
  // The lowest level written to the JSON log: debug, info, warn or error.
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  // json or pretty; unset: pretty when stdout is a terminal, JSON otherwise (journald, files, pipes).
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  // Metrics and health (edge/metrics): on by default; the port comes from the topology (metricsPort, else
  // 9464 + the box's index; the mark-price stream's process +100, a user-data shard i +200+i) unless
  // KRAITE_METRICS_PORT overrides it (0: any free port).
  KRAITE_METRICS: z.enum(['on', 'off']).default('on'),
  KRAITE_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  // Address the metrics port binds; unset: the box's privateAddress (never a public interface), else 127.0.0.1.
  KRAITE_METRICS_HOST: z.string().min(1).optional(),
  // /health/ready fails when the dispatch daemon has not finished a tick for this long.
  KRAITE_DISPATCHER_LAG_MS: z.coerce.number().int().min(1000).default(15_000),
  // How long a stopping process lets its in-flight steps finish before it exits.
  KRAITE_SHUTDOWN_DEADLINE_MS: z.coerce.number().int().min(0).default(30_000),
  // Step recovery (core/steps, edge/runtime/recovery-config.ts): a running step beats every KRAITE_STEP_HEARTBEAT_MS;
  // one whose beat is older than KRAITE_STALE_RUNNING_MS (at least two beats) lost its worker and goes back to
  // pending; a step dispatched longer than KRAITE_STALE_DISPATCHED_MS is re-queued on the priority lane; the
  // dispatch daemon looks every KRAITE_RECOVER_EVERY_MS. A position whose entry went out longer than
  // KRAITE_UNPROTECTED_ALERT_MS ago without a working stop pages the operator.
  KRAITE_STEP_HEARTBEAT_MS: z.coerce.number().int().min(100).default(5_000),
  KRAITE_STALE_RUNNING_MS: z.coerce.number().int().min(200).default(15_000),
  KRAITE_STALE_DISPATCHED_MS: z.coerce.number().int().min(1_000).default(120_000),
  KRAITE_RECOVER_EVERY_MS: z.coerce.number().int().min(100).default(1_000),
  KRAITE_UNPROTECTED_ALERT_MS: z.coerce.number().int().min(1_000).default(20_000),
  // Alerts (edge/notify): Pushover when token and user key are set, the log otherwise; one alert per subject per window.
  PUSHOVER_TOKEN: z.string().min(1).optional(),
  PUSHOVER_USER: z.string().min(1).optional(),
  PUSHOVER_URL: url(['https:', 'http:']).optional(),
  KRAITE_ALERT_THROTTLE_MS: z.coerce.number().int().min(0).default(15 * 60_000),
  // Telegram (Bot API) and Discord (webhook) beside Pushover. TELEGRAM_CHAT_IDS: the chats that receive alerts and the
  // only ones whose commands (/status, /positions, /pnl, /pause, /resume) are obeyed.
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'must look like 123456:ABC-def (from @BotFather)').optional(),
  TELEGRAM_CHAT_IDS: z.string().regex(/^-?\d+(\s*,\s*-?\d+)*$/, 'must be a comma list of chat ids').optional()
    .transform((v) => (v === undefined ? [] : v.split(',').map((id) => Number(id.trim())))),
  TELEGRAM_API_URL: url(['https:', 'http:']).optional(),
  DISCORD_WEBHOOK_URL: url(['https:', 'http:']).optional(),
  // Channels per severity (comma lists of pushover, telegram, discord, log); unset: info goes to Telegram and Discord (else Pushover),
  // warning and critical to every configured channel; the log when none is configured.
  KRAITE_NOTIFY_INFO: CHANNEL_LIST,
  KRAITE_NOTIFY_WARNING: CHANNEL_LIST,
  KRAITE_NOTIFY_CRITICAL: CHANNEL_LIST,
  // Fleet heartbeat and maintenance sentinel (edge/scheduler, core/scheduler/handlers). Every fleet
  // process beats every KRAITE_HEARTBEAT_EVERY_MS and watches the others' beats as often; a box
  // that never beat is paged only once the watcher has been up for KRAITE_HEARTBEAT_COLD_START_MS.
  KRAITE_HEARTBEAT_STALE_MS: z.coerce.number().int().min(1000).default(3 * 60_000),
  KRAITE_HEARTBEAT_EVERY_MS: z.coerce.number().int().min(100).default(60_000),
  KRAITE_HEARTBEAT_COLD_START_MS: z.coerce.number().int().min(0).default(5 * 60_000),
  // Scheduler: at start, an entry's latest slot missed less than this long ago (and within one
  // cadence) fires at once; 0 turns catch-up off.
  KRAITE_SCHEDULE_CATCHUP_MS: z.coerce.number().int().min(0).default(15 * 60_000),
  // A deploy cooldown lasting longer than this pages the operator (fleet in maintenance).
  KRAITE_MAINTENANCE_PAGE_MS: z.coerce.number().int().min(1000).default(30 * 60_000),
  // Mark-price daemon (edge/streams/mark-price): stream base URL (unset: derived from KRAITE_EXCHANGE_URL, else
  // wss://fstream.binance.com) and the stale-price alert threshold.
  KRAITE_MARK_PRICE_WS_URL: url(['ws:', 'wss:']).optional(),
  KRAITE_MARK_PRICE_STALE_MS: z.coerce.number().int().min(1000).default(2 * 60_000),
  // A trading account's user-data stream silent (no frame or ping) this long raises an alert.
  KRAITE_USER_DATA_STALE_MS: z.coerce.number().int().min(60_000).default(10 * 60_000),
  // User-data daemon (edge/streams/user-data): stream base (unset: derived from KRAITE_EXCHANGE_URL), execution
  // types to enqueue (comma list, "default", or "none" = shadow mode), handshake spacing across accounts.
  KRAITE_USER_DATA_WS_URL: url(['ws:', 'wss:']).optional(),
  KRAITE_USER_DATA_ALLOWLIST: z.string().optional().transform((v, ctx) => {
    try {
      return parseAllowlist(v);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^KRAITE_USER_DATA_ALLOWLIST: /, '') });
      return z.NEVER;
    }
  }),
  KRAITE_USER_DATA_STAGGER_MS: z.coerce.number().int().min(0).default(100),
  // Indicators (core/market): with a TAAPI secret, directions come from TAAPI under the fleet-wide Redis
  // limiter (68 per 15 s, 221 ms apart); unset: the local provider computes them from stored klines.
  TAAPI_SECRET: z.string().min(1).optional(),
  TAAPI_URL: url(['https:', 'http:']).default('https://api.taapi.io'),
}).superRefine((c, ctx) => {
  // One late beat must not look like a dead worker.
  if (c.KRAITE_STALE_RUNNING_MS < 2 * c.KRAITE_STEP_HEARTBEAT_MS) {
    ctx.addIssue({ code: 'custom', path: ['KRAITE_STALE_RUNNING_MS'], message: `must be at least twice KRAITE_STEP_HEARTBEAT_MS (${c.KRAITE_STEP_HEARTBEAT_MS} ms)` });
  }
  // Paper trading follows a market only on the embedded simulator: against an exchange the orders would be real.
  if (c.KRAITE_PAPER_MARKET_URL && c.KRAITE_EXCHANGE_URL) {
    ctx.addIssue({ code: 'custom', path: ['KRAITE_PAPER_MARKET_URL'], message: 'paper trading on live prices runs on the embedded simulator: unset KRAITE_EXCHANGE_URL (it sends orders to that exchange), or unset this' });
  }
  if (c.KRAITE_PAPER_MARKET_WS_URL && !c.KRAITE_PAPER_MARKET_URL) {
    ctx.addIssue({ code: 'custom', path: ['KRAITE_PAPER_MARKET_WS_URL'], message: 'is the stream base of KRAITE_PAPER_MARKET_URL: set that too' });
  }
  // A box beating less often than the limit would page itself dead between two beats.
  if (c.KRAITE_HEARTBEAT_EVERY_MS >= c.KRAITE_HEARTBEAT_STALE_MS) {
    ctx.addIssue({ code: 'custom', path: ['KRAITE_HEARTBEAT_EVERY_MS'], message: `must be shorter than KRAITE_HEARTBEAT_STALE_MS (${c.KRAITE_HEARTBEAT_STALE_MS})` });
  }
});

/** The schema itself, for the generated configuration reference (docs/configuration.md). */
export const configSchema = schema;

/** The validated process configuration. */
export type KraiteConfig = z.output<typeof schema>;

/** Parses the environment with `schema`; empty strings count as unset. Throws a ValidationError naming the variable. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(`config ${issue.path.join('.')}: ${issue.message}`, 'INVALID_CONFIG');
  }
  return parsed.data;
}

/** Reads the configuration; empty strings count as unset. Throws a ValidationError naming the field. */
export function loadConfig(env: Record<string, string | undefined>): KraiteConfig {
  return parseEnv(schema, env);
}
