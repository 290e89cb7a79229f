// Password hashing behind a small interface, so the app module stays web-standard while the Node
// adapter (node/scrypt-passwords.ts) uses node:crypto's scrypt.

/** Hashes and checks passwords; implementations salt per hash and compare in constant time. */
export interface PasswordHasher {
  /** A self-describing hash string (algorithm, parameters, salt, digest). */
  hash(password: string): Promise<string>;
  /** Whether `password` matches `stored`; false (never a throw) for a malformed hash. */
  verify(password: string, stored: string): Promise<boolean>;
  /** Whether `stored` was made at a lower cost than hash() uses now (the login then rehashes it). */
  needsRehash(stored: string): boolean;
}
