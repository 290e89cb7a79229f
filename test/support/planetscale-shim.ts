// A PlanetScale HTTP API shim on loopback in front of the local MariaDB, so the real
// @planetscale/database client runs offline (from Node and from workerd). Protocol facts it relies on,
// read from the client (node_modules/@planetscale/database/dist/index.js, 1.20.2):
//
// - Every call is `POST <origin>/psdb.v1alpha1.Database/<Method>` with a JSON body, `Authorization:
//   Basic base64(user:password)`. Methods: `Execute` ({ query, session }) and `CreateSession` ({}).
// - Values are interpolated into the SQL text by the client (`format`): no bind variables travel.
// - A response is JSON: `{ session, result, error, timing }`. The client stores `session` (opaque to it)
//   and sends it with its next Execute: a session is what ties BEGIN … COMMIT together, and what
//   keeps `SET` session variables (isolation level, time zone). A null session starts a new one.
// - `result.fields[]` = { name, type (Vitess type name: INT64, UINT32, VARCHAR, TEXT, JSON, DECIMAL,
//   DATETIME …), table, orgTable, database, orgName, columnLength, charset (63 = binary), flags };
//   `result.rows[]` = { lengths: string[] (bytes per value, "-1" = NULL), values: base64 of the
//   concatenated value bytes }. Every value is its text-protocol form.
// - `rowsAffected` and `insertId` are decimal strings, omitted when zero (proto3 JSON). rowsAffected
//   counts CHANGED rows (Vitess does not ask MySQL for found rows), unlike mysql2's matched rows.
// - A statement error comes back as HTTP 200 with `error: { message, code }`; the message carries
//   MySQL's number as `(errno N) (sqlstate S)`, which is how a client tells a duplicate key (1062)
//   or a deadlock (1213) apart. Bad credentials are HTTP 401 with the same error shape.
//
// Session model, as Vitess does it: a session is a token plus its settings. It holds a MySQL
// connection of its own from its first SET or BEGIN on (a transaction, or session variables, live on
// one connection); a session that never did either runs each statement on a shared pool.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createConnection, createPool, type Connection, type FieldPacket, type Pool, type ResultSetHeader } from 'mysql2/promise';

/** Options of the shim. */
export interface PlanetScaleShimOptions {
  /** The MariaDB database the shim serves, e.g. mysql://root@127.0.0.1:3306/kraite_t_x. */
  mysqlUrl: string;
  username?: string;
  password?: string;
}

/** Counters a test or benchmark reads: requests by method, statements by first keyword. */
export interface ShimCounters {
  requests: number;
  statements: number;
  begins: number;
  commits: number;
  sessionsOpened: number;
}

interface Session {
  id: string;
  conn: Connection | null;
  /** Statements run on this session's connection one at a time, like a MySQL connection would. */
  chain: Promise<unknown>;
}

/** MySQL column type code → Vitess type name (unsigned variants where the flag says so). */
function vitessType(f: FieldPacket): string {
  const unsigned = ((f.flags as number) & 32) !== 0;
  const binary = f.characterSet === 63;
  const ints: Record<number, string> = { 1: 'INT8', 2: 'INT16', 9: 'INT24', 3: 'INT32', 8: 'INT64' };
  const t = f.columnType ?? 0;
  if (ints[t]) return unsigned ? `U${ints[t]}` : ints[t]!;
  const flags = f.flags as number;
  if (flags & 256) return 'ENUM';
  if (flags & 2048) return 'SET';
  const named: Record<number, string> = { 0: 'DECIMAL', 246: 'DECIMAL', 4: 'FLOAT32', 5: 'FLOAT64', 6: 'NULL', 7: 'TIMESTAMP', 10: 'DATE', 11: 'TIME', 12: 'DATETIME',
    13: 'YEAR', 16: 'BIT', 245: 'JSON' };
  if (named[t]) return named[t]!;
  if (t >= 249 && t <= 252) return binary ? 'BLOB' : 'TEXT';
  if (t === 254) return binary ? 'BINARY' : 'CHAR';
  return binary ? 'VARBINARY' : 'VARCHAR';
}

/** The Vitess gRPC code name for a MySQL error number. */
const vitessCode = (errno: number) => ({ 1062: 'ALREADY_EXISTS', 1213: 'ABORTED', 1205: 'DEADLINE_EXCEEDED', 1064: 'INVALID_ARGUMENT', 1054: 'INVALID_ARGUMENT' }[errno] ?? 'UNKNOWN');

