// The SQL console's lexical pre-check: refuses, with a reason, anything that is not one read-only
// statement. Comments, string literals and quoted identifiers are blanked first (length kept), so
// `SELECT ';'` or a column named `update` pass while `SELECT 1; DROP TABLE t` does not. This is
// the first layer only: the read-only user and read-only transaction still refuse whatever slips by.
// Its idea of whitespace and comments is MariaDB's lexer's, which is ASCII only; anything non-ASCII
// outside a string or quoted identifier is refused, since there the two could read it differently
// (`--` + U+00A0 is a comment to JavaScript's \s but two minus signs and an identifier to MariaDB).

/** The verdict: the statement to send (trailing `;` removed), or why it is refused. */
export type SqlCheck = { ok: true; statement: string } | { ok: false; reason: string };

/** MariaDB's whitespace (my_isspace on ASCII): space, tab, LF, VT, FF, CR; nothing else separates tokens. */
export const SQL_WHITESPACE: ReadonlySet<string> = new Set([' ', '\t', '\n', '\v', '\f', '\r']);

/**
 * Whether `--` at `i` opens a comment: in MariaDB only when followed by whitespace or a control
 * character (0x00–0x1F, 0x7F) or the end of the input; otherwise it is two minus signs.
 */
export function dashCommentAt(sql: string, i: number): boolean {
  if (sql[i] !== '-' || sql[i + 1] !== '-') return false;
  const after = sql.charCodeAt(i + 2);
  return Number.isNaN(after) || after <= 0x20 || after === 0x7f;
}

/** The refusal for a non-ASCII character outside strings and quoted identifiers. */
function nonAscii(sql: string, i: number): Error {
  const code = sql.codePointAt(i)!;
  return new Error(`the character U+${code.toString(16).toUpperCase().padStart(4, '0')} at offset ${i} is refused: outside strings and quoted identifiers only ASCII is accepted (MariaDB would read it differently)`);
}

/** Throws when `sql[from, to)` holds a non-ASCII character. */
function requireAscii(sql: string, from: number, to: number): void {
  for (let k = from; k < to; k++) if (sql.charCodeAt(k) > 0x7f) throw nonAscii(sql, k);
}

/** Blanks comments, strings and quoted identifiers without changing offsets; throws on what cannot be lexed safely (including non-ASCII outside them). */
export function maskSql(sql: string): string {
  const out: string[] = [];
  let i = 0;
  const blank = (from: number, to: number, keepEnds: boolean) => {
    for (let k = from; k < to; k++) out.push(keepEnds && (k === from || k === to - 1) ? sql[k]! : keepEnds ? '_' : ' ');
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '/' && next === '*') {
      // /*! … */ and /*M! … */ are executed by the server: never hide them from the check.
      if (sql[i + 2] === '!' || (sql[i + 2] === 'M' && sql[i + 3] === '!')) throw new Error('executable comments (/*! … */) are refused: the server runs their contents as SQL');
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) throw new Error('the statement has an unterminated /* comment');
      requireAscii(sql, i, end + 2);
      blank(i, end + 2, false);
      i = end + 2;
    } else if (c === '#' || dashCommentAt(sql, i)) {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      requireAscii(sql, i, stop);
      blank(i, stop, false);
      i = stop;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) throw new Error(`the statement has an unterminated ${c === '`' ? 'quoted identifier' : 'string literal'}`);
        if (sql[j] === '\\' && c !== '`') j += 2;
        else if (sql[j] === c && sql[j + 1] === c) j += 2;
        else if (sql[j] === c) break;
        else j++;
      }
      // Identifiers become one word (`____`), strings become blanks between their quotes.
      if (c === '`') blank(i, j + 1, true);
      else for (let k = i; k <= j; k++) out.push(k === i || k === j ? c : ' ');
      i = j + 1;
    } else {
      if (sql.charCodeAt(i) > 0x7f) throw nonAscii(sql, i);
      out.push(c);
      i++;
    }
  }
  return out.join('');
}

