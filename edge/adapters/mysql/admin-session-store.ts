// Admin sessions in admin_sessions, keyed by the SHA-256 of the cookie token; a session lives only
// while its user exists, is not disabled and has not had its password reset since the sign-in began.
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { AdminSession, AdminSessionStore } from '../../../web/admin/sessions.port.ts';

/** admin_sessions (or the console's console_sessions, same shape) over a pool. */
export class MySqlAdminSessionStore implements AdminSessionStore {
  private readonly users: 'admin_users' | 'console_users';

  constructor(private readonly pool: Pool, private readonly table: 'admin_sessions' | 'console_sessions' = 'admin_sessions') {
    this.users = table === 'admin_sessions' ? 'admin_users' : 'console_users';
  }

  async create(s: AdminSession): Promise<void> {
    await this.pool.query(
      'INSERT INTO ?? (id_hash, user_id, username, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      [this.table, s.key, s.userId, s.username, s.csrfToken, s.createdAt, s.expiresAt]);
  }

  async find(key: string, now: number): Promise<AdminSession | null> {
    // A disabled user's sessions are dead, and so is any whose sign-in began before the last password
    // reset, even if it was created while the disable or the reset ran.
    const [rows] = await this.pool.query<RowDataPacket[]>(
      `SELECT s.id_hash, s.user_id, s.username, s.csrf_token, s.created_at, s.expires_at FROM ?? s
       JOIN ?? u ON u.id = s.user_id AND u.disabled_at IS NULL AND (u.password_changed_at IS NULL OR s.created_at >= u.password_changed_at)
       WHERE s.id_hash = ? AND s.expires_at > ?`, [this.table, this.users, key, now]);
    const row = rows[0];
    if (!row) return null;
    return {
      key: String(row.id_hash), userId: Number(row.user_id), username: String(row.username), csrfToken: String(row.csrf_token),
      createdAt: Number(row.created_at), expiresAt: Number(row.expires_at),
    };
  }

  async delete(key: string): Promise<void> {
    await this.pool.query('DELETE FROM ?? WHERE id_hash = ?', [this.table, key]);
  }

  async deleteExpired(now: number): Promise<number> {
    const [result] = await this.pool.query<ResultSetHeader>('DELETE FROM ?? WHERE expires_at <= ?', [this.table, now]);
    return result.affectedRows;
  }

  /** Ends every session of a user (after a password reset). */
  async deleteForUser(userId: number): Promise<number> {
    const [result] = await this.pool.query<ResultSetHeader>('DELETE FROM ?? WHERE user_id = ?', [this.table, userId]);
    return result.affectedRows;
  }
}
