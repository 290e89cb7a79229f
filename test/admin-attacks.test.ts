// Issue 16: each hole found by attacking the admin and the console, attacked again over real HTTP
// against the apps served as `kraite run` serves them, on MariaDB (MySQL users, sessions, audit and
// the real read-only console user). Password hashing runs at a test cost; the production cost has
// its own test beside the hasher.
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../core/ports/clock.ts';
import { insertAccount } from '../core/trading/account.ts';
import { applyRowEffects } from '../core/trading/apply-row-effects.ts';
import { sampleAccount } from '../core/trading/fixtures.ts';
import { TABLES } from '../core/trading/tables.ts';
import { openMySqlAdminPorts, type MySqlAdminPorts } from '../edge/adapters/mysql/admin-ports.ts';
import { MySqlConsoleDirectory } from '../edge/adapters/mysql/admin-console-directory.ts';
import { readOnlyUserFor } from '../edge/adapters/mysql/admin-readonly-user.ts';
import { MySqlAdminSessionStore } from '../edge/adapters/mysql/admin-session-store.ts';
import { MySqlAdminUserStore } from '../edge/adapters/mysql/admin-user-store.ts';
import { createMySqlPool } from '../edge/adapters/mysql/mysql-pool.ts';
import type { MySqlStepStore } from '../edge/adapters/mysql/mysql-step-store.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { main } from '../edge/cli/main.ts';
import { serveWeb, type WebServer } from '../edge/runtime/serve-web.ts';
import { createAdminApp } from '../web/admin/admin-app.ts';
import { nodeClientAddress } from '../web/admin/node/client-address.ts';
import { scryptPasswordHasher } from '../web/admin/node/scrypt-passwords.ts';
import type { PasswordHasher } from '../web/admin/passwords.port.ts';
import { createConsoleApp } from '../web/console/console-app.ts';
import { AdminClient, csrfFrom, httpTarget } from './support/admin-client.ts';
import { emptyFleetView } from './support/admin-harness.ts';
import { freshDatabase, MYSQL_ROOT_URL, type TestDatabase } from './support/mysql-database.ts';

const OWNER = { username: 'ada', password: 'correct horse battery' };
const TRADER = { username: 'tess', password: 'trader password 1' };
const CHEAP = { N: 1024, r: 8, p: 1 };
// A first back-off of a minute (default 1 s) so a slow, loaded machine cannot outwait it between two requests.
const SLOW_BACK_OFF = { firstDelayMs: 60_000 };

/** A hasher that counts password checks and the most that ran at once. */
function countingHasher(): PasswordHasher & { verifies: number; maxInFlight: number } {
  const inner = scryptPasswordHasher(CHEAP);
  let inFlight = 0;
  const counter = {
    verifies: 0, maxInFlight: 0,
    hash: (p: string) => inner.hash(p),
    needsRehash: (s: string) => inner.needsRehash(s),
    async verify(password: string, stored: string) {
      counter.verifies++;
      counter.maxInFlight = Math.max(counter.maxInFlight, ++inFlight);
      try {
        return await inner.verify(password, stored);
      } finally {
        inFlight--;
      }
    },
  };
  return counter;
}

let db: TestDatabase;
let pool: Pool;
let ports: MySqlAdminPorts;
let store: MySqlStepStore;
const servers: WebServer[] = [];
const accountIds: number[] = [];

/** An admin served over HTTP on the MySQL ports; `trustedProxies` as KRAITE_TRUSTED_PROXIES would set it. */
async function serveAdmin(trustedProxies: string[] = []) {
  const passwords = countingHasher();
  const app = createAdminApp({
    users: ports.users, sessions: ports.sessions, audit: ports.audit, sql: ports.sql, passwords, clock: systemClock, fleet: emptyFleetView(),
    clientAddress: nodeClientAddress({ trustedProxies }),
  }, { allowInsecureLocalhostCookies: true, loginThrottle: SLOW_BACK_OFF });
  const server = await serveWeb(app, '127.0.0.1', 0);
  servers.push(server);
  return { url: server.url, passwords, client: (headers: Record<string, string> = {}) => new AdminClient(httpTarget, server.url, headers) };
}

async function serveConsole() {
  const app = createConsoleApp({
    users: new MySqlAdminUserStore(pool, 'console_users'), sessions: new MySqlAdminSessionStore(pool, 'console_sessions'), directory: new MySqlConsoleDirectory(pool),
    passwords: scryptPasswordHasher(CHEAP), audit: ports.audit, clock: systemClock, store, clientAddress: nodeClientAddress({ trustedProxies: [] }),
  }, { allowInsecureLocalhostCookies: true });
  const server = await serveWeb(app, '127.0.0.1', 0);
  servers.push(server);
  return { url: server.url, client: () => new AdminClient(httpTarget, server.url) };
}

