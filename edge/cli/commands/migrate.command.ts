// `kraite migrate`: applies infra/migrations/*.sql (forward only) to DATABASE_URL.
import { ValidationError } from '../../../core/errors.ts';
import { migrate } from '../../adapters/mysql/migrator.ts';
import { createMySqlPool } from '../../adapters/mysql/mysql-pool.ts';
import { loadConfig } from '../../runtime/config.ts';
import { defineCommand } from '../command.ts';

/** Applies pending migrations and prints each. */
export const migrateCommand = defineCommand({
  name: 'migrate',
  summary: 'apply pending SQL migrations from infra/migrations to DATABASE_URL (or --url)',
  usage: 'migrate [--url mysql://user:pass@host:3306/db]',
  options: { url: { type: 'string' } },
  async run({ values }, io) {
    const url = (values.url as string | undefined) ?? loadConfig(io.env).DATABASE_URL;
    if (!url) throw new ValidationError('migrate needs DATABASE_URL (or --url)', 'NO_DATABASE');
    const pool = createMySqlPool(url, { connectionLimit: 1 });
    try {
      const applied = await migrate(pool);
      for (const name of applied) io.out(`applied ${name}`);
      io.out(applied.length ? `${applied.length} migration(s) applied` : 'schema is up to date');
      return 0;
    } finally {
      await pool.end();
    }
  },
});
