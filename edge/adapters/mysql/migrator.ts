// Applies infra/migrations/NNNN_*.sql in order, forward only, under a named lock; a changed
// file that was already applied is refused.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pool, RowDataPacket } from 'mysql2/promise';

/** The repository's migrations folder. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../infra/migrations/', import.meta.url));

/** Splits a migration into statements (no procedural SQL in migrations; `;` ends a statement). */
export function splitStatements(sql: string): string[] {
  return sql.split('\n').filter((l) => !l.trim().startsWith('--')).join('\n').split(';').map((s) => s.trim()).filter(Boolean);
}

/** Applies pending migrations; returns the names applied now. */
export async function migrate(pool: Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  const conn = await pool.getConnection();
  try {
    const [[lock]] = await conn.query<RowDataPacket[]>("SELECT GET_LOCK('kraite_migrate', 60) AS ok");
    if (lock?.ok !== 1) throw new Error('another migration holds the kraite_migrate lock');
    await conn.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name VARCHAR(191) NOT NULL PRIMARY KEY, checksum CHAR(64) NOT NULL, applied_at BIGINT NOT NULL
    ) ENGINE=InnoDB`);
    const [rows] = await conn.query<RowDataPacket[]>('SELECT name, checksum FROM schema_migrations');
    const applied = new Map(rows.map((r) => [String(r.name), String(r.checksum)]));
    const done: string[] = [];
    for (const file of files) {
      const sql = await readFile(join(dir, file), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const seen = applied.get(file);
      if (seen !== undefined) {
        if (seen !== checksum) throw new Error(`migration ${file} changed after it was applied; add a new migration instead`);
        continue;
      }
      // DDL commits implicitly in MySQL; a failure part-way is reported with the statement.
      for (const statement of splitStatements(sql)) {
        try {
          await conn.query(statement);
        } catch (error) {
          throw new Error(`migration ${file} failed at: ${statement.slice(0, 120)}…: ${(error as Error).message}`);
        }
      }
      await conn.query('INSERT INTO schema_migrations (name, checksum, applied_at) VALUES (?, ?, ?)', [file, checksum, Date.now()]);
      done.push(file);
    }
    return done;
  } finally {
    await conn.query("SELECT RELEASE_LOCK('kraite_migrate')").catch(() => undefined);
    conn.release();
  }
}
