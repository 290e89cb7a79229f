// The trader console's directory in console_user_accounts: which accounts each trader owns.
import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { ConsoleDirectory } from '../../../web/console/console-deps.ts';

/** console_user_accounts over a pool. */
export class MySqlConsoleDirectory implements ConsoleDirectory {
  constructor(private readonly pool: Pool) {}

  async accountIdsOf(userId: number): Promise<number[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>('SELECT account_id FROM console_user_accounts WHERE user_id = ? ORDER BY account_id', [userId]);
    return rows.map((r) => Number(r.account_id));
  }

  /** Links a trader to exactly `accountIds` (links to other accounts are removed), in one transaction. */
  async setAccounts(userId: number, accountIds: number[]): Promise<void> {
    const conn = await this.pool.getConnection();
    try {
      await conn.beginTransaction();
      await conn.query('DELETE FROM console_user_accounts WHERE user_id = ?', [userId]);
      for (const accountId of new Set(accountIds)) await conn.query('INSERT INTO console_user_accounts (user_id, account_id) VALUES (?, ?)', [userId, accountId]);
      await conn.commit();
    } catch (error) {
      await conn.rollback();
      throw error;
    } finally {
      conn.release();
    }
  }
}
