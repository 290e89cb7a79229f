// The Node password hasher: scrypt with a 16-byte random salt per hash and a constant-time compare.
// Stored as `scrypt$N$r$p$salt$hash` (base64), so the cost can rise without breaking old hashes:
// verify() reads the cost from the hash, needsRehash() tells the login to store a new one.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHasher } from '../passwords.port.ts';

/** scrypt cost parameters. */
export interface ScryptCostOptions {
  /** CPU/memory cost, a power of two (default 2^17: 128 MiB and a few hundred ms per hash). */
  N: number;
  r: number;
  p: number;
}

/** The production cost: OWASP's current minimum for scrypt (N = 2^17, r = 8, p = 1). */
export const DEFAULT_SCRYPT_COST: ScryptCostOptions = { N: 2 ** 17, r: 8, p: 1 };

/** The most memory one stored hash may ask for (a corrupted or hostile row must not ask for gigabytes). */
const MAX_HASH_MEMORY = 256 * 1024 * 1024;
const KEY_LENGTH = 32;

/** scrypt's working memory for a cost: 128·N·r bytes. */
function memoryFor(cost: ScryptCostOptions): number {
  return 128 * cost.N * cost.r;
}

function derive(password: string, salt: Buffer, cost: ScryptCostOptions): Promise<Buffer> {
  // maxmem must exceed 128·N·r (Node's 32 MiB default is below the production cost's 128 MiB).
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: memoryFor(cost) + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** The cost recorded in a stored hash, or null when it is not a well-formed, bounded scrypt hash. */
function parse(stored: string): { cost: ScryptCostOptions; salt: Buffer; expected: Buffer } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every(Number.isInteger) || N < 2 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return null;
  if (memoryFor({ N, r, p }) > MAX_HASH_MEMORY) return null;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (salt.length < 8 || expected.length !== KEY_LENGTH) return null;
  return { cost: { N, r, p }, salt, expected };
}

/** A PasswordHasher on node:crypto scrypt; tests pass a cheap cost, production uses the default. */
export function scryptPasswordHasher(cost: ScryptCostOptions = DEFAULT_SCRYPT_COST): PasswordHasher {
  if (memoryFor(cost) > MAX_HASH_MEMORY) throw new RangeError(`scrypt cost N=${cost.N} r=${cost.r} needs more than ${MAX_HASH_MEMORY / 2 ** 20} MiB`);
  return {
    async hash(password) {
      const salt = randomBytes(16);
      const key = await derive(password, salt, cost);
      return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
    },
    async verify(password, stored) {
      const parsed = parse(stored);
      if (!parsed) return false;
      return timingSafeEqual(await derive(password, parsed.salt, parsed.cost), parsed.expected);
    },
    needsRehash(stored) {
      const parsed = parse(stored);
      return !parsed || parsed.cost.N < cost.N || parsed.cost.r < cost.r || parsed.cost.p < cost.p;
    },
  };
}