const ALLOWED = new Set(['SELECT', 'WITH', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN']);

/** File access and locking, refused wherever they appear; the first match names the reason. */
const ANYWHERE: [RegExp, string][] = [
  [/\bINTO\s+(OUTFILE|DUMPFILE)\b/i, 'file access is refused: SELECT … INTO OUTFILE / DUMPFILE writes files on the database server'],
  [/\bLOAD_FILE\s*\(/i, 'file access is refused: LOAD_FILE() reads files on the database server'],
  [/\bLOAD\s+(DATA|XML)\b/i, 'file access is refused: LOAD DATA / LOAD XML reads files'],
  [/\bFOR\s+(UPDATE|SHARE)\b|\bLOCK\s+IN\s+SHARE\s+MODE\b/i, 'locking reads are refused (FOR UPDATE / FOR SHARE / LOCK IN SHARE MODE): the console never holds row locks'],
  [/\b(UN)?LOCK\s+TABLES?\b/i, 'LOCK TABLES is refused: the console never holds table locks'],
  [/\bGET_LOCK\s*\(/i, 'named locks are refused (GET_LOCK): the console never holds locks'],
];

/** Leading keywords with a specific reason. */
const LEADING: [RegExp, string][] = [
  [/^(INSERT|UPDATE|DELETE|REPLACE)$/, 'writes are refused ($1): the SQL console is read-only'],
  [/^(DROP|ALTER|CREATE|TRUNCATE|RENAME)$/, 'schema changes are refused ($1): the SQL console is read-only'],
  [/^SET$/, 'SET is refused: the console cannot change session or server variables'],
  [/^CALL$/, 'CALL is refused: stored procedures can write'],
  [/^(GRANT|REVOKE)$/, 'privilege changes are refused ($1)'],
  [/^(START|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|XA)$/, 'transaction control is refused ($1): every query runs in its own read-only transaction'],
];

/** Write and DDL keywords inside an allowed statement (WITH … DELETE, EXPLAIN UPDATE); INSERT( and REPLACE( are string functions. */
const WRITE_INSIDE = /\b(UPDATE|DELETE|DROP|ALTER|CREATE|TRUNCATE\s+TABLE|RENAME|GRANT|REVOKE)\b|\b(INSERT|REPLACE)\b(?!\s*\()/i;

/** Checks that `sql` is a single read-only statement the console may send. */
export function checkReadOnlySql(sql: string): SqlCheck {
  if (sql.includes('\0')) return { ok: false, reason: 'the statement contains a NUL character' };
  let masked: string;
  try {
    masked = maskSql(sql);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  // The masked text is ASCII now, so `\s` below means exactly SQL_WHITESPACE (plus the blanks).
  // One optional trailing `;`; any other `;` outside strings and comments means a second statement.
  const trailing = /;\s*$/.exec(masked);
  const end = trailing ? trailing.index : masked.length;
  const body = masked.slice(0, end);
  if (body.includes(';')) return { ok: false, reason: 'multiple statements are refused: run one statement at a time' };
  const statement = sql.slice(0, end).trim();
  const leading = /^[\s(]*([A-Za-z_]+)/.exec(body)?.[1]?.toUpperCase();
  if (!leading) return { ok: false, reason: body.trim() ? 'the statement does not start with a keyword' : 'the statement is empty' };
  for (const [pattern, reason] of ANYWHERE) if (pattern.test(body)) return { ok: false, reason };
  for (const [pattern, reason] of LEADING) if (pattern.test(leading)) return { ok: false, reason: leading.replace(pattern, reason) };
  if (!ALLOWED.has(leading)) return { ok: false, reason: `${leading} is refused: the console runs SELECT, WITH, SHOW, DESCRIBE and EXPLAIN only` };
  if (/\bINTO\b/i.test(body)) return { ok: false, reason: 'SELECT … INTO is refused: the console only returns rows' };
  // SHOW CREATE TABLE and SHOW GRANTS name write keywords but only read.
  const inside = leading === 'SHOW' ? null : WRITE_INSIDE.exec(body);
  if (inside) return { ok: false, reason: `writes are refused (${(inside[1] ?? inside[2])!.toUpperCase().replace(/\s+/g, ' ')}): the SQL console is read-only` };
  return { ok: true, statement };
}
