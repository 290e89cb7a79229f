// The exchange governor on Redis: every process of a box shares one weight counter per egress IP
// and one order counter per account. Checks and charges are atomic Lua scripts; time comes from
// the injected clock (the processes of a box share one system clock).
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Clock } from '../../../core/ports/clock.ts';
import {
  BINANCE_LIMITS, budget, chooseIp, windowStart,
  type ExchangeGovernor, type GovernorLimits, type GovernorState, type Grant, type IpChoice, type WaitReason,
} from '../../../core/governor/weight-governor.port.ts';
import { ACQUIRE_ORDERS, ACQUIRE_WEIGHT, BLOCK_IP, OBSERVE_ORDERS, OBSERVE_WEIGHT } from './governor-scripts.ts';

const MINUTE = 60_000;

/** Options for the Redis governor. */
export interface RedisWeightGovernorOptions {
  /** A connection the caller owns (and closes). */
  redis: Redis;
  clock: Clock;
  /** Namespace for every key, e.g. "kraite:gov" (no trailing colon). */
  keyPrefix?: string;
  limits?: Partial<GovernorLimits>;
}

/** Runs a script by SHA, loading it on NOSCRIPT (after a Redis restart or on a fresh server). */
async function run(redis: Redis, script: string, sha: string, keys: string[], args: (string | number)[]): Promise<unknown> {
  try {
    return await redis.evalsha(sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
    return redis.eval(script, keys.length, ...keys, ...args);
  }
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const SHAS = new Map([ACQUIRE_WEIGHT, OBSERVE_WEIGHT, BLOCK_IP, ACQUIRE_ORDERS, OBSERVE_ORDERS].map((s) => [s, sha1(s)]));

function grant(reply: unknown): Grant {
  const [ok, wait, reason] = reply as [number, string, string];
  return ok === 1 ? { ok: true } : { ok: false, waitMs: Number(wait), reason: reason as WaitReason };
}

const num = (v: string | null | undefined) => (v ? Number(v) : 0);

/** Weight per IP and orders per account, shared through Redis. */
export class RedisWeightGovernor implements ExchangeGovernor {
  private readonly redis: Redis;
  private readonly clock: Clock;
  private readonly prefix: string;
  private readonly limits: GovernorLimits;

  constructor(options: RedisWeightGovernorOptions) {
    this.redis = options.redis;
    this.clock = options.clock;
    this.prefix = options.keyPrefix ?? 'kraite:governor';
    this.limits = { ...BINANCE_LIMITS, ...options.limits };
  }

  private ipKeys(ip: string): string[] {
    return [`${this.prefix}:ip:${ip}`, `${this.prefix}:ips`];
  }

  private accountKeys(account: string): string[] {
    return [`${this.prefix}:acct:${account}`, `${this.prefix}:accts`];
  }

  private exec(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    return run(this.redis, script, SHAS.get(script)!, keys, args);
  }

  private get weightBudget(): number {
    return budget(this.limits.weightPerMinute, this.limits.safety);
  }

  async acquire(ip: string, weight: number): Promise<Grant> {
    return grant(await this.exec(ACQUIRE_WEIGHT, this.ipKeys(ip), [ip, this.clock.now(), weight, this.weightBudget]));
  }

  async pickIp(candidates: readonly string[], weight: number): Promise<IpChoice> {
    const now = this.clock.now();
    const rows = await this.readIps(candidates);
    const win = windowStart(now, MINUTE);
    const snapshots = candidates.map((ip, i) => {
      const [w, used, , paused, banned] = rows[i]!;
      return { ip, used: num(w) === win ? num(used) : 0, pausedUntil: paused ? Number(paused) : null, bannedUntil: banned ? Number(banned) : null };
    });
    return chooseIp(snapshots, weight, now, this.weightBudget, win + MINUTE);
  }

  async observeWeight(ip: string, usedWeight1m: number): Promise<void> {
    await this.exec(OBSERVE_WEIGHT, this.ipKeys(ip), [ip, this.clock.now(), usedWeight1m]);
  }

  async pause(ip: string, until: number): Promise<void> {
    await this.exec(BLOCK_IP, this.ipKeys(ip), [ip, this.clock.now(), 'paused', until]);
  }

  async ban(ip: string, until: number): Promise<void> {
    await this.exec(BLOCK_IP, this.ipKeys(ip), [ip, this.clock.now(), 'banned', until]);
  }

  async acquireOrders(account: string, count: number): Promise<Grant> {
    const b10 = budget(this.limits.ordersPer10s, this.limits.safety);
    const b60 = budget(this.limits.ordersPerMinute, this.limits.safety);
    return grant(await this.exec(ACQUIRE_ORDERS, this.accountKeys(account), [account, this.clock.now(), count, b10, b60]));
  }

  async observeOrders(account: string, counts: { count10s?: number; count1m?: number }): Promise<void> {
    await this.exec(OBSERVE_ORDERS, this.accountKeys(account), [account, this.clock.now(), counts.count10s ?? '', counts.count1m ?? '']);
  }

  private async readIps(ips: readonly string[]): Promise<(string | null)[][]> {
    if (ips.length === 0) return [];
    const pipe = this.redis.pipeline();
    for (const ip of ips) pipe.hmget(`${this.prefix}:ip:${ip}`, 'win', 'used', 'waits', 'paused', 'banned');
    const replies = (await pipe.exec()) ?? [];
    return replies.map(([error, row]) => {
      if (error) throw error;
      return row as (string | null)[];
    });
  }

  async state(): Promise<GovernorState> {
    const now = this.clock.now();
    const win = windowStart(now, MINUTE);
    const live = (v: string | null | undefined) => (v && Number(v) > now ? Number(v) : null);
    const ipNames = (await this.redis.smembers(`${this.prefix}:ips`)).sort();
    const ipRows = await this.readIps(ipNames);
    const ips = ipNames.map((ip, i) => {
      const [w, used, waits, paused, banned] = ipRows[i]!;
      const current = num(w) === win;
      return {
        ip, windowStart: win, used: current ? num(used) : 0, budget: this.weightBudget,
        pausedUntil: live(paused), bannedUntil: live(banned), waits: current ? num(waits) : 0,
      };
    });
    const accountNames = (await this.redis.smembers(`${this.prefix}:accts`)).sort();
    const pipe = this.redis.pipeline();
    for (const a of accountNames) pipe.hmget(`${this.prefix}:acct:${a}`, 'w10', 'u10', 'w60', 'u60', 'waits');
    const accountRows = accountNames.length ? ((await pipe.exec()) ?? []) : [];
    const w10 = windowStart(now, 10_000);
    const accounts = accountNames.map((account, i) => {
      const [error, row] = accountRows[i]!;
      if (error) throw error;
      const [a10, u10, a60, u60, waits] = row as (string | null)[];
      const minute = num(a60) === win;
      return {
        account,
        used10s: num(a10) === w10 ? num(u10) : 0, budget10s: budget(this.limits.ordersPer10s, this.limits.safety),
        used1m: minute ? num(u60) : 0, budget1m: budget(this.limits.ordersPerMinute, this.limits.safety),
        waits: minute ? num(waits) : 0,
      };
    });
    return { at: now, ips, accounts };
  }
}
