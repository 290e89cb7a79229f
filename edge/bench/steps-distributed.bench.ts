// The `steps` benchmark's BullMQ + MariaDB half, with its peers measured in the same run: raw
// BullMQ no-op jobs/s, MariaDB single-row commits/s, and the dispatch daemon's idle CPU. The store
// is opened as fleet processes open it (group commit on); the same workload without group commit
// and with a single starter are printed beside it.
import { loadavg } from 'node:os';
import { Queue, Worker } from 'bullmq';
import { createPool } from 'mysql2/promise';
import { DispatchDaemon } from '../../core/steps/dispatch-daemon.ts';
import { StepEngine } from '../../core/steps/engine.ts';
import { HandlerRegistry } from '../../core/steps/registry.ts';
import { BullMqQueue } from '../adapters/bullmq/bullmq-queue.ts';
import { redisOptions } from '../adapters/bullmq/redis-connection.ts';
import { dropKeys } from '../adapters/redis/drop-keys.ts';
import { FLEET_GROUP_COMMIT } from '../adapters/mysql/group-commit.ts';
import { openMySqlStepStore } from '../adapters/mysql/open-mysql-store.ts';
import type { CliIo } from '../cli/command.ts';
import { BENCH_MYSQL as MYSQL, BENCH_REDIS as REDIS, scratchDatabase } from './bench-servers.ts';
import { benchUser, counterDelta, type BenchUser } from './mariadb-counters.ts';
import { redisCpuSeconds } from './redis-cpu.ts';
import { fmt, median, type Figure } from './stats.ts';
import { runStepWorkload, type WorkloadResult } from './step-workload.ts';

/** A distributed run's workload figures plus what it cost, per step. */
interface DistributedResult extends WorkloadResult {
  /** Statements MariaDB counted for the bench user, per step (null when the server keeps no user statistics). */
  statementsPerStep: number | null;
  /** Commits the store sent (transactions and single autocommit writes), per step. */
  commitsPerStep: number;
  /** Packets the store sent to MariaDB and awaited, per step. */
  roundTripsPerStep: number;
  /** Redis server CPU ms per step (server-wide INFO cpu: other clients of a shared Redis add to it). */
  redisCpuMsPerStep: number | null;
  /** CPU ms per step: this Node process, and MariaDB's for the bench user (null when not counted). */
  nodeCpuMsPerStep: number;
  mariadbCpuMsPerStep: number | null;
  /** Deadlocks the store saw and re-ran; Innodb_deadlocks growth on the whole server over the run. */
  storeDeadlocks: number;
  serverDeadlocks: number;
  /** Transactions whose block image was stale (re-run on a live read). */
  staleImages: number;
}


/** The 1-minute load average, printed beside every run (the box is shared). */
const load = () => fmt(loadavg()[0]!, 2);

/** Blocks the throughput runs start at once: a fleet starts blocks from many processes, and a lone starter waiting out each start's commit caps the run below what the workers take. */
const STARTERS = 16;

/** One run with the store as fleet processes open it (group commit on, KRAITE_GROUP_COMMIT's default) unless `grouped` is false. */
async function distributedRun(user: BenchUser, blocks: number, inFlight: number, concurrency: number, o: { grouped?: boolean; starters?: number } = {}): Promise<DistributedResult> {
  const store = await openMySqlStepStore(user.url, { connectionLimit: concurrency + 4, groupCommit: o.grouped === false ? undefined : FLEET_GROUP_COMMIT });
  const prefix = `kraite-bench-${Math.random().toString(36).slice(2, 8)}`;
  const queue = new BullMqQueue({ connection: redisOptions(REDIS), prefix });
  try {
    const counters0 = await user.counters();
    const deadlocks0 = await user.deadlocks();
    const commits0 = store.stats.commits;
    const roundTrips0 = store.stats.roundTrips;
    const redis0 = await redisCpuSeconds(REDIS);
    const cpu0 = process.cpuUsage();
    const r = await runStepWorkload({ store, queue, blocks, stepsPerBlock: 3, inFlight, concurrency, chain: true, starters: o.starters });
    const cpu = process.cpuUsage(cpu0);
    const counters1 = await user.counters();
    const redis1 = await redisCpuSeconds(REDIS);
    const used = counters0 && counters1 ? counterDelta(counters1, counters0) : null;
    return {
      ...r,
      statementsPerStep: used ? (used.selects + used.writes + used.other) / r.steps : null,
      commitsPerStep: (store.stats.commits - commits0) / r.steps,
      roundTripsPerStep: (store.stats.roundTrips - roundTrips0) / r.steps,
      redisCpuMsPerStep: redis0 !== null && redis1 !== null ? ((redis1 - redis0) * 1_000) / r.steps : null,
      nodeCpuMsPerStep: (cpu.user + cpu.system) / 1_000 / r.steps,
      mariadbCpuMsPerStep: used && used.cpuSeconds > 0 ? (used.cpuSeconds * 1_000) / r.steps : null,
      storeDeadlocks: store.stats.deadlocks,
      serverDeadlocks: (await user.deadlocks()) - deadlocks0,
      staleImages: store.stats.staleImages,
    };
  } finally {
    await queue.close();
    await store.close();
    await dropKeys(REDIS, prefix);
  }
}

