// What the admin app is built from: ports (stores, hasher, executor, audit, clock) and options.
import type { Context, Hono } from 'hono';
import type { Clock } from '../../core/ports/clock.ts';
import type { ChartLibrarySource } from '../assets/asset-routes.ts';
import type { AuditLog } from './audit.port.ts';
import type { LiveOptions } from './live-routes.ts';
import type { AdminFleet } from './fleet.port.ts';
import type { LoginThrottle, LoginThrottleOptions } from './login-throttle.port.ts';
import type { PasswordHasher } from './passwords.port.ts';
import type { AdminSession, AdminSessionStore } from './sessions.port.ts';
import type { SqlExecutor, SqlLimits } from './sql-executor.port.ts';
import type { AdminUserStore } from './users.port.ts';

/** The ports the admin runs on; tests pass in-memory ones. */
export interface AdminDeps {
  users: AdminUserStore;
  sessions: AdminSessionStore;
  passwords: PasswordHasher;
  /** Runs console statements on the read-only connection. */
  sql: SqlExecutor;
  audit: AuditLog;
  clock: Clock;
  /** The running fleet: steps, queues, dispatcher, trading rows, commands. */
  fleet: AdminFleet;
  /** Decrypts account credentials for masked display (last four characters); without it, all are `****`. */
  credentialsKey?: CryptoKey | null;
  /** The queue dashboard (bull-board over BullMQ, ./node/queue-board.ts) mounted under /queues; absent in embedded mode. */
  queueBoard?: Hono | null;
  /** The client's address for the login throttle and the audit (node/client-address.ts); null when unknown. */
  clientAddress?: (c: Context) => string | null;
  /** A shared login throttle (Redis with REDIS_URL); absent: one in this process's memory. */
  loginThrottle?: LoginThrottle | null;
  /** The chart library's text (web/assets/node/chart-library.ts on Node); absent: the charts stay empty boxes with their captions. */
  chartLibrary?: ChartLibrarySource | null;
}

/** Tunables, all with safe defaults. */
export interface AdminOptions {
  /** Absolute session lifetime (default 8 hours). */
  sessionTtlMs?: number;
  /** Drop Secure from cookies on requests to http://localhost (development only; never elsewhere). */
  allowInsecureLocalhostCookies?: boolean;
  /** Tunables of the in-memory login throttle; defaults in login-throttle.port.ts. */
  loginThrottle?: Partial<LoginThrottleOptions>;
  sqlLimits?: SqlLimits;
  /** The live stream's poll interval and lifetime (live-routes.ts). */
  live?: LiveOptions;
}

/** Hono's environment for admin routes: the session set by the auth middleware. */
export type AdminEnv = { Variables: { session: AdminSession } };
