// Applies infra/migrations/NNNN_*.sql in order, forward only, under a per-database named lock;
// records each file with its checksum and refuses a file that changed after it was applied.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';

/** The repository's migrations folder. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../infra/migrations/', import.meta.url));

/** Where migrations come from and who hears about each one applied. */
export interface MigrateOptions {
  dir?: string;
  /** Called after each migration is applied and recorded. */
  onApplied?: (name: string) => void;
  /** Seconds to wait for another migrator's lock. */
  lockTimeoutSeconds?: number;
}

/** Raised when an applied migration's file no longer matches what was applied. */
export class MigrationChangedError extends Error {
  constructor(readonly file: string) {
    super(`migration ${file} changed after it was applied; migrations are forward only, add a new file instead`);
  }
}

/** Splits a migration into statements: `;` at a line end ends one; whole-line `--` comments are dropped. */
export function splitStatements(sql: string): string[] {
  return sql.split('\n').filter((line) => !line.trim().startsWith('--')).join('\n')
    .split(/;[ \t]*(?:\r?\n|$)/).map((s) => s.trim()).filter(Boolean);
}

/** The migration files of a folder, in the order they apply. */
export async function migrationFiles(dir = MIGRATIONS_DIR): Promise<string[]> {
  return (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
}

async function applyPending(conn: PoolConnection, dir: string, onApplied: (name: string) => void): Promise<string[]> {
  await conn.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name VARCHAR(191) NOT NULL PRIMARY KEY, checksum CHAR(64) NOT NULL, applied_at BIGINT NOT NULL
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  const [rows] = await conn.query<RowDataPacket[]>('SELECT name, checksum FROM schema_migrations');
  const applied = new Map(rows.map((r) => [String(r.name), String(r.checksum)]));
  const done: string[] = [];
  for (const file of await migrationFiles(dir)) {
    const sql = await readFile(join(dir, file), 'utf8');
    const checksum = createHash('sha256').update(sql).digest('hex');
    const seen = applied.get(file);
    if (seen !== undefined) {
      if (seen !== checksum) throw new MigrationChangedError(file);
      continue;
    }
    // DDL commits implicitly in MySQL, so a failure part-way leaves earlier statements applied;
    // the error names the statement so the operator can repair by hand.
    for (const statement of splitStatements(sql)) {
      try {
        await conn.query(statement);
      } catch (error) {
        throw new Error(`migration ${file} failed at: ${statement.slice(0, 120)}…: ${(error as Error).message}`, { cause: error });
      }
    }
    await conn.query('INSERT INTO schema_migrations (name, checksum, applied_at) VALUES (?, ?, ?)', [file, checksum, Date.now()]);
    done.push(file);
    onApplied(file);
  }
  return done;
}

/** Applies pending migrations to the pool's database; returns the names applied now (none when up to date). */
export async function migrate(pool: Pool, options: MigrateOptions = {}): Promise<string[]> {
  const conn = await pool.getConnection();
  try {
    const [[db]] = await conn.query<RowDataPacket[]>('SELECT DATABASE() AS name');
    if (!db?.name) throw new Error('no database selected: put the database name in the URL (mysql://user@host:3306/kraite)');
    // Lock names are server-wide; scoping by database lets test databases migrate side by side.
    const lockName = `kraite_migrate:${String(db.name)}`.slice(0, 64);
    const [[lock]] = await conn.query<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS ok', [lockName, options.lockTimeoutSeconds ?? 60]);
    if (Number(lock?.ok) !== 1) throw new Error(`another migrator holds the lock ${lockName}`);
    try {
      return await applyPending(conn, options.dir ?? MIGRATIONS_DIR, options.onApplied ?? (() => undefined));
    } finally {
      await conn.query('SELECT RELEASE_LOCK(?)', [lockName]).catch(() => undefined);
    }
  } finally {
    conn.release();
  }
}