/** Raw BullMQ: `n` no-op jobs added in bulk and processed with `concurrency`. */
async function rawBullMq(n: number, concurrency: number): Promise<number> {
  const connection = redisOptions(REDIS);
  const prefix = `kraite-bench-raw-${Math.random().toString(36).slice(2, 8)}`;
  const queue = new Queue('raw', { connection, prefix });
  let done = 0;
  let finish!: () => void;
  const all = new Promise<void>((r) => (finish = r));
  const t0 = performance.now();
  const worker = new Worker('raw', async () => {
    if (++done === n) finish();
  }, { connection, prefix, concurrency, removeOnComplete: { count: 1_000 } });
  for (let i = 0; i < n; i += 500) await queue.addBulk(Array.from({ length: Math.min(500, n - i) }, (_, j) => ({ name: 'noop', data: { i: i + j }, opts: { removeOnComplete: { count: 1_000 } } })));
  await all;
  const rate = n / ((performance.now() - t0) / 1000);
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return rate;
}

/** Single-row autocommit inserts per second on one connection, and with `parallel` connections. */
async function commitsPerSecond(url: string, n: number, parallel: number): Promise<number> {
  const pool = createPool({ uri: url, connectionLimit: parallel });
  await pool.query('CREATE TABLE IF NOT EXISTS bench_commits (id BIGINT AUTO_INCREMENT PRIMARY KEY, v INT) ENGINE=InnoDB');
  const t0 = performance.now();
  let i = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (i < n) {
      i += 1;
      await pool.query('INSERT INTO bench_commits (v) VALUES (?)', [i]);
    }
  }));
  const rate = n / ((performance.now() - t0) / 1000);
  await pool.end();
  return rate;
}

/** CPU share of one core used by an idle dispatch daemon over `seconds`. */
async function idleDaemonCpu(url: string, seconds: number): Promise<number> {
  const store = await openMySqlStepStore(url);
  const queue = new BullMqQueue({ connection: redisOptions(REDIS), prefix: 'kraite-bench-idle' });
  const daemon = new DispatchDaemon(new StepEngine({ store, queue, registry: new HandlerRegistry() }));
  daemon.start();
  await new Promise((r) => setTimeout(r, 1_000));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1_000));
  const used = process.cpuUsage(c0);
  const share = (used.user + used.system) / 1_000 / (performance.now() - t0);
  await daemon.stop();
  await queue.close();
  await store.close();
  await dropKeys(REDIS, 'kraite-bench-idle');
  return share;
}

