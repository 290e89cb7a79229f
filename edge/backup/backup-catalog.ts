// Backup object names carry the moment they were taken and why, so listing, retention and
// "latest" need nothing but the bucket listing: <prefix><2026-12-06T02-37-07-123Z>-<reason>.sql.gz.enc.
import type { ObjectStore } from './s3-store.ts';

/** Why a backup was taken. */
export type BackupReason = 'daily' | 'deploy' | 'manual';

/** A backup in the store. */
export interface BackupEntry {
  key: string;
  takenAt: number;
  reason: string;
  size: number;
}

const SUFFIX = '.sql.gz.enc';

/** The object name of a backup taken at `at`. */
export function backupKey(prefix: string, at: number, reason: BackupReason): string {
  return `${prefix}${new Date(at).toISOString().replace(/[:.]/g, '-')}-${reason}${SUFFIX}`;
}

/** Reads a backup's time and reason from its name; null for anything else in the bucket. */
export function parseBackupKey(prefix: string, key: string): { takenAt: number; reason: string } | null {
  if (!key.startsWith(prefix) || !key.endsWith(SUFFIX)) return null;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z-([a-z]+)$/.exec(key.slice(prefix.length, -SUFFIX.length));
  if (!m) return null;
  const takenAt = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`);
  return Number.isNaN(takenAt) ? null : { takenAt, reason: m[6]! };
}

/** Every backup under `prefix`, newest first. */
export async function listBackups(store: ObjectStore, prefix: string): Promise<BackupEntry[]> {
  const objects = await store.list(prefix);
  return objects
    .flatMap((o) => {
      const parsed = parseBackupKey(prefix, o.key);
      return parsed ? [{ key: o.key, size: o.size, ...parsed }] : [];
    })
    .sort((a, b) => b.takenAt - a.takenAt);
}
