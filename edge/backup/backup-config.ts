// Backup configuration from the environment, validated with zod; an error names the variable.
// The backup key is its own secret: a backup encrypted with the credentials key would put the
// API-key ciphertext and the key that opens it in one place, so the two must differ.
import { z } from 'zod';
import { parseEnv } from '../runtime/config.ts';

const base64Key = z.string().refine((v) => {
  try {
    return Buffer.from(v, 'base64').length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(v);
  } catch {
    return false;
  }
}, { message: 'must be 32 random bytes in base64 (openssl rand -base64 32)' });

const schema = z.object({
  DATABASE_URL: z.string().startsWith('mysql://', 'must be a mysql:// URL'),
  // AES-256-GCM key for backup files: never KRAITE_CREDENTIALS_KEY (checked below).
  KRAITE_BACKUP_KEY: base64Key,
  KRAITE_CREDENTIALS_KEY: z.string().optional(),
  // S3-compatible storage (Backblaze B2, S3, MinIO): path-style requests to ENDPOINT/BUCKET/KEY.
  KRAITE_BACKUP_S3_ENDPOINT: z.string().url(),
  KRAITE_BACKUP_S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
  KRAITE_BACKUP_S3_REGION: z.string().min(1).default('us-east-1'),
  KRAITE_BACKUP_S3_ACCESS_KEY_ID: z.string().min(1),
  KRAITE_BACKUP_S3_SECRET_ACCESS_KEY: z.string().min(1),
  // Object names start with this; several fleets can share a bucket.
  KRAITE_BACKUP_PREFIX: z.string().regex(/^[A-Za-z0-9._/-]*$/, 'letters, digits, . _ / - only').default('kraite/'),
  // Retention: the newest backup of each of the last N days and of each of the last M ISO weeks.
  KRAITE_BACKUP_KEEP_DAILY: z.coerce.number().int().min(1).default(7),
  KRAITE_BACKUP_KEEP_WEEKLY: z.coerce.number().int().min(0).default(4),
  // "backup stale" is raised when the newest backup is older than this (default 26 h: a daily run plus slack).
  KRAITE_BACKUP_MAX_AGE_MS: z.coerce.number().int().min(60_000).default(26 * 3_600_000),
}).refine((c) => c.KRAITE_BACKUP_KEY !== c.KRAITE_CREDENTIALS_KEY, {
  path: ['KRAITE_BACKUP_KEY'], message: 'must differ from KRAITE_CREDENTIALS_KEY (the backup holds the credentials ciphertext)',
});

/** The validated backup configuration. */
export type BackupConfig = z.output<typeof schema>;

/** Whether the environment asks for backups at all (the S3 endpoint or the key is set). */
export function backupRequested(env: Record<string, string | undefined>): boolean {
  return Boolean(env.KRAITE_BACKUP_S3_ENDPOINT || env.KRAITE_BACKUP_KEY);
}

/** Reads the backup configuration; empty strings count as unset. Throws a ValidationError naming the variable. */
export function loadBackupConfig(env: Record<string, string | undefined>): BackupConfig {
  return parseEnv(schema, env);
}