/** Figures for the BullMQ + MariaDB pairing. */
export async function distributedFigures(io: CliIo, runs: number): Promise<Figure[]> {
  io.out(`distributed: MariaDB (${MYSQL}) + BullMQ on Redis (${REDIS})`);
  const db = await scratchDatabase();
  const user = await benchUser(MYSQL, new URL(db.url).pathname.slice(1));
  try {
    await distributedRun(user, 100, 2, 16); // warm-up
    const latency: DistributedResult[] = [];
    const throughput: DistributedResult[] = [];
    const alone: DistributedResult[] = [];
    const serial: DistributedResult[] = [];
    const raw: number[] = [];
    for (let i = 0; i < runs; i++) {
      latency.push(await distributedRun(user, 300, 1, 16));
      throughput.push(await distributedRun(user, 3_334, 400, 32, { starters: STARTERS }));
      serial.push(await distributedRun(user, 3_334, 400, 32));
      alone.push(await distributedRun(user, 3_334, 400, 32, { grouped: false, starters: STARTERS }));
      raw.push(await rawBullMq(10_000, 32));
      const t = throughput[i]!;
      const a = alone[i]!;
      io.out(`  run ${i + 1} (load ${load()}): hop p50 ${fmt(latency[i]!.hopP50Ms)} ms, ${fmt(t.stepsPerSecond, 0)} steps/s, raw BullMQ ${fmt(raw[i]!, 0)} jobs/s (ratio ${fmt(t.stepsPerSecond / raw[i]!, 3)}); `
        + `${t.statementsPerStep === null ? '?' : fmt(t.statementsPerStep)} statements, ${fmt(t.commitsPerStep)} commits, ${fmt(t.roundTripsPerStep)} round trips per step, ${t.staleImages} stale images; deadlocks: store ${t.storeDeadlocks}, server-wide Innodb_deadlocks +${t.serverDeadlocks}; `
        + `one starter ${fmt(serial[i]!.stepsPerSecond, 0)} steps/s; without group commit ${fmt(a.stepsPerSecond, 0)} steps/s, ${fmt(a.commitsPerStep)} commits and ${fmt(a.roundTripsPerStep)} round trips per step, ${a.staleImages} stale images, store deadlocks ${a.storeDeadlocks}`);
    }
    const commits1 = await commitsPerSecond(db.url, 2_000, 1);
    const commits16 = await commitsPerSecond(db.url, 4_000, 16);
    const idle = await idleDaemonCpu(db.url, 10);
    const steps = median(throughput.map((r) => r.stepsPerSecond));
    const rawRate = median(raw);
    const ratio = median(throughput.map((r, i) => r.stepsPerSecond / raw[i]!));
    const per = (f: (r: DistributedResult) => number | null, digits = 2, of = throughput) => {
      const values = of.map(f).filter((v): v is number => v !== null);
      return values.length === 0 ? '?' : fmt(median(values), digits);
    };
    const commitsPerStep = median(throughput.map((r) => r.commitsPerStep));
    return [
      { name: 'BullMQ+MariaDB per-hop p50', value: `${fmt(median(latency.map((r) => r.hopP50Ms)))} ms`, target: '≤ 5 ms', note: 'original: next 1 s tick' },
      { name: 'BullMQ+MariaDB per-hop p99', value: `${fmt(median(latency.map((r) => r.hopP99Ms)))} ms`, target: '≤ 25 ms' },
      { name: `BullMQ+MariaDB throughput (10k steps, ${STARTERS} starters)`, value: `${fmt(steps, 0)} steps/s`, target: '≥ 2,000 steps/s', note: `group commit on (the fleet's default); per-hop p50/p99 ${per((r) => r.hopP50Ms)}/${per((r) => r.hopP99Ms)} ms at 400 blocks in flight; one starter at a time: ${per((r) => r.stepsPerSecond, 0, serial)} steps/s` },
      { name: 'raw BullMQ no-op jobs (peer)', value: `${fmt(rawRate, 0)} jobs/s`, note: `steps/raw = ${fmt(ratio, 3)} (median of the runs' ratios)` },
      { name: 'without group commit (KRAITE_GROUP_COMMIT=off)', value: `${per((r) => r.stepsPerSecond, 0, alone)} steps/s`, note: `ratio ${fmt(median(alone.map((r, i) => r.stepsPerSecond / raw[i]!)), 3)}; per-hop p50/p99 ${per((r) => r.hopP50Ms, 2, alone)}/${per((r) => r.hopP99Ms, 2, alone)} ms at 400 blocks in flight; ${per((r) => r.commitsPerStep, 2, alone)} commits, ${per((r) => r.roundTripsPerStep, 2, alone)} round trips, ${per((r) => r.statementsPerStep, 2, alone)} statements, CPU Node ${per((r) => r.nodeCpuMsPerStep, 3, alone)} ms, MariaDB ${per((r) => r.mariadbCpuMsPerStep, 3, alone)} ms per step; store deadlocks ${alone.reduce((n, r) => n + r.storeDeadlocks, 0)}` },
      { name: 'MariaDB statements per step', value: per((r) => r.statementsPerStep), note: 'USER_STATISTICS of a bench-only user' },
      { name: 'store commits per step', value: fmt(commitsPerStep), note: 'transactions + single autocommit writes' },
      { name: 'MariaDB round trips per step', value: per((r) => r.roundTripsPerStep), note: 'packets the store sent and awaited' },
      { name: 'CPU per step', value: `Node ${per((r) => r.nodeCpuMsPerStep, 3)} ms, MariaDB ${per((r) => r.mariadbCpuMsPerStep, 3)} ms, Redis ${per((r) => r.redisCpuMsPerStep, 3)} ms`, note: `Redis is server-wide (an upper bound on a shared server); load ${load()}` },
      { name: 'deadlocks in the throughput runs', value: `store ${throughput.reduce((n, r) => n + r.storeDeadlocks, 0)}`, note: `server-wide Innodb_deadlocks +${throughput.reduce((n, r) => n + r.serverDeadlocks, 0)} (includes other clients)` },
      { name: 'MariaDB single-row commits (peer)', value: `${fmt(commits1, 0)}/s on 1 conn, ${fmt(commits16, 0)}/s on 16`, note: `at ${fmt(commitsPerStep)} commits per step the run used ${fmt((commitsPerStep * steps) / commits16, 2)} of the 16-conn rate` },
      { name: 'dispatch daemon idle CPU', value: `${fmt(idle * 100, 2)} % of a core`, target: '≤ 1 %' },
    ];
  } finally {
    await user.drop();
    await db.drop();
  }
}
