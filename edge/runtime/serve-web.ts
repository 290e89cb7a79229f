// Serves Hono apps on Node and reports the URLs they listen on: one app (serveWeb), or everything a
// web box runs beside its status page (serveWebApps: the admin with first-run credentials, the
// fleet's heartbeats and, with Redis, the bull-board queue dashboard; the trader console, the
// marketing site and the docs site, one port each).
import type { ExchangeGovernor } from '../../core/governor/weight-governor.port.ts';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import { allInOne } from '../../core/fleet/topology.ts';
import { systemClock } from '../../core/ports/clock.ts';
import { createAdminApp } from '../../web/admin/admin-app.ts';
import type { AuditLog } from '../../web/admin/audit.port.ts';
import type { LoginThrottle } from '../../web/admin/login-throttle.port.ts';
import { engineFleet } from '../../web/admin/engine-fleet.ts';
import { ensureFirstOperator, type FirstRunUserStore } from '../../web/admin/first-run.ts';
import type { PasswordHasher } from '../../web/admin/passwords.port.ts';
import { MemoryAdminSessionStore, MemoryAdminUserStore, MemoryAuditLog } from '../../web/admin/memory-stores.ts';
import { nodeClientAddress } from '../../web/admin/node/client-address.ts';
import type { QueueBoard } from '../../web/admin/node/queue-board.ts';
import { scryptPasswordHasher } from '../../web/admin/node/scrypt-passwords.ts';
import type { AdminSessionStore } from '../../web/admin/sessions.port.ts';
import type { SqlExecutor } from '../../web/admin/sql-executor.port.ts';
import { unavailableSqlExecutor } from '../../web/admin/unavailable-sql.ts';
import type { AdminUserStore } from '../../web/admin/users.port.ts';
import { createSiteApp } from '../../web/site/site-app.ts';
import { MemoryConsoleDirectory, type ConsoleDeps } from '../../web/console/console-deps.ts';
import { createConsoleApp } from '../../web/console/console-app.ts';
import { enginePositionControl } from '../../web/console/engine-control.ts';
import { nodeChartLibrary } from '../../web/assets/node/chart-library.ts';
import { importCredentialsKey } from '../../core/trading/credentials.ts';
import { redisOptions } from '../adapters/bullmq/redis-connection.ts';
import type { Backends } from './backends.ts';
import type { FirstRunLogin } from './startup-banner.ts';
import type { KraiteConfig } from './config.ts';
import type { FleetProcess, ProcessPlan } from './fleet-process.ts';

/** A listening web server. */
export interface WebServer {
  url: string;
  close(): Promise<void>;
}

