// The database's own tools, run as child processes: mariadb-dump (or mysqldump) for a consistent
// logical dump, and the mariadb (or mysql) client to load one. Connection details come from
// DATABASE_URL; the password travels in MYSQL_PWD, never on the command line (ps shows argv).
import { spawn, spawnSync } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { ValidationError } from '../../core/errors.ts';

/** Where the database is, from a mysql:// URL. */
export interface DatabaseTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** Reads host, port, user, password and database from DATABASE_URL. */
export function databaseTarget(databaseUrl: string): DatabaseTarget {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_$]{1,64}$/.test(database)) throw new ValidationError('config DATABASE_URL: must name the database (mysql://user:pass@host:3306/kraite)', 'INVALID_CONFIG');
  return {
    host: url.hostname || '127.0.0.1', port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'), password: decodeURIComponent(url.password), database,
  };
}

/** The first of `names` on PATH, or a ValidationError naming the Debian package. */
export function findTool(names: readonly string[]): string {
  for (const name of names) if (spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0) return name;
  throw new ValidationError(`none of ${names.join(', ')} is installed: apt-get install mariadb-client`, 'NO_TOOL');
}

const connectionArgs = (t: DatabaseTarget) => [`--host=${t.host}`, `--port=${t.port}`, `--user=${t.user}`, '--protocol=TCP'];
const toolEnv = (t: DatabaseTarget) => ({ ...process.env, ...(t.password ? { MYSQL_PWD: t.password } : {}) });

/** A running child whose failure (exit code, stderr) is reported through `done`. */
export interface ToolRun {
  done: Promise<void>;
}

function watch(child: ReturnType<typeof spawn>, name: string): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${name} exited ${code}: ${stderr.trim().slice(0, 1000)}`))));
  });
}

/**
 * Starts a consistent dump: one REPEATABLE READ snapshot (--single-transaction, no table locks on
 * InnoDB), routines and triggers, and no GTID/binlog statements so it loads into any server.
 */
export function startDump(t: DatabaseTarget): ToolRun & { stdout: Readable } {
  const tool = findTool(['mariadb-dump', 'mysqldump']);
  const child = spawn(tool, [...connectionArgs(t), '--single-transaction', '--quick', '--routines', '--triggers', '--hex-blob',
    '--default-character-set=utf8mb4', '--skip-comments', '--no-tablespaces', t.database], { env: toolEnv(t), stdio: ['ignore', 'pipe', 'pipe'] });
  return { stdout: child.stdout!, done: watch(child, tool) };
}

/** Starts the client loading SQL from its stdin into the target database. */
export function startLoad(t: DatabaseTarget): ToolRun & { stdin: Writable } {
  const tool = findTool(['mariadb', 'mysql']);
  const child = spawn(tool, [...connectionArgs(t), '--default-character-set=utf8mb4', t.database], { env: toolEnv(t), stdio: ['pipe', 'ignore', 'pipe'] });
  return { stdin: child.stdin!, done: watch(child, tool) };
}
