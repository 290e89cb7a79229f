// The in-memory exchange governor: one process, injected clock. Same rules as the Redis adapter
// (one contract suite runs against both), for local mode, unit tests and single-process boxes.
import type { Clock } from '../../ports/clock.ts';
import {
  BINANCE_LIMITS, budget, chooseIp, windowStart,
  type ExchangeGovernor, type GovernorLimits, type GovernorState, type Grant, type IpChoice,
} from '../../governor/weight-governor.port.ts';

const MINUTE = 60_000;
const TEN_S = 10_000;

interface IpEntry {
  win: number;
  used: number;
  waits: number;
  pausedUntil: number | null;
  bannedUntil: number | null;
}

interface AccountEntry {
  win10: number;
  used10: number;
  win60: number;
  used60: number;
  /** Turned-away order requests in the current minute. */
  waits: number;
}

/** Options for the in-memory governor. */
export interface MemoryWeightGovernorOptions {
  clock: Clock;
  limits?: Partial<GovernorLimits>;
}

/** Weight per IP and orders per account, held in this process. */
export class MemoryWeightGovernor implements ExchangeGovernor {
  private readonly clock: Clock;
  private readonly limits: GovernorLimits;
  private readonly ips = new Map<string, IpEntry>();
  private readonly accounts = new Map<string, AccountEntry>();

  constructor(options: MemoryWeightGovernorOptions) {
    this.clock = options.clock;
    this.limits = { ...BINANCE_LIMITS, ...options.limits };
  }

  private get weightBudget(): number {
    return budget(this.limits.weightPerMinute, this.limits.safety);
  }

  private ip(ip: string, now: number): IpEntry {
    const win = windowStart(now, MINUTE);
    let e = this.ips.get(ip);
    if (!e) this.ips.set(ip, (e = { win, used: 0, waits: 0, pausedUntil: null, bannedUntil: null }));
    if (e.win !== win) Object.assign(e, { win, used: 0, waits: 0 });
    return e;
  }

  private account(account: string, now: number): AccountEntry {
    const win10 = windowStart(now, TEN_S);
    const win60 = windowStart(now, MINUTE);
    let e = this.accounts.get(account);
    if (!e) this.accounts.set(account, (e = { win10, used10: 0, win60, used60: 0, waits: 0 }));
    if (e.win10 !== win10) Object.assign(e, { win10, used10: 0 });
    if (e.win60 !== win60) Object.assign(e, { win60, used60: 0, waits: 0 });
    return e;
  }

  async acquire(ip: string, weight: number): Promise<Grant> {
    const now = this.clock.now();
    const e = this.ip(ip, now);
    let denied: Grant | null = null;
    if (e.bannedUntil !== null && e.bannedUntil > now) denied = { ok: false, waitMs: e.bannedUntil - now, reason: 'banned' };
    else if (e.pausedUntil !== null && e.pausedUntil > now) denied = { ok: false, waitMs: e.pausedUntil - now, reason: 'paused' };
    // An idle IP takes even an oversized request: waiting would never make it fit.
    else if (e.used > 0 && e.used + weight > this.weightBudget) denied = { ok: false, waitMs: e.win + MINUTE - now, reason: 'weight' };
    if (denied) {
      e.waits += 1;
      return denied;
    }
    e.used += weight;
    return { ok: true };
  }

  async pickIp(candidates: readonly string[], weight: number): Promise<IpChoice> {
    const now = this.clock.now();
    const snapshots = candidates.map((ip) => ({ ip, ...this.ip(ip, now) }));
    return chooseIp(snapshots, weight, now, this.weightBudget, windowStart(now, MINUTE) + MINUTE);
  }

  async observeWeight(ip: string, usedWeight1m: number): Promise<void> {
    const e = this.ip(ip, this.clock.now());
    e.used = Math.max(e.used, usedWeight1m);
  }

  async pause(ip: string, until: number): Promise<void> {
    const e = this.ip(ip, this.clock.now());
    e.pausedUntil = Math.max(e.pausedUntil ?? 0, until);
  }

  async ban(ip: string, until: number): Promise<void> {
    const e = this.ip(ip, this.clock.now());
    e.bannedUntil = Math.max(e.bannedUntil ?? 0, until);
  }

  async acquireOrders(account: string, count: number): Promise<Grant> {
    const now = this.clock.now();
    const e = this.account(account, now);
    const b60 = budget(this.limits.ordersPerMinute, this.limits.safety);
    const b10 = budget(this.limits.ordersPer10s, this.limits.safety);
    let denied: Grant | null = null;
    if (e.used60 > 0 && e.used60 + count > b60) denied = { ok: false, waitMs: e.win60 + MINUTE - now, reason: 'orders-1m' };
    else if (e.used10 > 0 && e.used10 + count > b10) denied = { ok: false, waitMs: e.win10 + TEN_S - now, reason: 'orders-10s' };
    if (denied) {
      e.waits += 1;
      return denied;
    }
    e.used10 += count;
    e.used60 += count;
    return { ok: true };
  }

  async observeOrders(account: string, counts: { count10s?: number; count1m?: number }): Promise<void> {
    const e = this.account(account, this.clock.now());
    if (counts.count10s !== undefined) e.used10 = Math.max(e.used10, counts.count10s);
    if (counts.count1m !== undefined) e.used60 = Math.max(e.used60, counts.count1m);
  }

  async state(): Promise<GovernorState> {
    const now = this.clock.now();
    const live = (t: number | null) => (t !== null && t > now ? t : null);
    const ips = [...this.ips.keys()].sort().map((ip) => {
      const e = this.ip(ip, now);
      return { ip, windowStart: e.win, used: e.used, budget: this.weightBudget, pausedUntil: live(e.pausedUntil), bannedUntil: live(e.bannedUntil), waits: e.waits };
    });
    const accounts = [...this.accounts.keys()].sort().map((account) => {
      const e = this.account(account, now);
      return {
        account, used10s: e.used10, budget10s: budget(this.limits.ordersPer10s, this.limits.safety),
        used1m: e.used60, budget1m: budget(this.limits.ordersPerMinute, this.limits.safety), waits: e.waits,
      };
    });
    return { at: now, ips, accounts };
  }
}
