// `kraite admin:disable-user --username U` and `kraite admin:disable-trader --username U`: the
// operator or trader can no longer sign in, and every session they hold ends at once. Their rows
// (and a trader's account links) stay, so the audit keeps their name; `admin:create-user --reset` /
// `admin:create-trader --reset` enables them again with a new password.
import { ValidationError } from '../../../core/errors.ts';
import { loadConfig } from '../../runtime/config.ts';
import { defineCommand } from '../command.ts';
import { cliActor, usernameOption } from './admin-create-user.command.ts';

/** Which kind of user a disable command acts on. */
interface DisableKind {
  name: 'admin:disable-user' | 'admin:disable-trader';
  noun: 'operator' | 'trader';
  users: 'admin_users' | 'console_users';
  sessions: 'admin_sessions' | 'console_sessions';
}

function disableCommand(kind: DisableKind) {
  return defineCommand({
    name: kind.name,
    group: 'operate',
    env: ['DATABASE_URL (or --url)'],
    example: `${kind.name} --username alice`,
    flags: { username: 'the sign-in name to disable', url: 'the MySQL URL (default: DATABASE_URL)' },
    summary: `disable a${kind.noun === 'operator' ? 'n' : ''} ${kind.noun}: sign-in refused and every session ended at once (--reset on create enables again)`,
    usage: `${kind.name} --username NAME [--url mysql://…]`,
    options: { username: { type: 'string' }, url: { type: 'string' } },
    async run({ values }, io) {
      const username = usernameOption(values.username);
      const url = (values.url as string | undefined) || loadConfig(io.env).DATABASE_URL;
      if (!url) throw new ValidationError('DATABASE_URL is not set: set it or pass --url mysql://user@host:3306/kraite', 'NO_DATABASE');
      const { createMySqlPool } = await import('../../adapters/mysql/mysql-pool.ts');
      const { MySqlAdminUserStore } = await import('../../adapters/mysql/admin-user-store.ts');
      const { MySqlAdminSessionStore } = await import('../../adapters/mysql/admin-session-store.ts');
      const { MySqlAuditLog } = await import('../../adapters/mysql/admin-audit-log.ts');
      const pool = createMySqlPool(url, { connectionLimit: 1, connectTimeout: 5_000 });
      try {
        const now = Date.now();
        const user = await new MySqlAdminUserStore(pool, kind.users).disable(username, now);
        if (!user) throw new ValidationError(`no ${kind.noun} "${username}"`, 'NO_SUCH_USER');
        const ended = await new MySqlAdminSessionStore(pool, kind.sessions).deleteForUser(user.id);
        const action = kind.noun === 'operator' ? 'disable-user' : 'disable-trader';
        await new MySqlAuditLog(pool).record({ at: now, who: cliActor(), action, subject: username, outcome: 'ok', detail: `${ended} session(s) ended` });
        io.out(`${kind.noun} ${username} disabled; ${ended} session${ended === 1 ? '' : 's'} ended`);
        return 0;
      } finally {
        await pool.end();
      }
    },
  });
}

/** Disables an admin operator. */
export const adminDisableUserCommand = disableCommand({ name: 'admin:disable-user', noun: 'operator', users: 'admin_users', sessions: 'admin_sessions' });
/** Disables a console trader. */
export const adminDisableTraderCommand = disableCommand({ name: 'admin:disable-trader', noun: 'trader', users: 'console_users', sessions: 'console_sessions' });
