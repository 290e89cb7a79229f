// `kraite restore`, the database half: fetch a backup, check it decrypts, load it into an empty
// database (or, with force, one it empties first), run the migrations the backup predates, and
// switch every account's trading off so nothing trades until an operator has read the
// reconciliation report. Redis is not touched: queues are transient and the steps are the record.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createPool, type RowDataPacket } from 'mysql2/promise';
import { ValidationError } from '../../core/errors.ts';
import { migrate } from '../adapters/mysql/migrator.ts';
import { createMySqlPool } from '../adapters/mysql/mysql-pool.ts';
import { decryptFile } from './backup-cipher.ts';
import { listBackups } from './backup-catalog.ts';
import type { BackupConfig } from './backup-config.ts';
import { databaseTarget, startLoad } from './mysql-tools.ts';
import type { ObjectStore } from './s3-store.ts';

/** Raised when the target database holds tables and --force was not given. */
export class RestoreRefusedError extends ValidationError {
  constructor(database: string, tables: number) {
    super(`restore: database ${database} is not empty (${tables} tables): restore into an empty database, or pass --force to drop it first`, 'RESTORE_REFUSED');
  }
}

/** What the database half of a restore did. */
export interface RestoredDatabase {
  key: string;
  /** Migrations newer than the backup, applied after the load. */
  migrated: string[];
  /** Accounts whose trading switch was on in the backup and is now off. */
  switchedOff: number;
}

/** Resolves `from` ("latest" or an object name) to an object name in the store. */
export async function resolveBackup(store: ObjectStore, prefix: string, from: string): Promise<string> {
  if (from !== 'latest') return from;
  const [newest] = await listBackups(store, prefix);
  if (!newest) throw new ValidationError(`restore: no backup under ${prefix || 'the bucket root'}`, 'NO_BACKUP');
  return newest.key;
}

/** Loads backup `from` into DATABASE_URL's database, migrates it and switches trading off. */
export async function restoreDatabase(o: { config: BackupConfig; store: ObjectStore; from: string; force: boolean; say?: (line: string) => void }): Promise<RestoredDatabase> {
  const say = o.say ?? (() => {});
  const target = databaseTarget(o.config.DATABASE_URL);
  const key = await resolveBackup(o.store, o.config.KRAITE_BACKUP_PREFIX, o.from);
  const dir = await mkdtemp(join(tmpdir(), 'kraite-restore-'));
  try {
    say(`restore: fetching ${key}`);
    const encrypted = join(dir, 'backup.enc');
    const sql = join(dir, 'backup.sql');
    await o.store.getToFile(key, encrypted);
    // Decrypt fully (the tag verified) before the database is touched: a bad file changes nothing.
    await decryptFile(encrypted, sql, Buffer.from(o.config.KRAITE_BACKUP_KEY, 'base64'));
    await rm(encrypted);
    await prepareEmptyDatabase(o.config.DATABASE_URL, target.database, o.force, say);
    say(`restore: loading into ${target.database}`);
    const load = startLoad(target);
    await Promise.all([pipeline(createReadStream(sql), load.stdin), load.done]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const pool = createMySqlPool(o.config.DATABASE_URL, { connectionLimit: 1 });
  try {
    const migrated = await migrate(pool);
    if (migrated.length) say(`restore: applied ${migrated.length} migrations newer than the backup: ${migrated.join(', ')}`);
    const [res] = await pool.query('UPDATE accounts SET trading_enabled = 0, updated_at = ? WHERE trading_enabled = 1', [Date.now()]);
    const switchedOff = (res as { affectedRows: number }).affectedRows;
    say(`restore: trading switched off on ${switchedOff} accounts (turn it on with \`kraite accounts:trading ID --on\` after reading the reconciliation)`);
    return { key, migrated, switchedOff };
  } finally {
    await pool.end();
  }
}

// Creates the database when it is missing; refuses one with tables unless forced, then drops and recreates it.
async function prepareEmptyDatabase(databaseUrl: string, database: string, force: boolean, say: (line: string) => void): Promise<void> {
  const server = new URL(databaseUrl);
  server.pathname = '/';
  const root = createPool({ uri: server.toString(), connectionLimit: 1 });
  try {
    const [[row]] = await root.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ?', [database]);
    const tables = Number(row?.n ?? 0);
    if (tables > 0) {
      if (!force) throw new RestoreRefusedError(database, tables);
      say(`restore: --force: dropping ${database} (${tables} tables)`);
      await root.query(`DROP DATABASE \`${database}\``);
    }
    await root.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await root.end();
  }
}