async function cli(...argv: string[]) {
  const out: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => out.push(l), env: { DATABASE_URL: db.url, REDIS_URL: '' } });
  return { code, out: out.join('\n') };
}

async function sqlPost(client: AdminClient, statement: string, path = '/sql') {
  const token = csrfFrom(await (await client.get('/sql')).text());
  const res = await client.postForm(path, { _csrf: token, statement });
  return { status: res.status, page: await res.text() };
}

async function lastAudit(action: string) {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT who, action, subject, outcome, detail, ip FROM admin_audit WHERE action = ? ORDER BY id DESC LIMIT 1', [action]);
  return rows[0];
}

beforeAll(async () => {
  db = await freshDatabase();
  pool = createMySqlPool(db.url, { connectionLimit: 4 });
  ports = await openMySqlAdminPorts({ url: db.url });
  store = await openMySqlStepStore(db.url, { connectionLimit: 2 });
  const passwords = scryptPasswordHasher(CHEAP);
  await ports.users.create(OWNER.username, await passwords.hash(OWNER.password), Date.now());
  for (const name of ['acct-a', 'acct-b']) {
    await store.transaction((tx) => applyRowEffects(tx, [insertAccount(sampleAccount(name), Date.now())]));
    const [row] = await store.findRows(TABLES.accounts, { name });
    accountIds.push(Number(row!.id));
  }
}, 60_000);

afterAll(async () => {
  for (const server of servers) await server.close();
  await ports?.close();
  await store?.close();
  await pool?.end();
  const root = createMySqlPool(MYSQL_ROOT_URL, { connectionLimit: 1 });
  if (db) await root.query('DROP USER IF EXISTS ?@?', [readOnlyUserFor(db.name), '%']);
  await root.end();
  await db?.drop();
});

describe('1. the SQL console reads no secret', () => {
  it.each([
    ['operator password hashes', 'SELECT username, password_hash FROM admin_users'],
    ['trader password hashes', 'SELECT password_hash FROM console_users'],
    ['live CSRF tokens', 'SELECT csrf_token FROM admin_sessions'],
    ['session keys', 'SELECT id_hash FROM console_sessions'],
    ['API key ciphertext', 'SELECT api_key_enc, api_secret_enc FROM accounts'],
    ['a secret through SELECT *', 'SELECT * FROM admin_users'],
    ['a secret through a WHERE clause', "SELECT id FROM admin_users WHERE password_hash LIKE 'scrypt%'"],
  ])('refuses %s (the database says no)', async (_what, statement) => {
    const admin = await serveAdmin();
    const client = admin.client();
    expect((await client.login(OWNER.username, OWNER.password)).status).toBe(303);
    const { status, page } = await sqlPost(client, statement);
    expect(status).toBe(422);
    expect(page).toContain('the database refused it');
    expect(page).not.toContain('scrypt$');
  });

  it('still reads what an operator needs (who exists, who is signed in, the accounts)', async () => {
    const admin = await serveAdmin();
    const client = admin.client();
    await client.login(OWNER.username, OWNER.password);
    const users = await sqlPost(client, 'SELECT id, username, created_at FROM admin_users');
    expect(users.status).toBe(200);
    expect(users.page).toContain('<td>ada</td>');
    expect((await sqlPost(client, 'SELECT user_id, username, expires_at FROM admin_sessions')).status).toBe(200);
    expect((await sqlPost(client, 'SELECT id, name, trading_enabled FROM accounts')).page).toContain('<td>acct-a</td>');
  });

  it('SHOW GRANTS and SHOW CREATE USER never print the read-only user\'s password hash', async () => {
    const admin = await serveAdmin();
    const client = admin.client();
    await client.login(OWNER.username, OWNER.password);
    for (const statement of ['SHOW GRANTS', 'SHOW CREATE USER CURRENT_USER']) {
      for (const path of ['/sql', '/sql.csv']) {
        const { status, page } = await sqlPost(client, statement, path);
        expect(status, statement).toBe(200);
        expect(page, statement).not.toMatch(/\*[0-9A-F]{40}/);
        expect(page, statement).toContain('redacted');
      }
    }
  });
});

