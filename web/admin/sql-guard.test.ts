import { describe, expect, it } from 'vitest';
import { checkReadOnlySql, dashCommentAt, maskSql, SQL_WHITESPACE } from './sql-guard.ts';

const reason = (sql: string) => {
  const r = checkReadOnlySql(sql);
  return r.ok ? null : r.reason;
};

describe('SQL console pre-check', () => {
  it.each([
    'SELECT 1',
    'select * from default_steps where id = 3;',
    "SELECT ';' AS semi, 'DROP TABLE x' AS s, \"UPDATE\" AS d",
    "SELECT 'it''s; fine', 'back\\'slash; too'",
    'SELECT `update`, `delete;` FROM `drop`',
    'SELECT updated_at, created_at, FIND_IN_SET(1, "1") FROM t -- ; DROP TABLE t',
    'SELECT 1 # ; DELETE FROM t',
    'SELECT /* ; INSERT INTO t */ 1',
    'SELECT /*+ MAX_EXECUTION_TIME(100) */ 1',
    'WITH x AS (SELECT 1 AS a) SELECT a FROM x',
    '(SELECT 1) UNION (SELECT 2)',
    'SHOW TABLES', 'SHOW CREATE TABLE default_steps', 'DESCRIBE default_steps', 'DESC t', 'EXPLAIN SELECT 1',
    "SELECT REPLACE(label, 'a', 'b'), INSERT('abc', 1, 1, 'x'), TRUNCATE(1.55, 1)",
    'SELECT SLEEP(10)',
    "SELECT 'café ☕', `naïve` FROM t",
    'SELECT 1 --\tcomment; DROP',
    'SELECT 1 --\x01; DROP',
    'SELECT 1 --',
    'SELECT 2--1',
  ])('allows %s', (sql) => {
    expect(reason(sql)).toBeNull();
  });

  it.each([
    ['INSERT INTO t VALUES (1)', /writes are refused \(INSERT\)/],
    ['update t set a = 1', /writes are refused \(UPDATE\)/],
    ['DELETE FROM t', /writes are refused \(DELETE\)/],
    ['REPLACE INTO t VALUES (1)', /writes are refused \(REPLACE\)/],
    ['DROP TABLE t', /schema changes are refused \(DROP\)/],
    ['ALTER TABLE t ADD c INT', /schema changes are refused \(ALTER\)/],
    ['CREATE TABLE x (a INT)', /schema changes are refused \(CREATE\)/],
    ['TRUNCATE TABLE t', /schema changes are refused \(TRUNCATE\)/],
    ['SELECT 1; DROP TABLE t', /multiple statements are refused/],
    ["SELECT ';'; SELECT 2", /multiple statements are refused/],
    ["SELECT * FROM t INTO OUTFILE '/tmp/x'", /file access is refused.*OUTFILE/],
    ["SELECT a INTO DUMPFILE '/tmp/x' FROM t", /file access is refused/],
    ["SELECT LOAD_FILE('/etc/passwd')", /file access is refused: LOAD_FILE/],
    ["LOAD DATA INFILE '/tmp/x' INTO TABLE t", /file access is refused/],
    ['SELECT * FROM t FOR UPDATE', /locking reads are refused/],
    ['SELECT * FROM t LOCK IN SHARE MODE', /locking reads are refused/],
    ['SELECT * FROM t FOR SHARE', /locking reads are refused/],
    ['LOCK TABLES t READ', /LOCK TABLES is refused/],
    ["SELECT GET_LOCK('x', 10)", /named locks are refused/],
    ['SET @a = 1', /SET is refused/],
    ['SET SESSION max_statement_time = 0', /SET is refused/],
    ['CALL p()', /CALL is refused/],
    ['SELECT 1 INTO @x', /SELECT … INTO is refused/],
    ['COMMIT', /transaction control is refused/],
    ['GRANT ALL ON *.* TO x', /privilege changes are refused/],
    ['HANDLER t OPEN', /HANDLER is refused: the console runs SELECT/],
    ['WITH x AS (SELECT 1) DELETE FROM t', /writes are refused \(DELETE\)/],
    ['EXPLAIN UPDATE t SET a = 1', /writes are refused \(UPDATE\)/],
    ['SELECT 1 /*! ; DROP TABLE t */', /executable comments/],
    ['SELECT 1 /*M!100000 , SLEEP(1) */', /executable comments/],
    ["SELECT 'open", /unterminated string literal/],
    ['SELECT 1 /* open', /unterminated \/\* comment/],
    ['   ', /the statement is empty/],
    ['-- only a comment', /the statement is empty/],
    ['SELECT 1\0', /NUL/],
    ['SELECT 2 --\u00a0 AS x, LOAD_FILE(1)', /U\+00A0 at offset 11 is refused/],
    ['SELECT 2 --\u2003, SLEEP(1)', /U\+2003/],
    ['SELECT 1\u00a0FROM t', /U\+00A0/],
    ['SELECT 1 # café\n', /U\+00E9/],
    ['SELECT 1 /* ; \u00a0 */', /U\+00A0/],
    ['SELECT ´x´', /U\+00B4/],
    ['SELECT 1 --x; DROP TABLE t', /multiple statements are refused/],
  ])('refuses %s', (sql, why) => {
    expect(reason(sql)).toMatch(why);
  });

  it('sends the statement without its trailing semicolon and keeps literals intact', () => {
    expect(checkReadOnlySql("SELECT ';' ;  \n")).toEqual({ ok: true, statement: "SELECT ';'" });
  });

  it('agrees with MariaDB on where `--` opens a comment: whitespace, control characters or the end, nothing else', () => {
    expect(dashCommentAt('--', 0)).toBe(true);
    expect([' ', '\t', '\n', '\v', '\f', '\r', '\x01', '\x7f'].every((c) => dashCommentAt(`--${c}`, 0))).toBe(true);
    expect(['\u00a0', '\u2003', '\u3000', '\ufeff', 'x', '1', '-'].some((c) => dashCommentAt(`--${c}`, 0))).toBe(false);
    expect([...SQL_WHITESPACE].join('')).toBe(' \t\n\v\f\r');
  });

  it('masks without moving offsets', () => {
    const sql = "SELECT 'a;b', `x y` -- c;\nFROM t";
    const masked = maskSql(sql);
    expect(masked).toHaveLength(sql.length);
    expect(masked).not.toContain(';');
    expect(masked).toContain('FROM t');
  });
});
