// The SQL console against real MariaDB: the admin app on the MySQL adapters (users, sessions, audit)
// and the real read-only user. Every refusal the issue names is sent through the page, and the same
// statements are sent straight to the executor (no lexical check) to show the database refuses too.
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../core/ports/clock.ts';
import { MySqlAuditLog } from '../edge/adapters/mysql/admin-audit-log.ts';
import { openReadOnlySqlExecutor, readOnlyUserFor } from '../edge/adapters/mysql/admin-readonly-user.ts';
import { MySqlAdminSessionStore } from '../edge/adapters/mysql/admin-session-store.ts';
import type { MySqlReadOnlyExecutor } from '../edge/adapters/mysql/admin-sql-executor.ts';
import { MySqlAdminUserStore } from '../edge/adapters/mysql/admin-user-store.ts';
import { createMySqlPool } from '../edge/adapters/mysql/mysql-pool.ts';
import { createAdminApp } from '../web/admin/admin-app.ts';
import { scryptPasswordHasher } from '../web/admin/node/scrypt-passwords.ts';
import { AdminClient, csrfFrom } from './support/admin-client.ts';
import { emptyFleetView } from './support/admin-harness.ts';
import { freshDatabase, MYSQL_ROOT_URL, type TestDatabase } from './support/mysql-database.ts';

const LIMITS = { maxRows: 50, timeoutMs: 1_000, maxBytes: 1024 * 1024 };
const RO_USER = `kraite_ro_${crypto.randomUUID().replace(/-/g, '').slice(0, 8)}`;

let db: TestDatabase;
let pool: Pool;
let executor: MySqlReadOnlyExecutor;
let client: AdminClient;
let audit: MySqlAuditLog;

beforeAll(async () => {
  db = await freshDatabase();
  pool = createMySqlPool(db.url, { connectionLimit: 2 });
  await pool.query('CREATE TABLE probe (id INT PRIMARY KEY, label VARCHAR(32))');
  await pool.query("INSERT INTO probe VALUES (1, 'one'), (2, 'two'), (3, 'three')");
  executor = await openReadOnlySqlExecutor({ adminUrl: db.url, user: RO_USER, host: '%' });
  const passwords = scryptPasswordHasher({ N: 1024, r: 8, p: 1 });
  const users = new MySqlAdminUserStore(pool);
  await users.create('ada', await passwords.hash('correct horse battery'), Date.now());
  audit = new MySqlAuditLog(pool);
  const app = createAdminApp({ users, sessions: new MySqlAdminSessionStore(pool), passwords, sql: executor, audit, clock: systemClock, fleet: emptyFleetView() }, { sqlLimits: LIMITS });
  client = new AdminClient(app);
  expect((await client.login('ada', 'correct horse battery')).status).toBe(303);
});

afterAll(async () => {
  await executor?.close();
  await pool?.end();
  const root = createMySqlPool(MYSQL_ROOT_URL, { connectionLimit: 1 });
  await root.query('DROP USER IF EXISTS ?@?', [RO_USER, '%']);
  await root.end();
  await db?.drop();
});

async function consolePost(statement: string): Promise<{ status: number; page: string }> {
  const token = csrfFrom(await (await client.get('/sql')).text());
  const res = await client.postForm('/sql', { _csrf: token, statement });
  return { status: res.status, page: await res.text() };
}

async function probeRows(): Promise<string> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT GROUP_CONCAT(id, label ORDER BY id) AS s FROM probe');
  return String(rows[0]!.s);
}

