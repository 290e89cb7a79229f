// Operator accounts in admin_users.
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { AdminUser, AdminUserStore } from '../../../web/admin/users.port.ts';

/** Raised when creating a username that is taken. */
export class AdminUserExistsError extends Error {
  constructor(readonly username: string) {
    super(`user "${username}" already exists (pass --reset to set a new password)`);
  }
}

/** admin_users (or the console's console_users, same shape) over a pool. */
export class MySqlAdminUserStore implements AdminUserStore {
  constructor(private readonly pool: Pool, private readonly table: 'admin_users' | 'console_users' = 'admin_users') {}

  async findByUsername(username: string): Promise<AdminUser | null> {
    const [rows] = await this.pool.query<RowDataPacket[]>('SELECT id, username, password_hash, disabled_at FROM ?? WHERE username = ?', [this.table, username]);
    const row = rows[0];
    return row ? { id: Number(row.id), username: String(row.username), passwordHash: String(row.password_hash), disabled: row.disabled_at !== null } : null;
  }

  async setPasswordHash(userId: number, passwordHash: string, now: number): Promise<void> {
    await this.pool.query('UPDATE ?? SET password_hash = ?, updated_at = ? WHERE id = ?', [this.table, passwordHash, now, userId]);
  }

  /** Disables a user (sign-in refused until a --reset); returns the user, or null when there is no such user. */
  async disable(username: string, now: number): Promise<AdminUser | null> {
    const user = await this.findByUsername(username);
    if (!user) return null;
    await this.pool.query('UPDATE ?? SET disabled_at = COALESCE(disabled_at, ?), updated_at = ? WHERE id = ?', [this.table, now, now, user.id]);
    return { ...user, disabled: true };
  }

  /** How many operators exist (first run creates one when there is none). */
  async count(): Promise<number> {
    const [rows] = await this.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM ??', [this.table]);
    return Number(rows[0]!.n);
  }

  /** Inserts a user; throws AdminUserExistsError when the name is taken. */
  async create(username: string, passwordHash: string, now: number): Promise<AdminUser> {
    try {
      const [result] = await this.pool.query<ResultSetHeader>(
        'INSERT INTO ?? (username, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?)', [this.table, username, passwordHash, now, now]);
      return { id: result.insertId, username, passwordHash, disabled: false };
    } catch (error) {
      if ((error as { errno?: number }).errno === 1062) throw new AdminUserExistsError(username);
      throw error;
    }
  }

  /** Replaces a user's password (a reset: earlier sessions die) and enables them; returns the user, or null when there is no such user. */
  async setPassword(username: string, passwordHash: string, now: number): Promise<AdminUser | null> {
    const [result] = await this.pool.query<ResultSetHeader>('UPDATE ?? SET password_hash = ?, disabled_at = NULL, password_changed_at = ?, updated_at = ? WHERE username = ?', [this.table, passwordHash, now, now, username]);
    return result.affectedRows === 0 ? null : this.findByUsername(username);
  }
}
