// `kraite migrate`: applies pending infra/migrations/*.sql to the shared MySQL database.
import { ValidationError } from '../../../core/errors.ts';
import { loadConfig } from '../../runtime/config.ts';
import { defineCommand } from '../command.ts';

/** Applies pending migrations to DATABASE_URL (or --url), printing each one applied. */
export const migrateCommand = defineCommand({
  name: 'migrate',
  group: 'deploy',
  env: ['DATABASE_URL (or --url)'],
  example: 'migrate',
  flags: { url: 'the MySQL URL (default: DATABASE_URL)' },
  summary: 'apply pending SQL migrations (infra/migrations) to DATABASE_URL or --url; safe to re-run',
  usage: 'migrate [--url mysql://user:password@host:3306/database]',
  options: { url: { type: 'string' } },
  async run({ values }, io) {
    // --url wins; otherwise the validated environment (an empty DATABASE_URL counts as unset).
    const url = (values.url as string | undefined) || loadConfig(io.env).DATABASE_URL;
    if (!url) throw new ValidationError('DATABASE_URL is not set: set it or pass --url mysql://user@host:3306/kraite', 'NO_DATABASE');
    // Loaded here so other commands never load mysql2.
    const { createMySqlPool, redactUrl } = await import('../../adapters/mysql/mysql-pool.ts');
    const { migrate } = await import('../../adapters/mysql/migrator.ts');
    const pool = createMySqlPool(url, { connectionLimit: 1, connectTimeout: 5_000 });
    try {
      try {
        await pool.query('SELECT 1');
      } catch (error) {
        const e = error as Error & { code?: string };
        throw new Error(`cannot reach MySQL at ${redactUrl(url)}: ${e.message || e.code || String(error)}`, { cause: error });
      }
      const applied = await migrate(pool, { onApplied: (name) => io.out(`applied ${name}`) });
      io.out(applied.length === 0 ? 'schema is up to date' : `${applied.length} migration${applied.length === 1 ? '' : 's'} applied`);
      return 0;
    } finally {
      await pool.end();
    }
  },
});
