// User-data stream listen keys: one per account, valid 60 minutes from creation or the last
// keepalive; an expired key publishes `listenKeyExpired` and stops resolving.
import { seededRandom } from '../ports/ids.ts';
import { errors } from './sim-error.ts';
import type { SimState } from './sim-state.ts';
import { listenKeyExpired } from './user-events.ts';

/** Binance's listen key validity. */
export const LISTEN_KEY_TTL_MS = 60 * 60_000;

interface KeyState {
  apiKey: string;
  expiresAt: number;
}

/** Listen keys of every account. */
export class ListenKeys {
  private readonly keys = new Map<string, KeyState>();
  private readonly random: () => number;

  constructor(private readonly state: SimState, seed: number, private readonly ttlMs = LISTEN_KEY_TTL_MS) {
    this.random = seededRandom(seed ^ 0x5f3759df);
  }

  private activeKeyOf(apiKey: string): string | undefined {
    for (const [key, s] of this.keys) if (s.apiKey === apiKey) return key;
    return undefined;
  }

  private newKey(): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let key = '';
    for (let i = 0; i < 64; i++) key += alphabet[Math.floor(this.random() * alphabet.length)];
    return key;
  }

  /** POST: returns the account's active key (extended) or a new one. */
  create(apiKey: string): string {
    this.expire();
    const key = this.activeKeyOf(apiKey) ?? this.newKey();
    this.keys.set(key, { apiKey, expiresAt: this.state.time() + this.ttlMs });
    return key;
  }

  /** PUT: extends the account's key by another 60 minutes; -1125 when it has none. */
  keepalive(apiKey: string): string {
    this.expire();
    const key = this.activeKeyOf(apiKey);
    if (!key) throw errors.listenKeyMissing();
    this.keys.get(key)!.expiresAt = this.state.time() + this.ttlMs;
    return key;
  }

  /** DELETE: closes the account's key (connections on it are dropped by the transport). */
  close(apiKey: string): void {
    const key = this.activeKeyOf(apiKey);
    if (key) this.keys.delete(key);
  }

  /** The account a live key belongs to. */
  resolve(listenKey: string): string | undefined {
    this.expire();
    return this.keys.get(listenKey)?.apiKey;
  }

  /** Expires keys past their validity, publishing `listenKeyExpired` for each. */
  expire(): void {
    const now = this.state.time();
    for (const [key, s] of [...this.keys]) {
      if (s.expiresAt > now) continue;
      this.keys.delete(key);
      this.state.emit({ kind: 'listen-key-expired', apiKey: s.apiKey, listenKey: key, frame: listenKeyExpired(key, this.state.now()) });
    }
  }

  /** Moves a key's expiry (tests and scenarios: expire a key without waiting an hour). */
  setExpiry(listenKey: string, at: number): void {
    const s = this.keys.get(listenKey);
    if (s) s.expiresAt = at;
  }
}
