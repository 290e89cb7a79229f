// The operator accounts the admin signs in against; the MySQL adapter lives in edge/adapters/mysql.

/** An operator account as the login needs it. */
export interface AdminUser {
  id: number;
  /** Lower-case, unique. */
  username: string;
  /** A self-describing hash from a PasswordHasher (never the password). */
  passwordHash: string;
  /** A disabled user cannot sign in (kraite admin:disable-user / admin:disable-trader). */
  disabled: boolean;
}

/** Looks operators up by name and keeps their hashes current. */
export interface AdminUserStore {
  /** The user with this (lower-case) username, or null. */
  findByUsername(username: string): Promise<AdminUser | null>;
  /** Replaces the hash of a user whose password was just checked (a rehash at the current cost). */
  setPasswordHash(userId: number, passwordHash: string, now: number): Promise<void>;
}
