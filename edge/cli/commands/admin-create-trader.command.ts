// `kraite admin:create-trader --username U --account ID [--account ID…] --password P [--reset]`:
// creates a trader for the console (their own login, never an operator's) linked to exactly the
// accounts given. With --reset it sets a new password, enables a disabled trader, ends every
// session at once and, when --account is given, replaces the links (left out: links stay).
import { ValidationError } from '../../../core/errors.ts';
import { scryptPasswordHasher } from '../../../web/admin/node/scrypt-passwords.ts';
import { loadConfig } from '../../runtime/config.ts';
import { defineCommand, UsageError } from '../command.ts';
import { cliActor, passwordOption, usernameOption } from './admin-create-user.command.ts';

const USAGE = 'usage: kraite admin:create-trader --username NAME --account ID [--account ID] --password PASSWORD [--reset]';

/** Validates the repeated --account flag into positive ids; `required` false allows none (a reset that keeps the links). */
export function accountIdsOption(raw: unknown, required = true): number[] {
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (!values.length && required) throw new UsageError(`--account is required (repeat it for several accounts)\n${USAGE}`);
  return values.map((v) => {
    if (!/^[1-9]\d{0,18}$/.test(String(v))) throw new UsageError(`--account must be an account id (a positive whole number), got "${String(v)}"`);
    return Number(v);
  });
}

/** Creates a console trader, or resets one's password, and sets the account links. */
export const adminCreateTraderCommand = defineCommand({
  name: 'admin:create-trader',
  group: 'operate',
  env: ['DATABASE_URL (or --url)'],
  example: 'admin:create-trader --username alice --account 1 --password "a long passphrase"',
  flags: { username: 'the trader\'s sign-in name', account: 'an account id the trader may see and steer (repeat for several)', password: 'the trader\'s password (see admin:create-user for the rules)', reset: 'set a new password for an existing trader, end their sessions and enable them', url: 'the MySQL URL (default: DATABASE_URL)' },
  summary: 'create a trader for the console, linked to exactly the accounts given (--reset sets a new password, ends their sessions, enables them)',
  usage: 'admin:create-trader --username NAME --account ID [--account ID] --password PASSWORD [--reset] [--url mysql://…]',
  options: { username: { type: 'string' }, account: { type: 'string', multiple: true }, password: { type: 'string' }, reset: { type: 'boolean' }, url: { type: 'string' } },
  async run({ values }, io) {
    const username = usernameOption(values.username);
    const accounts = accountIdsOption(values.account, !values.reset);
    if (values.password === undefined) throw new UsageError('--password is required for a trader (at least 12 characters)');
    const password = passwordOption(values.password as string);
    const url = (values.url as string | undefined) || loadConfig(io.env).DATABASE_URL;
    if (!url) throw new ValidationError('DATABASE_URL is not set: set it or pass --url mysql://user@host:3306/kraite', 'NO_DATABASE');
    const { createMySqlPool } = await import('../../adapters/mysql/mysql-pool.ts');
    const { MySqlAdminUserStore } = await import('../../adapters/mysql/admin-user-store.ts');
    const { MySqlAdminSessionStore } = await import('../../adapters/mysql/admin-session-store.ts');
    const { MySqlConsoleDirectory } = await import('../../adapters/mysql/admin-console-directory.ts');
    const { MySqlAuditLog } = await import('../../adapters/mysql/admin-audit-log.ts');
    const pool = createMySqlPool(url, { connectionLimit: 1, connectTimeout: 5_000 });
    try {
      if (accounts.length) {
        const [found] = await pool.query(`SELECT id FROM accounts WHERE id IN (${accounts.map(() => '?').join(',')})`, accounts) as unknown as [{ id: number }[]];
        const missing = accounts.filter((id) => !found.some((r) => Number(r.id) === id));
        if (missing.length) throw new ValidationError(`--account: no account ${missing.join(', ')}`, 'NO_SUCH_ACCOUNT');
      }
      const users = new MySqlAdminUserStore(pool, 'console_users');
      const hash = await scryptPasswordHasher().hash(password);
      const now = Date.now();
      const user = values.reset ? await users.setPassword(username, hash, now) : await users.create(username, hash, now);
      if (!user) throw new ValidationError(`no trader "${username}" to reset (leave out --reset to create it)`, 'NO_SUCH_USER');
      const ended = values.reset ? await new MySqlAdminSessionStore(pool, 'console_sessions').deleteForUser(user.id) : 0;
      const directory = new MySqlConsoleDirectory(pool);
      if (accounts.length) await directory.setAccounts(user.id, accounts);
      const linked = await directory.accountIdsOf(user.id);
      await new MySqlAuditLog(pool).record({
        at: now, who: cliActor(), action: values.reset ? 'reset-trader' : 'create-trader', subject: `${username} accounts ${linked.join(',') || 'none'}`, outcome: 'ok',
        detail: values.reset ? `${ended} session(s) ended` : null,
      });
      const sessions = values.reset ? `, ${ended} session${ended === 1 ? '' : 's'} ended` : '';
      io.out(`trader ${username} ${values.reset ? 'password reset' : 'created'}${sessions}; accounts ${linked.join(', ') || 'none'}`);
      return 0;
    } finally {
      await pool.end();
    }
  },
});
