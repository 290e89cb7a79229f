import { describe, expect, it } from 'vitest';
import type { HandlerContext, Job } from '../../core/steps/context.ts';
import { loadBackupConfig } from './backup-config.ts';
import { backupHandlers } from './backup-handlers.ts';
import type { ObjectStore } from './s3-store.ts';

const config = loadBackupConfig({
  DATABASE_URL: 'mysql://root@127.0.0.1:3306/kraite', KRAITE_BACKUP_KEY: Buffer.alloc(32, 7).toString('base64'),
  KRAITE_BACKUP_S3_ENDPOINT: 'http://127.0.0.1:9', KRAITE_BACKUP_S3_BUCKET: 'backups', KRAITE_BACKUP_S3_ACCESS_KEY_ID: 'a', KRAITE_BACKUP_S3_SECRET_ACCESS_KEY: 's',
});
const store = {} as ObjectStore;
const ctx = { clock: { now: () => Date.UTC(2026, 11, 6) } } as unknown as HandlerContext;
const job = <A>(args: A) => ({ args }) as unknown as Job<A>;

describe('backup handlers', () => {
  it('ops.backup fails with a critical "backup failed" alert when the backup throws', async () => {
    const [backup] = backupHandlers({ config, store, backup: async () => { throw new Error('mariadb-dump exited 2: access denied'); } });
    const r = await backup!.run(job({ reason: 'daily' }), ctx);
    expect(r.outcome).toMatchObject({ kind: 'fail' });
    expect(r.effects).toEqual([expect.objectContaining({ kind: 'notify', subject: 'backup:failed', severity: 'critical', message: expect.stringContaining('access denied') })]);
  });

  it('ops.backup-check raises "backup stale" past the bound and nothing within it', async () => {
    const newest = 'kraite/2026-12-04T03-30-00-000Z-daily.sql.gz.enc';
    const stale = backupHandlers({ config, store, check: async () => ({ newest, ageMs: 44 * 3_600_000, stale: true }) })[1]!;
    const fresh = backupHandlers({ config, store, check: async () => ({ newest, ageMs: 3_600_000, stale: false }) })[1]!;
    expect((await stale.run(job({}), ctx)).effects).toEqual([expect.objectContaining({ subject: 'backup:stale', severity: 'critical', message: expect.stringContaining('44.0 h old') })]);
    expect((await fresh.run(job({}), ctx)).effects).toEqual([]);
  });

  it('ops.backup-check alerts when there is no backup at all', async () => {
    const none = backupHandlers({ config, store, check: async () => ({ newest: null, ageMs: null, stale: true }) })[1]!;
    expect((await none.run(job({}), ctx)).effects).toEqual([expect.objectContaining({ subject: 'backup:stale', message: expect.stringContaining('no database backup') })]);
  });
});