/** A statement's result in the wire format. */
function encodeResult(result: unknown, fields: FieldPacket[] | undefined): Record<string, unknown> {
  if (!Array.isArray(result)) {
    const header = result as ResultSetHeader;
    const out: Record<string, unknown> = {};
    if (header.affectedRows) out.rowsAffected = String(header.affectedRows);
    if (header.insertId) out.insertId = String(header.insertId);
    return out;
  }
  const cols = fields ?? [];
  return {
    fields: cols.map((f) => ({ name: f.name, type: vitessType(f), table: f.table, orgTable: f.orgTable, database: f.db, orgName: f.orgName,
      columnLength: f.columnLength, charset: f.characterSet, flags: f.flags })),
    rows: (result as (Buffer | null)[][]).map((row) => {
      const values = row.map((v) => v ?? Buffer.alloc(0));
      return { lengths: row.map((v) => (v === null ? '-1' : String(v.length))), values: Buffer.concat(values).toString('base64') };
    }),
  };
}

const BEGIN = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const PINNING = /^\s*(BEGIN|START\s+TRANSACTION|SET)\b/i;

/** A running shim; `url` is what the client's `url` option takes. */
export class PlanetScaleShim {
  readonly counters: ShimCounters = { requests: 0, statements: 0, begins: 0, commits: 0, sessionsOpened: 0 };
  private readonly sessions = new Map<string, Session>();
  private readonly pool: Pool;
  private server: Server | null = null;
  private port = 0;
  private readonly username: string;
  private readonly password: string;

  constructor(private readonly options: PlanetScaleShimOptions) {
    this.username = options.username ?? 'kraite';
    this.password = options.password ?? 'pscale_pw_shim';
    this.pool = createPool({ ...this.connectionOptions(), connectionLimit: 8 });
  }

  /** mysql2 options: raw text values (typeCast off) and changed-row counts (no FOUND_ROWS), as Vitess reports them. */
  private connectionOptions() {
    return { uri: this.options.mysqlUrl, typeCast: false, flags: ['-FOUND_ROWS'], multipleStatements: false, supportBigNumbers: true };
  }

  /** The client URL, credentials included: http://user:pass@127.0.0.1:port. */
  get url(): string {
    return `http://${this.username}:${this.password}@127.0.0.1:${this.port}`;
  }

  /** Starts listening on a free loopback port. */
  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    for (const s of this.sessions.values()) await s.conn?.end().catch(() => undefined);
    this.sessions.clear();
    await this.pool.end();
  }

  private newSession(): Session {
    const session: Session = { id: crypto.randomUUID(), conn: null, chain: Promise.resolve() };
    this.sessions.set(session.id, session);
    this.counters.sessionsOpened += 1;
    return session;
  }

  /** The opaque session object the client echoes back. */
  private wireSession(s: Session) {
    return { signature: s.id, vitessSession: { inTransaction: false, autocommit: true } };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    this.counters.requests += 1;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const expected = `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return send(401, { error: { code: 'UNAUTHENTICATED', message: 'invalid database credentials' } });
    if (req.method !== 'POST') return send(405, { error: { code: 'UNIMPLEMENTED', message: 'POST only' } });
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query?: string; session?: { signature?: string } | null } : {};
    if (req.url === '/psdb.v1alpha1.Database/CreateSession') {
      return send(200, { branch: 'main', user: { username: this.username, role: 'admin' }, session: this.wireSession(this.newSession()) });
    }
    if (req.url !== '/psdb.v1alpha1.Database/Execute') return send(404, { error: { code: 'NOT_FOUND', message: `unknown method ${req.url}` } });
    const session = (body.session?.signature && this.sessions.get(body.session.signature)) || this.newSession();
    const query = String(body.query ?? '');
    const started = performance.now();
    const run = session.chain.then(() => this.execute(session, query));
    session.chain = run.catch(() => undefined);
    try {
      const result = await run;
      send(200, { session: this.wireSession(session), result, timing: (performance.now() - started) / 1000 });
    } catch (error) {
      const e = error as { errno?: number; sqlState?: string; message: string };
      const message = `target: shim.-.primary: vttablet: rpc error: code = ${vitessCode(e.errno ?? 0)} desc = ${e.message} (errno ${e.errno ?? 0}) (sqlstate ${e.sqlState ?? 'HY000'}) (CallerID: ${this.username}): Sql: "${query.slice(0, 200)}", BindVars: {}`;
      send(200, { session: this.wireSession(session), error: { code: vitessCode(e.errno ?? 0), message }, timing: (performance.now() - started) / 1000 });
    }
  }

  private async execute(session: Session, query: string): Promise<Record<string, unknown>> {
    this.counters.statements += 1;
    if (BEGIN.test(query)) this.counters.begins += 1;
    if (/^\s*COMMIT\b/i.test(query)) this.counters.commits += 1;
    if (!session.conn && PINNING.test(query)) session.conn = await createConnection(this.connectionOptions());
    const [result, fields] = await (session.conn ?? this.pool).query({ sql: query, rowsAsArray: true });
    return encodeResult(result, fields as FieldPacket[] | undefined);
  }
}

/** Starts a shim in front of `mysqlUrl`. */
export const startPlanetScaleShim = (mysqlUrl: string, options: Omit<PlanetScaleShimOptions, 'mysqlUrl'> = {}) => new PlanetScaleShim({ mysqlUrl, ...options }).start();
