// MariaDB's own counters for one benchmark's traffic: the store connects as a user made for the run,
// and information_schema.USER_STATISTICS (userstat, switched on for the run and back off after)
// counts that user's statements and server CPU alone, however busy the shared server is.
// Innodb_deadlocks is server-wide: it is read before and after, and other clients may add to it.
import { createPool, type Pool, type RowDataPacket } from 'mysql2/promise';

/** What MariaDB counted for the bench user (cumulative). */
export interface UserCounters {
  selects: number;
  /** INSERT, UPDATE, DELETE. */
  writes: number;
  /** COMMIT, ROLLBACK, SET and the like. */
  other: number;
  /** Server CPU seconds spent on the user's statements. */
  cpuSeconds: number;
}

/** The difference of two readings. */
export function counterDelta(after: UserCounters, before: UserCounters): UserCounters {
  return { selects: after.selects - before.selects, writes: after.writes - before.writes, other: after.other - before.other, cpuSeconds: after.cpuSeconds - before.cpuSeconds };
}

/** A bench-only MariaDB user on `database`, with its counters. */
export interface BenchUser {
  /** The database URL as the bench user. */
  url: string;
  /** The user's counters so far, or null when the server keeps none (userstat refused). */
  counters(): Promise<UserCounters | null>;
  /** Server-wide Innodb_deadlocks. */
  deadlocks(): Promise<number>;
  /** Drops the user and restores userstat. */
  drop(): Promise<void>;
}

/** Creates the user (root on `rootUrl` needed) and switches userstat on for the run. */
export async function benchUser(rootUrl: string, database: string): Promise<BenchUser> {
  const root: Pool = createPool({ uri: rootUrl, connectionLimit: 1 });
  const name = `kraite_bench_${Math.random().toString(36).slice(2, 8)}`;
  await root.query(`CREATE USER '${name}'@'%'`);
  await root.query(`GRANT ALL ON \`${database}\`.* TO '${name}'@'%'`);
  const [[was]] = await root.query<RowDataPacket[]>('SELECT @@userstat AS on_');
  let counting = true;
  await root.query('SET GLOBAL userstat = 1').catch(() => (counting = false));
  const url = new URL(rootUrl);
  url.username = name;
  url.password = '';
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    async counters() {
      if (!counting) return null;
      const [[row]] = await root.query<RowDataPacket[]>('SELECT SELECT_COMMANDS AS s, UPDATE_COMMANDS AS w, OTHER_COMMANDS AS o, CPU_TIME AS cpu FROM information_schema.USER_STATISTICS WHERE USER = ?', [name]);
      return { selects: Number(row?.s ?? 0), writes: Number(row?.w ?? 0), other: Number(row?.o ?? 0), cpuSeconds: Number(row?.cpu ?? 0) };
    },
    async deadlocks() {
      const [[row]] = await root.query<RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'");
      return Number(row?.Value ?? 0);
    },
    async drop() {
      if (counting && Number(was?.on_) === 0) await root.query('SET GLOBAL userstat = 0').catch(() => undefined);
      await root.query(`DROP USER IF EXISTS '${name}'@'%'`);
      await root.end();
    },
  };
}
