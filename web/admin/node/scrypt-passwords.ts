// The Node password hasher: scrypt with a 16-byte random salt per hash and a constant-time compare.
// Stored as `scrypt$N$r$p$salt$hash` (base64), so the cost can rise later without breaking old hashes.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHasher } from '../passwords.port.ts';

/** scrypt cost parameters. */
export interface ScryptCostOptions {
  /** CPU/memory cost, a power of two (default 2^15: about 32 MiB and ~100 ms per hash). */
  N: number;
  r: number;
  p: number;
}

/** The production cost. */
export const DEFAULT_SCRYPT_COST: ScryptCostOptions = { N: 2 ** 15, r: 8, p: 1 };

const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, cost: ScryptCostOptions): Promise<Buffer> {
  // maxmem must exceed 128·N·r bytes; Node's 32 MiB default is exactly the default cost's need.
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** A PasswordHasher on node:crypto scrypt. */
export function scryptPasswordHasher(cost: ScryptCostOptions = DEFAULT_SCRYPT_COST): PasswordHasher {
  return {
    async hash(password) {
      const salt = randomBytes(16);
      const key = await derive(password, salt, cost);
      return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
    },
    async verify(password, stored) {
      const parts = stored.split('$');
      if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
      const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
      // Bounds keep a corrupted row from asking for gigabytes.
      if (![N, r, p].every(Number.isInteger) || N < 2 || N > 2 ** 20 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return false;
      const salt = Buffer.from(parts[4]!, 'base64');
      const expected = Buffer.from(parts[5]!, 'base64');
      if (salt.length < 8 || expected.length !== KEY_LENGTH) return false;
      const actual = await derive(password, salt, { N, r, p });
      return timingSafeEqual(actual, expected);
    },
  };
}
