import { describe, expect, it } from 'vitest';
import { scryptPasswordHasher } from './scrypt-passwords.ts';

describe('scrypt password hasher', () => {
  const hasher = scryptPasswordHasher({ N: 1024, r: 8, p: 1 });

  it('salts every hash and verifies only the right password', async () => {
    const a = await hasher.hash('correct horse');
    const b = await hasher.hash('correct horse');
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b);
    expect(await hasher.verify('correct horse', a)).toBe(true);
    expect(await hasher.verify('correct horse', b)).toBe(true);
    expect(await hasher.verify('correct hors', a)).toBe(false);
  });

  it('reads the cost from the stored hash, so a cost change keeps old hashes valid', async () => {
    const old = await hasher.hash('pw');
    expect(await scryptPasswordHasher().verify('pw', old)).toBe(true);
  });

  it('treats malformed or hostile hashes as a mismatch', async () => {
    const good = await hasher.hash('pw');
    for (const bad of ['', 'plain', 'bcrypt$x', good.replace('$1024$', '$1000$'), good.replace('$1024$', `$${2 ** 24}$`), good.replace('$1024$8$', `$${2 ** 19}$8$`), good.slice(0, -8)]) {
      expect(await hasher.verify('pw', bad), bad).toBe(false);
    }
  });

  it('uses the production cost by default (OWASP: N = 2^17, r = 8, p = 1), within maxmem', async () => {
    const strong = scryptPasswordHasher();
    const stored = await strong.hash('pw');
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await strong.verify('pw', stored)).toBe(true);
    expect(strong.needsRehash(stored)).toBe(false);
  });

  it('asks for a rehash of a hash made at a lower cost (or not understood)', async () => {
    const old = await hasher.hash('pw');
    expect(scryptPasswordHasher().needsRehash(old)).toBe(true);
    expect(hasher.needsRehash(old)).toBe(false);
    expect(hasher.needsRehash('plain')).toBe(true);
  });
});
