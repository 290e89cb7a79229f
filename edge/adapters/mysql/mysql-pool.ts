// A mysql2 connection pool from a DATABASE_URL.
import { createPool, type Pool, type PoolOptions } from 'mysql2/promise';
import { ValidationError } from '../../../core/errors.ts';

/** Opens a pool; numbers stay numbers, DECIMAL columns come back as strings (never floats). */
export function createMySqlPool(databaseUrl: string, options: Partial<PoolOptions> = {}): Pool {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new ValidationError(`DATABASE_URL is not a URL: ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}`, 'INVALID_CONFIG');
  }
  if (url.protocol !== 'mysql:') throw new ValidationError('DATABASE_URL must start with mysql://', 'INVALID_CONFIG');
  return createPool({
    host: url.hostname,
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    database: url.pathname.replace(/^\//, '') || undefined,
    connectionLimit: 10,
    waitForConnections: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: false,
    multipleStatements: false,
    // affectedRows counts matched rows, so a conditional update that changes nothing still reports a match.
    flags: ['+FOUND_ROWS'],
    enableKeepAlive: true,
    ...options,
  });
}
