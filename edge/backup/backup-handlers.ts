// The scheduled side of backups: `ops.backup` takes one (the daily entry) and `ops.backup-check`
// raises "backup stale" when the newest backup is older than KRAITE_BACKUP_MAX_AGE_MS. Both raise
// their alerts as notify effects, so they travel the fleet's one alert path (outbox, throttle,
// Pushover). They are edge handlers (they run a child process and reach object storage), registered
// only by processes whose environment configures backups.
import { z } from 'zod';
import { result } from '../../core/steps/effects.ts';
import { defineHandler, type HandlerDefinition } from '../../core/steps/registry.ts';
import { backupRequested, loadBackupConfig, type BackupConfig } from './backup-config.ts';
import { s3Store, type ObjectStore } from './s3-store.ts';
import { backupFreshness, takeBackup } from './take-backup.ts';

/** Names of the backup handlers, for `kraite schedule`. */
export const BACKUP_HANDLER_NAMES = ['ops.backup', 'ops.backup-check'] as const;

/** What the handlers are built with; `backup` and `check` are injectable for tests. */
export interface BackupHandlerDeps {
  config: BackupConfig;
  store: ObjectStore;
  backup?: typeof takeBackup;
  check?: typeof backupFreshness;
}

const hours = (ms: number) => `${(ms / 3_600_000).toFixed(1)} h`;

/** The two backup handlers over `deps`. */
export function backupHandlers(deps: BackupHandlerDeps): HandlerDefinition<any>[] {
  const backup = deps.backup ?? takeBackup;
  const check = deps.check ?? backupFreshness;
  return [
    defineHandler({
      name: 'ops.backup', lane: 'cronjobs', maxAttempts: 1,
      args: z.object({ reason: z.enum(['daily', 'deploy', 'manual']).default('daily') }),
      run: async (job, ctx) => {
        try {
          const done = await backup({ config: deps.config, store: deps.store, reason: job.args.reason, now: () => ctx.clock.now() });
          return result.complete([], { key: done.key, bytes: done.bytes, tookMs: done.tookMs, deleted: done.deleted });
        } catch (error) {
          // One attempt: a dump is heavy, and the next day's entry (or `kraite backup`) is the retry.
          return result.fail(`backup failed: ${(error as Error).message}`, [{
            kind: 'notify', subject: 'backup:failed', severity: 'critical',
            message: `the ${job.args.reason} database backup failed: ${(error as Error).message} — run \`kraite backup\` by hand and check \`kraite backup:list\``,
          }]);
        }
      },
    }),
    defineHandler({
      name: 'ops.backup-check', lane: 'cronjobs', maxAttempts: 1, args: z.object({}),
      run: async (_job, ctx) => {
        const now = ctx.clock.now();
        let fresh: Awaited<ReturnType<typeof backupFreshness>>;
        try {
          fresh = await check({ config: deps.config, store: deps.store, now });
        } catch (error) {
          return result.complete([{
            kind: 'notify', subject: 'backup:stale', severity: 'critical',
            message: `cannot list the backups in ${deps.config.KRAITE_BACKUP_S3_BUCKET}: ${(error as Error).message}`,
          }], { reachable: false });
        }
        const effects = fresh.stale ? [{
          kind: 'notify' as const, subject: 'backup:stale', severity: 'critical' as const,
          message: fresh.newest === null
            ? `no database backup in ${deps.config.KRAITE_BACKUP_S3_BUCKET}: run \`kraite backup\``
            : `the newest database backup (${fresh.newest}) is ${hours(fresh.ageMs!)} old, beyond ${hours(deps.config.KRAITE_BACKUP_MAX_AGE_MS)}: run \`kraite backup\` and look at why the daily one did not`,
        }] : [];
        return result.complete(effects, fresh);
      },
    }),
  ];
}

/** The backup handlers for a process whose environment configures backups; none otherwise. */
export function configuredBackupHandlers(env: Record<string, string | undefined>): HandlerDefinition<any>[] {
  if (!backupRequested(env)) return [];
  const config = loadBackupConfig(env);
  return backupHandlers({ config, store: s3Store(config) });
}
