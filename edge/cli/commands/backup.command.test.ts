import { describe, expect, it } from 'vitest';
import { main } from '../main.ts';

const run = async (argv: string[], env: Record<string, string> = {}) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

const backupEnv = {
  DATABASE_URL: 'mysql://root@127.0.0.1:3306/kraite', KRAITE_BACKUP_KEY: Buffer.alloc(32, 5).toString('base64'), KRAITE_BACKUP_S3_ENDPOINT: 'http://127.0.0.1:9',
  KRAITE_BACKUP_S3_BUCKET: 'backups', KRAITE_BACKUP_S3_ACCESS_KEY_ID: 'a', KRAITE_BACKUP_S3_SECRET_ACCESS_KEY: 's',
};

describe('backup commands refuse bad input with the field named', () => {
  it('backup without configuration names the first missing variable', async () => {
    const r = await run(['backup']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('config DATABASE_URL');
  });

  it('backup refuses an unknown reason', async () => {
    const r = await run(['backup', '--reason', 'weekly'], backupEnv);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--reason must be one of manual, daily, deploy');
  });

  it('restore needs --from, then an exchange and the credentials key to reconcile against', async () => {
    expect((await run(['restore'], backupEnv)).err).toContain('restore needs --from');
    const noExchange = await run(['restore', '--from', 'latest'], backupEnv);
    expect(noExchange.code).toBe(2);
    expect(noExchange.err).toContain('set KRAITE_EXCHANGE_URL');
    const noKey = await run(['restore', '--from', 'latest'], { ...backupEnv, KRAITE_EXCHANGE_URL: 'http://127.0.0.1:9' });
    expect(noKey.err).toContain('set KRAITE_CREDENTIALS_KEY');
  });
});