/** Listens on host:port (port 0 picks a free one). */
export function serveWeb(app: Hono<any>, host: string, port: number): Promise<WebServer> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(new Error(`cannot listen on ${host}:${port}: ${error.message}`));
    const server: ServerType = serve({ fetch: app.fetch, hostname: host, port }, (info) => {
      server.off('error', onError);
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`,
        close: () => new Promise<void>((done) => {
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          server.close(() => done());
        }),
      });
    });
    server.once('error', onError);
  });
}

/** The other apps a web box serves beside the status page. */
export interface WebAppsOptions {
  backends: Backends;
  plan: ProcessPlan;
  fleet: FleetProcess;
  /** The exchange governor of this process, for the dashboard's weight panel. */
  governor?: Pick<ExchangeGovernor, 'state'>;
  /** Embedded paper trading's demo account: the console's first-run trader is linked to it. */
  paperAccount?: Promise<number> | null;
}

/** The started apps: what to print, and how to stop them. */
export interface WebApps {
  admin: WebServer;
  site: WebServer;
  docs: WebServer;
  console: WebServer;
  /** The sign-ins made at first run, for the start banner (null: none made). */
  firstRun: { admin: FirstRunLogin | null; console: FirstRunLogin | null };
  /** Lines for the start banner about web features that are off, and why. */
  notes: string[];
  close(): Promise<void>;
}

/** An app's port: its own variable, else KRAITE_PORT + offset (0 stays 0 so tests get free ports). */
export function appPort(own: number | undefined, base: number, offset: number): number {
  return own ?? (base === 0 ? 0 : base + offset);
}

/** The stores the admin and the console run on. */
interface WebPorts {
  users: AdminUserStore & FirstRunUserStore;
  sessions: AdminSessionStore;
  audit: AuditLog;
  sql: SqlExecutor;
  sqlUnavailable: string | null;
  console: Pick<ConsoleDeps, 'users' | 'sessions' | 'directory'>;
  /** The console's in-memory stores (embedded mode, where `kraite admin:create-trader` cannot reach them). */
  embeddedConsole?: { users: MemoryAdminUserStore; directory: MemoryConsoleDirectory };
  close(): Promise<void>;
}

/** MySQL-backed ports when DATABASE_URL is set (the SQL console on its read-only user), else in memory. */
async function openWebPorts(config: KraiteConfig): Promise<WebPorts> {
  if (config.DATABASE_URL) {
    const { openMySqlAdminPorts } = await import('../adapters/mysql/admin-ports.ts');
    const { MySqlAdminUserStore } = await import('../adapters/mysql/admin-user-store.ts');
    const { MySqlAdminSessionStore } = await import('../adapters/mysql/admin-session-store.ts');
    const { MySqlConsoleDirectory } = await import('../adapters/mysql/admin-console-directory.ts');
    const mysql = await openMySqlAdminPorts({ url: config.DATABASE_URL, readOnlyUser: config.KRAITE_SQL_CONSOLE_USER });
    return {
      ...mysql,
      console: { users: new MySqlAdminUserStore(mysql.pool, 'console_users'), sessions: new MySqlAdminSessionStore(mysql.pool, 'console_sessions'), directory: new MySqlConsoleDirectory(mysql.pool) },
    };
  }
  const reason = 'the embedded mode has no SQL database (set DATABASE_URL to use MySQL)';
  const embeddedConsole = { users: new MemoryAdminUserStore(), directory: new MemoryConsoleDirectory() };
  return {
    users: new MemoryAdminUserStore(), sessions: new MemoryAdminSessionStore(), audit: new MemoryAuditLog(), sql: unavailableSqlExecutor(reason), sqlUnavailable: reason,
    console: { ...embeddedConsole, sessions: new MemoryAdminSessionStore() },
    embeddedConsole,
    close: async () => {},
  };
}

/** With Redis, login throttles shared by every web process and kept across restarts (one per app); else none (each app keeps one in memory). */
async function openLoginThrottles(config: KraiteConfig): Promise<{ admin: LoginThrottle; console: LoginThrottle; close(): Promise<void> } | null> {
  if (!config.REDIS_URL) return null;
  const { Redis } = await import('ioredis');
  const { RedisLoginThrottle } = await import('../adapters/redis/redis-login-throttle.ts');
  // Fail fast while Redis is down: the throttle falls back to memory rather than hold a sign-in.
  const redis = new Redis({ ...redisOptions(config.REDIS_URL), maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', () => {});
  const at = (app: string) => new RedisLoginThrottle({ redis, clock: systemClock, keyPrefix: `${config.KRAITE_QUEUE_PREFIX}:login:${app}` });
  return { admin: at('admin'), console: at('console'), close: async () => void (await redis.quit().catch(() => redis.disconnect())) };
}

/** The bull-board queue dashboard over every physical queue when the queue is BullMQ; null in embedded mode. */
async function openQueueBoard(config: KraiteConfig, queues: string[]): Promise<QueueBoard | null> {
  if (!config.REDIS_URL) return null;
  const { createQueueBoard } = await import('../../web/admin/node/queue-board.ts');
  return createQueueBoard({ connection: redisOptions(config.REDIS_URL), prefix: config.KRAITE_QUEUE_PREFIX, queues });
}

/**
 * Embedded paper trading: a console trader linked to the demo account once it is seeded, so a new
 * user of `npm start` can open the console too (there is no database for admin:create-trader).
 */
async function firstDemoTrader(ports: WebPorts, passwords: PasswordHasher, paperAccount: Promise<number> | null | undefined): Promise<{ username: string; password: string } | null> {
  const stores = ports.embeddedConsole;
  if (!paperAccount || !stores) return null;
  const first = await ensureFirstOperator(stores.users, passwords, systemClock, 'trader');
  const user = first && (await stores.users.findByUsername(first.username));
  if (!first || !user) return null;
  void paperAccount.then((accountId) => stores.directory.grant(user.id, accountId));
  return first;
}

/** Serves the admin, the console and the two sites on a web box. */
export async function serveWebApps(o: WebAppsOptions): Promise<WebApps> {
  const { config, topology } = o.backends;
  const passwords = scryptPasswordHasher();
  const ports = await openWebPorts(config);
  const closers: (() => Promise<void>)[] = [() => ports.close()];
  const listen = async (app: Hono<any>, own: number | undefined, offset: number) => {
    const server = await serveWeb(app, config.KRAITE_HOST, appPort(own, config.KRAITE_PORT, offset));
    closers.unshift(() => server.close());
    return server;
  };
  try {
    const first = await ensureFirstOperator(ports.users, passwords, systemClock);
    const credentialsKey = config.KRAITE_CREDENTIALS_KEY ? await importCredentialsKey(config.KRAITE_CREDENTIALS_KEY) : null;
    const fleet = engineFleet({
      engine: o.fleet.engine, queue: o.backends.queue, daemon: o.fleet.daemon,
      // Every physical queue of the fleet, whichever box consumes it.
      queues: allInOne(topology).consumers.map((c) => ({ queue: c.queue, concurrency: o.plan.consumers.find((p) => p.queue === c.queue)?.concurrency ?? 0 })),
      boxes: o.plan.boxes, mode: o.backends.mode,
      // The beats the edge services publish and read (Redis with REDIS_URL, else this process's memory).
      heartbeats: o.fleet.edge?.state.heartbeats,
      governor: o.governor,
    });
    const queueBoard = await openQueueBoard(config, allInOne(topology).consumers.map((c) => c.queue));
    if (queueBoard) closers.push(() => queueBoard.close());
    const throttles = await openLoginThrottles(config);
    if (throttles) closers.push(() => throttles.close());
    const shared = { passwords, audit: ports.audit, clock: systemClock, clientAddress: nodeClientAddress({ trustedProxies: config.KRAITE_TRUSTED_PROXIES }) };
    const admin = await listen(createAdminApp({ ...shared, users: ports.users, sessions: ports.sessions, sql: ports.sql, fleet, credentialsKey, queueBoard: queueBoard?.app ?? null, loginThrottle: throttles?.admin, chartLibrary: nodeChartLibrary }, { allowInsecureLocalhostCookies: true }), config.KRAITE_ADMIN_PORT, 1);
    // Loaded here, not at import: the rendered pages and their screenshots (~0.8 MB of literals) are
    // parsed only by a process that serves the docs, not by every `kraite` command.
    const { createDocsApp } = await import('../../web/docs/docs-app.ts');
    const docs = await listen(createDocsApp(), config.KRAITE_DOCS_PORT, 3);
    const site = await listen(createSiteApp({ docsUrl: `${docs.url}/` }), config.KRAITE_SITE_PORT, 2);
    const trader = await listen(createConsoleApp({ ...shared, ...ports.console, store: o.backends.store, loginThrottle: throttles?.console, control: enginePositionControl(o.fleet.engine), chartLibrary: nodeChartLibrary }, { allowInsecureLocalhostCookies: true }), config.KRAITE_CONSOLE_PORT, 4);
    const demoTrader = await firstDemoTrader(ports, passwords, o.paperAccount);
    const firstRun = {
      admin: first && { ...first, note: config.DATABASE_URL ? `shown once; set your own with kraite admin:create-user --username ${first.username} --reset` : 'embedded mode: operators live in memory, so each start makes a new password' },
      console: demoTrader && { ...demoTrader, note: 'the paper-trading demo account; traders live in memory too' },
    };
    const notes = ports.sqlUnavailable ? [`admin SQL console: off: ${ports.sqlUnavailable}`] : [];
    return {
      admin, site, docs, console: trader, firstRun, notes,
      async close() {
        for (const close of closers) await close();
      },
    };
  } catch (error) {
    for (const close of closers) await close();
    throw error;
  }
}
