// Rate-limit governors for the exchange: request weight per egress IP and order count per account.
// They never sleep: a request that would cross the budget gets a wait, which the caller turns into
// a throttle reschedule of its step. Adapters: in-memory (one process) and Redis (a whole box).

/** The answer to "may I send this now?". */
export type Grant = { ok: true } | { ok: false; waitMs: number; reason: WaitReason };

/** Why a request has to wait. */
export type WaitReason = 'weight' | 'paused' | 'banned' | 'orders-10s' | 'orders-1m';

/** The egress IP to use, or how long until any candidate can take the request. */
export type IpChoice = { ip: string; headroom: number } | { ip: null; waitMs: number; reason: WaitReason };

/** Budgets; defaults are Binance USDⓈ-M's published limits. */
export interface GovernorLimits {
  /** REQUEST_WEIGHT per IP per minute (2400). */
  weightPerMinute: number;
  /** ORDERS per account per 10 s (300). */
  ordersPer10s: number;
  /** ORDERS per account per minute (1200). */
  ordersPerMinute: number;
  /** Fraction of each limit we allow ourselves (0.9): the exchange's counters and ours drift. */
  safety: number;
}

/** Binance USDⓈ-M limits with a 10 % margin. */
export const BINANCE_LIMITS: GovernorLimits = { weightPerMinute: 2400, ordersPer10s: 300, ordersPerMinute: 1200, safety: 0.9 };

/** Usable budget after the safety margin. */
export function budget(limit: number, safety: number): number {
  return Math.max(1, Math.floor(limit * safety));
}

/** One egress IP as the admin sees it. */
export interface IpState {
  ip: string;
  /** Start of the current one-minute window (epoch ms). */
  windowStart: number;
  used: number;
  budget: number;
  /** A 429 told us to stop until then. */
  pausedUntil: number | null;
  /** A 418 banned the IP until then. */
  bannedUntil: number | null;
  /** Requests turned away in the current window. */
  waits: number;
}

/** One account's order counters. */
export interface AccountOrderState {
  account: string;
  used10s: number;
  budget10s: number;
  used1m: number;
  budget1m: number;
  waits: number;
}

/** Everything the governor knows, for the admin. */
export interface GovernorState {
  at: number;
  ips: IpState[];
  accounts: AccountOrderState[];
}

/** Request weight per egress IP (Binance counts weight per IP, not per key). */
export interface WeightGovernor {
  /** Pre-charges `weight` on `ip` if it fits the budget and the IP is not paused or banned. */
  acquire(ip: string, weight: number): Promise<Grant>;
  /** The candidate with the most headroom that can take `weight` now (no charge). */
  pickIp(candidates: readonly string[], weight: number): Promise<IpChoice>;
  /** Corrects from the exchange's X-MBX-USED-WEIGHT-1M; never lowers our own count. */
  observeWeight(ip: string, usedWeight1m: number): Promise<void>;
  /** After a 429: stop using the IP until `until`. */
  pause(ip: string, until: number): Promise<void>;
  /** After a 418: the IP is banned until `until`; pickIp routes around it. */
  ban(ip: string, until: number): Promise<void>;
}

/** Order count per account (extra IPs do not help here). */
export interface OrderRateGovernor {
  /** Pre-charges `count` orders against both the 10 s and the 1 min windows. */
  acquireOrders(account: string, count: number): Promise<Grant>;
  /** Corrects from X-MBX-ORDER-COUNT-10S / -1M; never lowers our own count. */
  observeOrders(account: string, counts: { count10s?: number; count1m?: number }): Promise<void>;
}

/** Both governors plus the admin view; what the exchange client takes. */
export interface ExchangeGovernor extends WeightGovernor, OrderRateGovernor {
  state(): Promise<GovernorState>;
}

/** Start of the fixed window `now` falls in (Binance's counters reset on interval boundaries). */
export function windowStart(now: number, windowMs: number): number {
  return now - (now % windowMs);
}

/** What pickIp needs to know about one candidate. */
export interface IpSnapshot {
  ip: string;
  used: number;
  pausedUntil: number | null;
  bannedUntil: number | null;
}

/** The rule both adapters use: skip banned and paused IPs, prefer the most headroom, else the shortest wait. */
export function chooseIp(snapshots: readonly IpSnapshot[], weight: number, now: number, weightBudget: number, windowEnd: number): IpChoice {
  if (snapshots.length === 0) throw new RangeError('pickIp needs at least one candidate IP');
  let best: { ip: string; headroom: number } | null = null;
  let wait: { waitMs: number; reason: WaitReason } | null = null;
  const consider = (waitMs: number, reason: WaitReason) => {
    if (!wait || waitMs < wait.waitMs) wait = { waitMs, reason };
  };
  for (const s of snapshots) {
    if (s.bannedUntil !== null && s.bannedUntil > now) consider(s.bannedUntil - now, 'banned');
    else if (s.pausedUntil !== null && s.pausedUntil > now) consider(s.pausedUntil - now, 'paused');
    else if (s.used > 0 && s.used + weight > weightBudget) consider(windowEnd - now, 'weight');
    else if (!best || weightBudget - s.used > best.headroom) best = { ip: s.ip, headroom: weightBudget - s.used };
  }
  if (best) return best;
  const w = wait as unknown as { waitMs: number; reason: WaitReason };
  return { ip: null, ...w };
}
