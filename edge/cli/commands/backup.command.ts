// `kraite backup`, `kraite backup:list` and `kraite restore`: encrypted logical backups of the
// fleet's database in S3-compatible storage, and the restore that brings a lost hyperion back
// with trading off and a reconciliation report (docs/operating.md, "Recovery").
import { BinanceUsdmClient } from '../../../core/exchange/binance/binance-client.ts';
import { systemClock } from '../../../core/ports/clock.ts';
import { importCredentialsKey } from '../../../core/trading/credentials.ts';
import { credentialDirectory, type ExchangeDirectory } from '../../../core/trading/exchange-directory.ts';
import { egressFetch } from '../../adapters/undici-fetch.ts';
import { listBackups, type BackupReason } from '../../backup/backup-catalog.ts';
import { loadBackupConfig } from '../../backup/backup-config.ts';
import { formatReconciliation, restoreFleet } from '../../backup/restore-fleet.ts';
import { s3Store } from '../../backup/s3-store.ts';
import { backupFreshness, takeBackup } from '../../backup/take-backup.ts';
import { defineCommand, UsageError, type CliIo } from '../command.ts';

const REASONS: readonly BackupReason[] = ['manual', 'daily', 'deploy'];
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(2)} MB`;

/** Takes one backup now. Exit 0 uploaded, 1 failed. */
export const backupCommand = defineCommand({
  name: 'backup',
  group: 'deploy',
  env: ['DATABASE_URL', 'KRAITE_BACKUP_KEY', 'KRAITE_BACKUP_S3_ENDPOINT, _BUCKET, _ACCESS_KEY_ID, _SECRET_ACCESS_KEY (and optional _REGION, KRAITE_BACKUP_PREFIX, _KEEP_DAILY, _KEEP_WEEKLY)'],
  example: 'backup --reason manual',
  flags: { reason: 'what the backup is for, in its object name: manual (default), daily or deploy' },
  summary: 'dump the database in one transaction, gzip and encrypt it (KRAITE_BACKUP_KEY), upload it to the S3 bucket, apply retention',
  usage: 'backup [--reason manual|daily|deploy]',
  options: { reason: { type: 'string' } },
  async run({ values }, io) {
    const reason = (values.reason ?? 'manual') as BackupReason;
    if (!REASONS.includes(reason)) throw new UsageError(`--reason must be one of ${REASONS.join(', ')}, got "${String(values.reason)}"`);
    const config = loadBackupConfig(io.env);
    const result = await takeBackup({ config, store: s3Store(config), reason });
    io.out(`backup: ${result.key} (${mb(result.bytes)}, ${(result.tookMs / 1000).toFixed(1)} s)`);
    for (const key of result.deleted) io.out(`backup: retention deleted ${key}`);
    return 0;
  },
});

/** Lists the backups, newest first; exit 1 when the newest is older than KRAITE_BACKUP_MAX_AGE_MS (or there is none). */
export const backupListCommand = defineCommand({
  name: 'backup:list',
  group: 'deploy',
  env: ['KRAITE_BACKUP_KEY', 'KRAITE_BACKUP_S3_ENDPOINT, _BUCKET, _ACCESS_KEY_ID, _SECRET_ACCESS_KEY', 'KRAITE_BACKUP_MAX_AGE_MS (optional)'],
  example: 'backup:list --json',
  flags: { json: 'print JSON for scripts' },
  summary: 'the backups in the bucket, newest first; exits 1 when the newest is older than KRAITE_BACKUP_MAX_AGE_MS',
  usage: 'backup:list [--json]',
  options: { json: { type: 'boolean' } },
  async run({ values }, io) {
    const config = loadBackupConfig(io.env);
    const store = s3Store(config);
    const backups = await listBackups(store, config.KRAITE_BACKUP_PREFIX);
    const fresh = await backupFreshness({ config, store, now: Date.now() });
    if (values.json) io.out(JSON.stringify({ backups, stale: fresh.stale, maxAgeMs: config.KRAITE_BACKUP_MAX_AGE_MS }));
    else {
      for (const b of backups) io.out(`${b.key}  ${new Date(b.takenAt).toISOString()}  ${b.reason}  ${mb(b.size)}`);
      if (!backups.length) io.out('backup:list: no backups');
      if (fresh.stale) io.err(`backup:list: the newest backup is ${fresh.ageMs === null ? 'missing' : `${Math.round(fresh.ageMs / 3_600_000)} h old`}, beyond ${Math.round(config.KRAITE_BACKUP_MAX_AGE_MS / 3_600_000)} h`);
    }
    return fresh.stale ? 1 : 0;
  },
});

// Clients for every account, from the stored ciphertext and KRAITE_CREDENTIALS_KEY, against KRAITE_EXCHANGE_URL.
async function exchangeDirectory(io: CliIo): Promise<{ directory: ExchangeDirectory; close(): Promise<void> }> {
  const baseUrl = io.env.KRAITE_EXCHANGE_URL;
  if (!baseUrl) throw new UsageError('restore reconciles the books with the exchange: set KRAITE_EXCHANGE_URL (Binance, or a `kraite sim`)');
  if (!io.env.KRAITE_CREDENTIALS_KEY) throw new UsageError('restore reads every account\'s exchange: set KRAITE_CREDENTIALS_KEY (the key the backed-up credentials were encrypted with)');
  const key = await importCredentialsKey(io.env.KRAITE_CREDENTIALS_KEY);
  const http = egressFetch();
  const directory = credentialDirectory(key, (c) => new BinanceUsdmClient({ baseUrl, apiKey: c.apiKey, secret: c.apiSecret, clock: systemClock, fetch: http.fetch }));
  return { directory, close: () => http.close() };
}

/** `kraite restore` over an exchange directory (the CLI builds one from the environment; tests pass the simulator's). */
export function restoreCommandWith(deps: { exchanges?: (io: CliIo) => Promise<{ directory: ExchangeDirectory; close(): Promise<void> }>; now?: () => number } = {}) {
  return defineCommand({
    name: 'restore',
    group: 'deploy',
    env: ['DATABASE_URL (an empty database)', 'KRAITE_BACKUP_KEY and the KRAITE_BACKUP_S3_* variables', 'KRAITE_CREDENTIALS_KEY', 'KRAITE_EXCHANGE_URL'],
    example: 'restore --from latest',
    flags: { from: 'latest, or an object name from kraite backup:list', force: 'drop the tables of a non-empty database first', json: 'print the reconciliation report as JSON' },
    summary: 'restore a backup into an empty database, migrate, switch every account\'s trading off, and reconcile the books with the exchange (reads only)',
    usage: 'restore --from <object|latest> [--force] [--json]',
    options: { from: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' } },
    async run({ values }, io) {
      if (typeof values.from !== 'string' || !values.from) throw new UsageError('restore needs --from <object name|latest> (see `kraite backup:list`)');
      const config = loadBackupConfig(io.env);
      const exchanges = await (deps.exchanges ?? exchangeDirectory)(io);
      try {
        const result = await restoreFleet({
          config, store: s3Store(config), from: values.from, force: values.force === true, exchanges: exchanges.directory,
          ...(deps.now ? { now: deps.now } : {}), say: (line) => io.out(line),
        });
        if (values.json) io.out(JSON.stringify(result));
        else {
          io.out(`restore: ${result.key} restored and reconciled in ${(result.tookMs / 1000).toFixed(1)} s; trading is OFF on every account`);
          for (const line of formatReconciliation(result.reconciliation)) io.out(line);
        }
        return result.reconciliation.accounts.some((a) => a.error) ? 1 : 0;
      } finally {
        await exchanges.close();
      }
    },
  });
}

/** `kraite restore --from <object|latest>`. */
export const restoreCommand = restoreCommandWith();