describe('2. the guard and MariaDB agree on what a comment is', () => {
  it('a Unicode space after -- does not hide file access from the guard', async () => {
    const admin = await serveAdmin();
    const client = admin.client();
    await client.login(OWNER.username, OWNER.password);
    // MariaDB reads `--` + U+00A0 as two minus signs and an identifier, so the whole line runs.
    const { status, page } = await sqlPost(client, "SELECT 2 --\u00a0 AS x, LOAD_FILE('/etc/hostname') FROM (SELECT 1 AS `\u00a0`) t");
    expect(status).toBe(422);
    expect(page).toContain('Refused:');
    expect(page).not.toContain('the database refused it');
    expect(page).toContain('U+00A0');
    expect(await lastAudit('sql')).toMatchObject({ outcome: 'refused' });
  });
});

describe('3. the login burst', () => {
  it('40 concurrent wrong passwords: only the free attempts are checked, never 40 scrypts at once, and the right password then waits', async () => {
    const admin = await serveAdmin();
    const burst = await Promise.all(Array.from({ length: 40 }, () => admin.client().login(OWNER.username, 'wrong password!')));
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(35);
    expect(admin.passwords.verifies).toBeLessThanOrEqual(5);
    expect(admin.passwords.maxInFlight).toBeLessThanOrEqual(2);
    // Guessing on one at a time reaches the limit after five checks in all, burst included.
    for (let i = 0; i < 10 && (await admin.client().login(OWNER.username, 'wrong password!')).status === 401; i++);
    expect(admin.passwords.verifies).toBe(5);
    // This address never signed in as ada: the right password waits out the back-off too.
    const right = await admin.client().login(OWNER.username, OWNER.password);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('4. the client address', () => {
  it('X-Real-IP from an untrusted peer is ignored: rotating it neither dodges the limit nor forges the audit', async () => {
    const admin = await serveAdmin();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await admin.client({ 'x-real-ip': `203.0.113.${i}` }).login(`guess${i}`, 'wrong password!')).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(await lastAudit('login')).toMatchObject({ ip: '127.0.0.1' });
  });

  it('X-Real-IP from a configured proxy is the client address', async () => {
    const admin = await serveAdmin(['127.0.0.1']);
    await admin.client({ 'x-real-ip': '198.51.100.20' }).login('nobody-here', 'wrong password!');
    expect(await lastAudit('login')).toMatchObject({ who: 'nobody-here', ip: '198.51.100.20' });
  });
});

describe('5. the owner is never locked out', () => {
  it('failures from elsewhere slow the attacker but not the owner at an address they signed in from before', async () => {
    const admin = await serveAdmin(['127.0.0.1']);
    const home = { 'x-real-ip': '198.51.100.7' };
    const owner = admin.client(home);
    expect((await owner.login(OWNER.username, OWNER.password)).status).toBe(303);
    const attacker = [];
    for (let i = 0; i < 12; i++) attacker.push((await admin.client({ 'x-real-ip': `203.0.113.${100 + i}` }).login(OWNER.username, 'wrong password!')).status);
    expect(attacker.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(attacker.slice(5).every((s) => s === 429)).toBe(true);
    expect((await admin.client(home).login(OWNER.username, OWNER.password)).status).toBe(303);
  });
});

describe('6. trader lifecycle', () => {
  it('a password reset ends the trader\'s sessions, --account sets the links exactly, disable ends them at once', async () => {
    const console_ = await serveConsole();
    const [a, b] = accountIds as [number, number];
    expect((await cli('admin:create-trader', '--username', TRADER.username, '--password', TRADER.password, '--account', String(a), '--account', String(b))).code).toBe(0);
    const trader = console_.client();
    expect((await trader.login(TRADER.username, TRADER.password)).status).toBe(303);
    expect((await trader.get('/')).status).toBe(200);

    expect((await cli('admin:create-trader', '--reset', '--username', TRADER.username, '--password', 'a new trader password', '--account', String(b))).code).toBe(0);
    expect((await trader.get('/')).status).toBe(302);
    const [links] = await pool.query<RowDataPacket[]>('SELECT account_id FROM console_user_accounts ORDER BY account_id');
    expect(links.map((r) => Number(r.account_id))).toEqual([b]);

    const again = console_.client();
    expect((await again.login(TRADER.username, 'a new trader password')).status).toBe(303);
    const disabled = await cli('admin:disable-trader', '--username', TRADER.username);
    expect(disabled.code).toBe(0);
    expect(disabled.out).toContain('1 session');
    expect((await again.get('/')).status).toBe(302);
    expect((await console_.client().login(TRADER.username, 'a new trader password')).status).toBe(401);
  });

  it('admin:disable-user ends an operator\'s sessions and refuses their sign-in; --reset enables them again', async () => {
    const admin = await serveAdmin();
    await cli('admin:create-user', '--username', 'grace', '--password', 'grace long password');
    const grace = admin.client();
    expect((await grace.login('grace', 'grace long password')).status).toBe(303);
    expect((await cli('admin:disable-user', '--username', 'grace')).code).toBe(0);
    expect((await grace.get('/')).status).toBe(302);
    expect((await admin.client().login('grace', 'grace long password')).status).toBe(401);
    expect(await lastAudit('disable-user')).toMatchObject({ subject: 'grace', outcome: 'ok' });
    expect((await cli('admin:create-user', '--reset', '--username', 'grace', '--password', 'grace newer password')).code).toBe(0);
    expect((await admin.client().login('grace', 'grace newer password')).status).toBe(303);
  });
});

describe('6b. a disable racing a sign-in', () => {
  it('a session of a disabled user is dead even when it outlived the disable\'s session sweep', async () => {
    const admin = await serveAdmin();
    await ports.users.create('hedy', await scryptPasswordHasher(CHEAP).hash('hedy long password'), Date.now());
    const hedy = admin.client();
    expect((await hedy.login('hedy', 'hedy long password')).status).toBe(303);
    // As if the sign-in finished its session after admin:disable-user had swept the sessions.
    await pool.query("UPDATE admin_users SET disabled_at = 1 WHERE username = 'hedy'");
    expect((await hedy.get('/')).status).toBe(302);
  });

  it('a session whose sign-in began before a password reset is dead, even if created after the reset\'s sweep', async () => {
    const admin = await serveAdmin();
    await ports.users.create('ida', await scryptPasswordHasher(CHEAP).hash('ida long password'), Date.now());
    const ida = admin.client();
    expect((await ida.login('ida', 'ida long password')).status).toBe(303);
    expect((await ida.get('/')).status).toBe(200);
    // As if the reset landed while this sign-in was checking the old password.
    const [[session]] = await pool.query<RowDataPacket[]>("SELECT created_at FROM admin_sessions WHERE username = 'ida'");
    await pool.query("UPDATE admin_users SET password_changed_at = ? WHERE username = 'ida'", [Number(session!.created_at) + 1]);
    expect((await ida.get('/')).status).toBe(302);
    expect((await admin.client().login('ida', 'ida long password')).status).toBe(303);
  });
});

describe('7. the console result is capped in bytes, one query at a time', () => {
  it('a 200 MB result is cut at the byte cap, each cell shown cut at 4 KB, with a notice', async () => {
    const admin = await serveAdmin();
    const client = admin.client();
    await client.login(OWNER.username, OWNER.password);
    const huge = "WITH RECURSIVE s (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 1000) SELECT n, REPEAT('x', 200000) AS big FROM s";
    const { status, page } = await sqlPost(client, huge);
    expect(status).toBe(200);
    expect(page.length).toBeLessThan(1_000_000);
    expect(page).toContain('Truncated');
    expect(page).toContain('8 MB');
    const csv = await sqlPost(client, huge, '/sql.csv');
    expect(csv.page.length).toBeLessThanOrEqual(8 * 1024 * 1024 + 64 * 1024);
    expect(csv.page.length).toBeGreaterThan(4 * 1024 * 1024);
  }, 30_000);

  it('a second query from the same operator while one runs is refused', async () => {
    const admin = await serveAdmin();
    const client = admin.client();
    await client.login(OWNER.username, OWNER.password);
    const token = csrfFrom(await (await client.get('/sql')).text());
    const slow = client.postForm('/sql', { _csrf: token, statement: 'SELECT SLEEP(4)' });
    const running = async () => (await pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO = 'SELECT SLEEP(4)'"))[0][0]!.n;
    await expect.poll(running, { timeout: 5_000 }).toBe(1);
    const second = await client.postForm('/sql', { _csrf: token, statement: 'SELECT 1' });
    expect(second.status).toBe(429);
    expect(await second.text()).toContain('one query at a time');
    expect((await slow).status).toBe(200);
  });
});

describe('8. headers and audit', () => {
  it('every page carries Referrer-Policy, Permissions-Policy, HSTS and frame-ancestors \'none\'', async () => {
    const admin = await serveAdmin();
    const console_ = await serveConsole();
    for (const url of [`${admin.url}/login`, `${console_.url}/login`, `${admin.url}/health`]) {
      const res = await fetch(url);
      expect(res.headers.get('referrer-policy'), url).toBeTruthy();
      expect(res.headers.get('permissions-policy'), url).toContain('camera=()');
      expect(res.headers.get('strict-transport-security'), url).toContain('max-age=');
      expect(res.headers.get('content-security-policy'), url).toContain("frame-ancestors 'none'");
    }
  });
});
