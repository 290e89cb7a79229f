// The admin inside the runtime: `kraite run --all` (embedded) and `kraite run --box pheme` (MariaDB +
// Redis) print the admin URL and, on first run only, credentials that sign in over real HTTP; the
// console signs in traders created with `kraite admin:create-trader`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../edge/cli/main.ts';
import { createMySqlPool } from '../edge/adapters/mysql/mysql-pool.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { AdminClient, httpTarget } from './support/admin-client.ts';
import { seedAdminData } from './support/admin-seed.ts';
import { freshDatabase, MYSQL_ROOT_URL, type TestDatabase } from './support/mysql-database.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';
import { tempDataDir } from './support/temp-data-dir.ts';

let db: TestDatabase;
const keys = testPrefix();
const RO_USER = `kraite_rt_${crypto.randomUUID().replace(/-/g, '').slice(0, 8)}`;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await keys.cleanup();
  const root = createMySqlPool(MYSQL_ROOT_URL, { connectionLimit: 1 });
  await root.query('DROP USER IF EXISTS ?@?', [RO_USER, '%']);
  await root.end();
  await db.drop();
});

/** Starts `kraite run …`, waits for the banner, returns the output and a stop function. */
async function start(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const stop = new AbortController();
  const running = main(['run', ...args], { out: (l) => out.push(l), err: (l) => out.push(l), env: { KRAITE_PORT: '0', LOG_LEVEL: 'warn', KRAITE_DATA_DIR: tempDataDir(), ...env }, signal: stop.signal });
  await expect.poll(() => out.join('\n'), { timeout: 20_000 }).toMatch(/admin: http:\/\/\S+\//);
  const text = out.join('\n');
  const url = /admin: (http:\/\/\S+)\//.exec(text)![1]!;
  const creds = /sign in as "([^"]+)" with password "([^"]+)"/.exec(text);
  return {
    text, url, creds: creds ? { username: creds[1]!, password: creds[2]! } : null,
    async stop() {
      stop.abort();
      expect(await running).toBe(0);
    },
  };
}

describe('admin in the runtime', () => {
  it('npm start (run --all, embedded) prints the admin URL and first-run credentials that sign in', async () => {
    const run = await start(['--all'], {});
    try {
      expect(run.creds?.username).toBe('admin');
      expect(run.text).toContain('admin SQL console: off: the embedded mode has no SQL database');
      const client = new AdminClient(httpTarget, run.url);
      expect((await client.get('/')).status).toBe(302);
      const login = await client.login(run.creds!.username, run.creds!.password);
      expect([login.status, login.headers.get('location')]).toEqual([303, '/']);
      const dashboard = await client.get('/');
      expect(dashboard.status).toBe(200);
      expect(await dashboard.text()).toContain('Dashboard');
      expect((await client.get('/positions')).status).toBe(200);
      // The marketing and docs sites answer on Node from the same process.
      const [, site, docs] = /site: (http:\S+)\/ {2}docs: (http:\S+)\//.exec(run.text)!;
      expect(await (await fetch(`${site}/`)).text()).toContain('<h1>Kraite</h1>');
      expect(await (await fetch(`${docs}/servers`)).text()).toContain('<h1 id="servers">Servers</h1>');
    } finally {
      await run.stop();
    }
  });

  it('run --box pheme on MariaDB + Redis creates the first operator once, and the SQL console runs', async () => {
    const env = { DATABASE_URL: db.url, REDIS_URL, KRAITE_QUEUE_PREFIX: keys.prefix, KRAITE_SQL_CONSOLE_USER: RO_USER };
    const first = await start(['--box', 'pheme'], env);
    let creds: { username: string; password: string };
    try {
      expect(first.creds).not.toBeNull();
      creds = first.creds!;
      expect(first.text).not.toContain('SQL console: off');
      const client = new AdminClient(httpTarget, first.url);
      expect((await client.login(creds.username, creds.password)).status).toBe(303);
      const token = await client.csrf();
      const res = await client.postForm('/sql', { _csrf: token, statement: 'SELECT username FROM admin_users' });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<td>admin</td>');
    } finally {
      await first.stop();
    }

    // A trader for the console, linked to a seeded account, created with the CLI.
    const store = await openMySqlStepStore(db.url);
    const seed = await seedAdminData(store, Date.now());
    await store.close();
    const cli: string[] = [];
    const io = { out: (l: string) => cli.push(l), err: (l: string) => cli.push(l), env: { DATABASE_URL: db.url } };
    expect(await main(['admin:create-trader', '--username', 'tess', '--password', 'short'], io)).toBe(2);
    expect(await main(['admin:create-trader', '--username', 'tess', '--account', 'x', '--password', 'trader password 1'], io)).toBe(2);
    expect(await main(['admin:create-trader', '--username', 'tess', '--account', '999', '--password', 'trader password 1'], io)).toBe(1);
    expect(await main(['admin:create-trader', '--username', 'tess', '--account', String(seed.accountId), '--password', 'trader password 1'], io)).toBe(0);
    expect(cli.join('\n')).toMatch(/--account is required|--password is required/);
    expect(cli.join('\n')).toContain('--account must be an account id');
    expect(cli.join('\n')).toContain('--account: no account 999');
    expect(cli.at(-1)).toBe(`trader tess created; accounts ${seed.accountId}`);

    const second = await start(['--box', 'pheme'], env);
    try {
      expect(second.creds).toBeNull();
      const client = new AdminClient(httpTarget, second.url);
      expect((await client.login(creds.username, creds.password)).status).toBe(303);
      const consoleUrl = /console: (http:\S+)\//.exec(second.text)![1]!;
      const trader = new AdminClient(httpTarget, consoleUrl);
      // The operator's login does not open the console, the trader's does.
      expect((await trader.login(creds.username, creds.password)).status).toBe(401);
      expect((await trader.login('tess', 'trader password 1')).status).toBe(303);
      expect(await (await trader.get('/')).text()).toContain('<td>demo-main</td>');
    } finally {
      await second.stop();
    }
  });
});
