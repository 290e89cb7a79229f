// Readiness: is this process able to do its work right now? Each check has a short deadline so a
// hung dependency reads as down instead of hanging the probe; the answer names what is wrong.
import { Redis } from 'ioredis';
import type { DispatchDaemon } from '../../core/steps/dispatch-daemon.ts';
import type { RowReader } from '../../core/steps/step-store.port.ts';
import { redisOptions } from '../adapters/bullmq/redis-connection.ts';
import type { MarkPriceStats } from '../streams/mark-price/mark-price-daemon.ts';
import type { BackgroundUserData } from '../streams/user-data/start-user-data.ts';

/** One dependency's state. */
export interface CheckResult {
  ok: boolean;
  detail?: string;
}

/** The body of /health/ready. */
export interface Readiness {
  ok: boolean;
  checks: Record<string, CheckResult>;
  /** Names of the failing checks, for a one-glance answer. */
  failing: string[];
}

/** A named readiness check. */
export type Check = () => Promise<CheckResult>;

function within(ms: number, check: Check): Promise<CheckResult> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${ms} ms` }), ms);
    check().then(resolve, (error: unknown) => resolve({ ok: false, detail: (error as Error).message || String(error) })).finally(() => clearTimeout(timer));
  });
}

/** Runs every check at once, each under `deadlineMs`. */
export async function readiness(checks: Record<string, Check>, deadlineMs = 2_000): Promise<Readiness> {
  const entries = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await within(deadlineMs, check)] as const));
  const failing = entries.filter(([, r]) => !r.ok).map(([name]) => name);
  return { ok: failing.length === 0, checks: Object.fromEntries(entries), failing };
}

/** The database answers a one-row read. */
export function databaseCheck(rows: RowReader): Check {
  return async () => {
    await rows.findRows('accounts', {}, { limit: 1 });
    return { ok: true };
  };
}

/**
 * Redis answers PING on a connection of its own that refuses to queue commands while
 * disconnected, so an outage shows at once instead of after the queue's retries.
 */
export function redisCheck(redisUrl: string): Check & { close(): Promise<void> } {
  const redis = new Redis({ ...redisOptions(redisUrl), enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: false, retryStrategy: () => 500 });
  redis.on('error', () => undefined);
  const check = async (): Promise<CheckResult> => {
    const pong = await redis.ping();
    return pong === 'PONG' ? { ok: true } : { ok: false, detail: `PING answered ${pong}` };
  };
  return Object.assign(check, { close: async () => void redis.disconnect() });
}

/** The dispatch daemon has finished a tick within `boundMs`. */
export function dispatcherCheck(daemon: DispatchDaemon, boundMs: number, now: () => number = Date.now): Check {
  const startedAt = now();
  return async () => {
    const last = daemon.stats.lastTickAt ?? startedAt;
    const lag = now() - last;
    return lag <= boundMs ? { ok: true, detail: `last tick ${lag} ms ago` } : { ok: false, detail: `last tick ${lag} ms ago (bound ${boundMs} ms)` };
  };
}

/** The user-data streams this process owns started and have at least one socket open when accounts trade. */
export function userDataCheck(userData: BackgroundUserData): Check {
  return async () => {
    const s = userData.status();
    if (s === 'off') return { ok: true, detail: 'not started: the paper exchange feeds frames in-process' };
    if (s === 'starting') return { ok: true, detail: 'starting' };
    if (s === 'failed') return { ok: false, detail: 'the daemon could not start (see the log)' };
    if (s.accounts > 0 && s.open === 0) return { ok: false, detail: `none of ${s.accounts} account stream(s) open` };
    return { ok: true, detail: `${s.open} of ${s.accounts} open` };
  };
}

/** Something answers a trivial query (a pool of its own: the mark-price process has no step store). */
export function pingCheck(ping: () => Promise<unknown>): Check {
  return async () => {
    await ping();
    return { ok: true };
  };
}

/** The mark-price stream has delivered a data frame within `boundMs` (it sends one a second). */
export function markPriceCheck(stats: MarkPriceStats, boundMs: number, now: () => number = Date.now): Check {
  return async () => {
    const silent = now() - stats.lastDataAt;
    const what = stats.frames === 0 ? `no data frame yet (${silent} ms since start)` : `last data frame ${silent} ms ago`;
    return silent <= boundMs ? { ok: true, detail: what } : { ok: false, detail: `${what} (bound ${boundMs} ms)` };
  };
}
