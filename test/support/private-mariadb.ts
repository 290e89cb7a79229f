// A private MariaDB server on a spare loopback port, in a temporary data directory, that a test may
// SIGKILL and restart (crash recovery on the same data). Root with an empty password over TCP.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool } from 'mysql2/promise';
import { ownedProcess, type PrivateServer } from './owned-process.ts';

const MARIADBD = '/usr/sbin/mariadbd';

/** A mariadbd the test owns. */
export interface PrivateMariaDb extends PrivateServer {
  /** Root URL, without a database. */
  rootUrl: string;
}

async function answers(rootUrl: string): Promise<boolean> {
  const pool = createPool({ uri: rootUrl, connectionLimit: 1, connectTimeout: 1_000 });
  try {
    await pool.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await pool.end().catch(() => undefined);
  }
}

/** Initialises a data directory and starts mariadbd on `port`; `stop()` also removes the data. */
export async function privateMariaDb(port: number): Promise<PrivateMariaDb> {
  const dir = mkdtempSync(join(tmpdir(), 'kraite-mariadb-'));
  const datadir = join(dir, 'data');
  const install = spawnSync('mariadb-install-db', ['--no-defaults', `--datadir=${datadir}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--user=root'], { encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr || install.stdout}`);
  const rootUrl = `mysql://root@127.0.0.1:${port}`;
  const server = ownedProcess(MARIADBD, [
    '--no-defaults', `--datadir=${datadir}`, `--port=${port}`, '--bind-address=127.0.0.1', `--socket=${join(dir, 'sock')}`,
    `--pid-file=${join(dir, 'pid')}`, '--user=root', '--skip-log-bin', '--skip-name-resolve',
    '--innodb-buffer-pool-size=32M', '--innodb-log-file-size=16M', '--max-connections=200',
  ], () => answers(rootUrl), 30_000);
  await server.start();
  return {
    rootUrl, ...server,
    async stop() {
      await server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
