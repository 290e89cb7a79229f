// The operator accounts the admin signs in against; the MySQL adapter lives in edge/adapters/mysql.

/** An operator account as the login needs it. */
export interface AdminUser {
  id: number;
  /** Lower-case, unique. */
  username: string;
  /** A self-describing hash from a PasswordHasher (never the password). */
  passwordHash: string;
}

/** Looks operators up by name. */
export interface AdminUserStore {
  /** The user with this (lower-case) username, or null. */
  findByUsername(username: string): Promise<AdminUser | null>;
}
