// Timing rules of a daemon holding many exchange sockets: exponential reconnect backoff, a pacer
// that spaces handshakes so a restart (or a mass disconnect) never bursts N connections from one
// IP, and a memory ceiling that grows with the number of accounts. Pure functions of time.

/**
 * While an account's socket is down nothing tells us what the exchange did (a stop that triggered,
 * rungs filling behind it): the account is reconciled this often until the socket is back.
 */
export const DOWN_SYNC_MS = 15_000;

/** Backoff of the n-th consecutive failed attempt (0-based): 2^n seconds, capped. */
export function reconnectDelayMs(attempt: number, capMs = 30_000): number {
  return Math.min(2 ** Math.max(0, attempt) * 1000, capMs);
}

/**
 * Hands out start times at least `spacingMs` apart: the first caller starts now, the next one
 * `spacingMs` later, and so on. Binance allows 300 connection attempts per 5 minutes per IP; the
 * default spacing (100 ms) keeps a 200-account restart at 20 s and well under that limit.
 */
export class ConnectPacer {
  private next = -Infinity;

  constructor(readonly spacingMs = 100) {}

  /** The earliest time ≥ `notBefore` that is free; reserves it. */
  reserve(notBefore: number): number {
    const at = Math.max(notBefore, this.next);
    this.next = at + this.spacingMs;
    return at;
  }
}

/** The memory ceiling for `accounts` sockets: a fixed base plus a share per account. */
export function memoryCeilingBytes(accounts: number, options: { baseMb?: number; perAccountMb?: number } = {}): number {
  const mb = (options.baseMb ?? 160) + (options.perAccountMb ?? 0.4) * accounts;
  return Math.round(mb * 1024 * 1024);
}
