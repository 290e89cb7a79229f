// `kraite backup`: dump the database in one snapshot, gzip and encrypt it into a temporary file,
// upload it, then apply retention. The plaintext dump never touches the disk: it streams from the
// dump tool through gzip and the cipher into the encrypted file.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptTo } from './backup-cipher.ts';
import { backupKey, listBackups, type BackupReason } from './backup-catalog.ts';
import type { BackupConfig } from './backup-config.ts';
import { databaseTarget, startDump } from './mysql-tools.ts';
import { retention } from './retention.ts';
import type { ObjectStore } from './s3-store.ts';

/** What a backup run did. */
export interface BackupResult {
  key: string;
  bytes: number;
  tookMs: number;
  /** Older backups deleted by retention. */
  deleted: string[];
}

/** Takes, uploads and prunes one backup. */
export async function takeBackup(o: { config: BackupConfig; store: ObjectStore; reason: BackupReason; now?: () => number }): Promise<BackupResult> {
  const now = o.now ?? Date.now;
  const started = now();
  const key = backupKey(o.config.KRAITE_BACKUP_PREFIX, started, o.reason);
  const dir = await mkdtemp(join(tmpdir(), 'kraite-backup-'));
  try {
    const file = join(dir, 'backup.enc');
    const dump = startDump(databaseTarget(o.config.DATABASE_URL));
    // Both must succeed: a dump tool that died half-way leaves a well-formed but short file.
    await Promise.all([encryptTo(dump.stdout, file, Buffer.from(o.config.KRAITE_BACKUP_KEY, 'base64')), dump.done]);
    const { size } = await stat(file);
    await o.store.putFile(key, file);
    const all = await listBackups(o.store, o.config.KRAITE_BACKUP_PREFIX);
    const { drop } = retention(all.filter((b) => b.key !== key).concat({ key, takenAt: started, reason: o.reason, size }), {
      now: now(), keepDaily: o.config.KRAITE_BACKUP_KEEP_DAILY, keepWeekly: o.config.KRAITE_BACKUP_KEEP_WEEKLY,
    });
    for (const b of drop) await o.store.delete(b.key);
    return { key, bytes: size, tookMs: now() - started, deleted: drop.map((b) => b.key) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The newest backup's age against its bound; `newest` null when there is none. */
export async function backupFreshness(o: { config: BackupConfig; store: ObjectStore; now: number }): Promise<{ newest: string | null; ageMs: number | null; stale: boolean }> {
  const [newest] = await listBackups(o.store, o.config.KRAITE_BACKUP_PREFIX);
  if (!newest) return { newest: null, ageMs: null, stale: true };
  const ageMs = o.now - newest.takenAt;
  return { newest: newest.key, ageMs, stale: ageMs > o.config.KRAITE_BACKUP_MAX_AGE_MS };
}
