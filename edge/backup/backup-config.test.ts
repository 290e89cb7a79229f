import { describe, expect, it } from 'vitest';
import { loadBackupConfig } from './backup-config.ts';

const key = Buffer.alloc(32, 1).toString('base64');
const env = {
  DATABASE_URL: 'mysql://root@127.0.0.1:3306/kraite', KRAITE_BACKUP_KEY: key, KRAITE_BACKUP_S3_ENDPOINT: 'https://s3.us-west-004.backblazeb2.com',
  KRAITE_BACKUP_S3_BUCKET: 'kraite-backups', KRAITE_BACKUP_S3_ACCESS_KEY_ID: 'id', KRAITE_BACKUP_S3_SECRET_ACCESS_KEY: 'secret',
};

describe('backup configuration', () => {
  it('fills the defaults: 7 daily, 4 weekly, a 26 h bound', () => {
    expect(loadBackupConfig(env)).toMatchObject({ KRAITE_BACKUP_KEEP_DAILY: 7, KRAITE_BACKUP_KEEP_WEEKLY: 4, KRAITE_BACKUP_MAX_AGE_MS: 26 * 3_600_000, KRAITE_BACKUP_PREFIX: 'kraite/' });
  });

  it('refuses the credentials key as the backup key, naming the variable', () => {
    expect(() => loadBackupConfig({ ...env, KRAITE_CREDENTIALS_KEY: key })).toThrow(/KRAITE_BACKUP_KEY: must differ from KRAITE_CREDENTIALS_KEY/);
  });

  it('refuses a key that is not 32 bytes and a missing bucket, naming each', () => {
    expect(() => loadBackupConfig({ ...env, KRAITE_BACKUP_KEY: Buffer.alloc(16).toString('base64') })).toThrow(/KRAITE_BACKUP_KEY: must be 32 random bytes/);
    expect(() => loadBackupConfig({ ...env, KRAITE_BACKUP_S3_BUCKET: '' })).toThrow(/KRAITE_BACKUP_S3_BUCKET/);
  });
});
