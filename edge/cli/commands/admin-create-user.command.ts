// `kraite admin:create-user --username U [--password P]`: creates an admin operator in MySQL (or,
// with --reset, sets a new password, enables a disabled operator and ends their sessions). Without
// --password it prompts.
import { hostname, userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { ValidationError } from '../../../core/errors.ts';
import { scryptPasswordHasher } from '../../../web/admin/node/scrypt-passwords.ts';
import { usernameSchema } from '../../../web/admin/username.ts';
import { loadConfig } from '../../runtime/config.ts';
import { defineCommand, UsageError } from '../command.ts';

/** The shortest password accepted for an operator. */
export const MIN_PASSWORD_LENGTH = 12;

/** Who a command's audit row names: the OS user and host that ran it (the CLI has no client address). */
export function cliActor(): string {
  return `cli:${userInfo().username}@${hostname()}`;
}

/** Reads one line without echo on a terminal, or the first line of piped input. */
async function askHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  if (!stdin.isTTY) {
    const lines = createInterface({ input: stdin });
    for await (const line of lines) {
      lines.close();
      return line;
    }
    return '';
  }
  stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (settle: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      settle();
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish(() => resolve(value));
        if (ch === '\u0003') return finish(() => reject(new UsageError('cancelled')));
        value = ch === '\u007f' || ch === '\b' ? value.slice(0, -1) : value + ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function promptPassword(): Promise<string> {
  const first = await askHidden('password: ');
  if (process.stdin.isTTY && first && (await askHidden('again: ')) !== first) throw new UsageError('--password: the two entries differ');
  return first;
}

/** Validates --username, naming the flag on failure. */
export function usernameOption(raw: unknown): string {
  if (typeof raw !== 'string') throw new UsageError('--username is required\nusage: kraite admin:create-user --username NAME [--password PASSWORD] [--reset]');
  const parsed = usernameSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`--username ${parsed.error.issues[0]!.message}, got "${raw}"`);
  return parsed.data;
}

/** Validates a password from --password or the prompt, naming the flag on failure. */
export function passwordOption(password: string): string {
  if (password.length < MIN_PASSWORD_LENGTH) throw new UsageError(`--password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > 1024) throw new UsageError('--password must be at most 1024 characters');
  return password;
}

/** Creates an admin user, or resets one's password. */
export const adminCreateUserCommand = defineCommand({
  name: 'admin:create-user',
  group: 'operate',
  env: ['DATABASE_URL (or --url)'],
  example: 'admin:create-user --username ops',
  flags: { username: 'the operator\'s sign-in name', password: 'the password (default: prompted for, not echoed)', reset: 'set a new password for an existing operator, end their sessions and enable them', url: 'the MySQL URL (default: DATABASE_URL)' },
  summary: 'create an admin operator in MySQL (prompts for the password unless --password; --reset sets a new one, ends their sessions and enables them)',
  usage: 'admin:create-user --username NAME [--password PASSWORD] [--reset] [--url mysql://user@host:3306/kraite]',
  options: { username: { type: 'string' }, password: { type: 'string' }, reset: { type: 'boolean' }, url: { type: 'string' } },
  async run({ values }, io) {
    const username = usernameOption(values.username);
    if (values.password !== undefined) passwordOption(values.password as string);
    const url = (values.url as string | undefined) || loadConfig(io.env).DATABASE_URL;
    if (!url) throw new ValidationError('DATABASE_URL is not set: set it or pass --url mysql://user@host:3306/kraite', 'NO_DATABASE');
    const password = passwordOption((values.password as string | undefined) ?? await promptPassword());

    const { createMySqlPool } = await import('../../adapters/mysql/mysql-pool.ts');
    const { MySqlAdminUserStore } = await import('../../adapters/mysql/admin-user-store.ts');
    const { MySqlAdminSessionStore } = await import('../../adapters/mysql/admin-session-store.ts');
    const { MySqlAuditLog } = await import('../../adapters/mysql/admin-audit-log.ts');
    const pool = createMySqlPool(url, { connectionLimit: 1, connectTimeout: 5_000 });
    try {
      const users = new MySqlAdminUserStore(pool);
      const hash = await scryptPasswordHasher().hash(password);
      const now = Date.now();
      let ended = 0;
      try {
        if (values.reset) {
          const user = await users.setPassword(username, hash, now);
          if (!user) throw new ValidationError(`no admin user "${username}" to reset (leave out --reset to create it)`, 'NO_SUCH_USER');
          ended = await new MySqlAdminSessionStore(pool).deleteForUser(user.id);
        } else {
          await users.create(username, hash, now);
        }
      } catch (error) {
        if ((error as { errno?: number }).errno === 1146) throw new ValidationError('the database has no admin tables yet: run `kraite migrate` first', 'NOT_MIGRATED');
        throw error;
      }
      await new MySqlAuditLog(pool).record({ at: now, who: cliActor(), action: values.reset ? 'reset-password' : 'create-user', subject: username, outcome: 'ok', detail: values.reset ? `${ended} session(s) ended` : null });
      io.out(values.reset ? `admin user ${username}: password reset, ${ended} session${ended === 1 ? '' : 's'} ended` : `admin user ${username} created`);
      return 0;
    } finally {
      await pool.end();
    }
  },
});
