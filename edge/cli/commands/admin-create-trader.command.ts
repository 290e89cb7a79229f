// `kraite admin:create-trader --username U --account ID [--account ID…] [--password P] [--reset]`:
// creates a trader for the console (their own login, never an operator's) linked to accounts.
import { ValidationError } from '../../../core/errors.ts';
import { scryptPasswordHasher } from '../../../web/admin/node/scrypt-passwords.ts';
import { loadConfig } from '../../runtime/config.ts';
import { defineCommand, UsageError } from '../command.ts';
import { passwordOption, usernameOption } from './admin-create-user.command.ts';

/** Validates the repeated --account flag into positive ids. */
export function accountIdsOption(raw: unknown): number[] {
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (!values.length) throw new UsageError('--account is required (repeat it for several accounts)\nusage: kraite admin:create-trader --username NAME --account ID [--account ID] [--password PASSWORD] [--reset]');
  return values.map((v) => {
    if (!/^[1-9]\d{0,18}$/.test(String(v))) throw new UsageError(`--account must be an account id (a positive whole number), got "${String(v)}"`);
    return Number(v);
  });
}

/** Creates a console trader, or resets one's password, and links the accounts. */
export const adminCreateTraderCommand = defineCommand({
  name: 'admin:create-trader',
  summary: 'create a trader for the console, linked to accounts (--reset sets a new password)',
  usage: 'admin:create-trader --username NAME --account ID [--account ID] [--password PASSWORD] [--reset] [--url mysql://…]',
  options: { username: { type: 'string' }, account: { type: 'string', multiple: true }, password: { type: 'string' }, reset: { type: 'boolean' }, url: { type: 'string' } },
  async run({ values }, io) {
    const username = usernameOption(values.username);
    const accounts = accountIdsOption(values.account);
    if (values.password === undefined) throw new UsageError('--password is required for a trader (at least 12 characters)');
    const password = passwordOption(values.password as string);
    const url = (values.url as string | undefined) || loadConfig(io.env).DATABASE_URL;
    if (!url) throw new ValidationError('DATABASE_URL is not set: set it or pass --url mysql://user@host:3306/kraite', 'NO_DATABASE');
    const { createMySqlPool } = await import('../../adapters/mysql/mysql-pool.ts');
    const { MySqlAdminUserStore } = await import('../../adapters/mysql/admin-user-store.ts');
    const { MySqlConsoleDirectory } = await import('../../adapters/mysql/admin-console-directory.ts');
    const { MySqlAuditLog } = await import('../../adapters/mysql/admin-audit-log.ts');
    const pool = createMySqlPool(url, { connectionLimit: 1, connectTimeout: 5_000 });
    try {
      const [found] = await pool.query(`SELECT id FROM accounts WHERE id IN (${accounts.map(() => '?').join(',')})`, accounts) as unknown as [{ id: number }[]];
      const missing = accounts.filter((id) => !found.some((r) => Number(r.id) === id));
      if (missing.length) throw new ValidationError(`--account: no account ${missing.join(', ')}`, 'NO_SUCH_ACCOUNT');
      const users = new MySqlAdminUserStore(pool, 'console_users');
      const hash = await scryptPasswordHasher().hash(password);
      const now = Date.now();
      const user = values.reset ? await users.setPassword(username, hash, now) : await users.create(username, hash, now);
      if (!user) throw new ValidationError(`no trader "${username}" to reset (leave out --reset to create it)`, 'NO_SUCH_USER');
      await new MySqlConsoleDirectory(pool).grant(user.id, accounts);
      await new MySqlAuditLog(pool).record({ at: now, who: 'cli', action: values.reset ? 'reset-trader' : 'create-trader', subject: `${username} accounts ${accounts.join(',')}`, outcome: 'ok' });
      io.out(`trader ${username} ${values.reset ? 'password reset' : 'created'}; accounts ${accounts.join(', ')}`);
      return 0;
    } finally {
      await pool.end();
    }
  },
});