describe('SQL console on MariaDB through the read-only user', () => {
  it('runs a read and shows the rows as a table and as CSV', async () => {
    const { status, page } = await consolePost('SELECT id, label FROM probe ORDER BY id');
    expect(status).toBe(200);
    expect(page).toContain('<td>three</td>');
    expect(page).toContain('3 rows in');
    const token = csrfFrom(page);
    const csv = await client.postForm('/sql.csv', { _csrf: token, statement: 'SELECT id, label FROM probe ORDER BY id' });
    expect(await csv.text()).toBe('id,label\r\n1,one\r\n2,two\r\n3,three\r\n');
  });

  it.each([
    ['INSERT', "INSERT INTO probe VALUES (9, 'nine')", /writes are refused \(INSERT\)/],
    ['UPDATE', "UPDATE probe SET label = 'x'", /writes are refused \(UPDATE\)/],
    ['DELETE', 'DELETE FROM probe', /writes are refused \(DELETE\)/],
    ['DROP', 'DROP TABLE probe', /schema changes are refused \(DROP\)/],
    ['multi-statement', 'SELECT 1; DELETE FROM probe', /multiple statements are refused/],
    ['INTO OUTFILE', "SELECT * FROM probe INTO OUTFILE '/tmp/kraite-probe.txt'", /file access is refused: SELECT … INTO OUTFILE/],
    ['LOAD_FILE', "SELECT LOAD_FILE('/etc/passwd')", /file access is refused: LOAD_FILE/],
    ['FOR UPDATE', 'SELECT * FROM probe FOR UPDATE', /locking reads are refused/],
  ])('refuses %s with a clear reason and changes nothing', async (_name, statement, reason) => {
    const before = await probeRows();
    const { status, page } = await consolePost(statement);
    expect(status).toBe(422);
    expect(page).toContain('<strong>Refused:</strong>');
    expect(page).toMatch(reason);
    expect(await probeRows()).toBe(before);
    const [last] = await audit.recent(1);
    expect(last).toMatchObject({ who: 'ada', action: 'sql', subject: statement, outcome: 'refused' });
  });

  it('stops SLEEP beyond the time cap and says so', async () => {
    const started = Date.now();
    const { status, page } = await consolePost('SELECT SLEEP(5)');
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(status).toBe(422);
    expect(page).toContain('Time cap reached');
    expect(page).toContain('stopped at the 1 s time cap');
  });

  it('keeps at most the row cap and says the result was truncated', async () => {
    const { status, page } = await consolePost('WITH RECURSIVE s (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 500) SELECT n FROM s');
    expect(status).toBe(200);
    expect(page).toContain(`Truncated: showing the first ${LIMITS.maxRows} rows`);
  });

  it('stops reading a single row far larger than the byte cap (the driver would hold all of it)', async () => {
    // A time cap far above the work, so a loaded box cannot turn the byte cap into a timeout.
    const limits = { ...LIMITS, maxBytes: 1024 * 1024, timeoutMs: 60_000 };
    // One 90 MB row: six cells of 15 MB (each under max_allowed_packet).
    const cells = Array.from({ length: 6 }, (_, i) => `REPEAT('x', 15000000) AS c${i}`).join(', ');
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const run = await executor.execute(`SELECT ${cells}`, limits);
    clearInterval(sampler);
    expect(run).toMatchObject({ kind: 'rows', rows: [], truncated: 'bytes' });
    expect(peak - before).toBeLessThan(60 * 1024 * 1024);
    // The pool is still usable afterwards (the abandoned connection was dropped, not reused).
    expect(await executor.execute('SELECT 1', limits)).toMatchObject({ kind: 'rows', rows: [['1']] });
  });

  it.each([
    ['INSERT', "INSERT INTO probe VALUES (9, 'nine')"],
    ['UPDATE', "UPDATE probe SET label = 'x'"],
    ['DELETE', 'DELETE FROM probe'],
    ['DROP', 'DROP TABLE probe'],
    ['CREATE', 'CREATE TABLE sneaky (id INT)'],
    ['INTO OUTFILE', "SELECT * FROM probe INTO OUTFILE '/tmp/kraite-probe-ro.txt'"],
  ])('the database itself refuses %s from the read-only user (no lexical check in between)', async (_name, statement) => {
    const before = await probeRows();
    const run = await executor.execute(statement, LIMITS);
    expect(run).toMatchObject({ kind: 'failed', deniedByDatabase: true });
    expect(await probeRows()).toBe(before);
  });

  it('the database returns NULL for LOAD_FILE from the read-only user (no FILE privilege)', async () => {
    const run = await executor.execute("SELECT LOAD_FILE('/etc/passwd') AS f", LIMITS);
    expect(run).toMatchObject({ kind: 'rows', rows: [[null]] });
  });

  it('a multi-statement string never reaches the server as two statements', async () => {
    const before = await probeRows();
    const run = await executor.execute('SELECT 1; DELETE FROM probe', LIMITS);
    expect(run.kind).toBe('failed');
    expect(await probeRows()).toBe(before);
  });

  it('FOR UPDATE inside the read-only transaction holds no lock after the query', async () => {
    // Even if a locking read slipped past the pre-check, the transaction is rolled back at once.
    const run = await executor.execute('SELECT id FROM probe WHERE id = 1 FOR UPDATE', LIMITS);
    expect(run.kind === 'rows' || (run.kind === 'failed' && run.deniedByDatabase)).toBe(true);
    const conn = await pool.getConnection();
    try {
      await conn.query('SET SESSION innodb_lock_wait_timeout = 1');
      await conn.query('START TRANSACTION');
      await conn.query("UPDATE probe SET label = 'uno' WHERE id = 1");
      await conn.query('ROLLBACK');
    } finally {
      conn.release();
    }
  });
});

describe('one read-only user per database', () => {
  it('two fleets on one server get their own users: opening the second leaves the first working and walled off', async () => {
    const other = await freshDatabase();
    const first = await openReadOnlySqlExecutor({ adminUrl: db.url });
    let second: MySqlReadOnlyExecutor | undefined;
    try {
      expect(readOnlyUserFor(db.name)).toBe(`kraite_ro_${db.name}`);
      expect(readOnlyUserFor(other.name)).not.toBe(readOnlyUserFor(db.name));
      expect(readOnlyUserFor('a'.repeat(40))).toMatch(/^kraite_ro_[0-9a-f]{16}$/);
      // Pools connect lazily: the first user's first connection is made after the second user was set up.
      second = await openReadOnlySqlExecutor({ adminUrl: other.url });
      expect(await first.execute('SELECT COUNT(*) FROM probe', LIMITS)).toMatchObject({ kind: 'rows', rows: [['3']] });
      expect(await second.execute(`SELECT COUNT(*) FROM ${db.name}.probe`, LIMITS)).toMatchObject({ kind: 'failed', deniedByDatabase: true });
    } finally {
      await first.close();
      await second?.close();
      const root = createMySqlPool(MYSQL_ROOT_URL, { connectionLimit: 1 });
      for (const name of [db.name, other.name]) await root.query('DROP USER IF EXISTS ?@?', [readOnlyUserFor(name), '%']);
      await root.end();
      await other.drop();
    }
  });
});
