// The drills' fleet: a loopback simulator in the bench process, a scratch MariaDB database seeded
// with accounts and symbols, and the eight processes of the topology (`kraite run --box` athena,
// eos, iris, nyx, hemera, tyche, pheme and `kraite stream:mark-price`), each in its own process
// group so a drill SIGKILLs a box the way a power cut does. The topology is the shipped one with
// loopback egress addresses (127.0.0.2…), so every trading box still leaves from its own address.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inProcessExchange } from '../../core/sim/in-process-exchange.ts';
import { DEFAULT_SYMBOLS } from '../../core/sim/symbols.ts';
import { importCredentialsKey } from '../../core/trading/credentials.ts';
import { seedPaperTrading } from '../../core/trading/paper-seed.ts';
import type { Direction } from '../../core/trading/statuses.ts';
import { dropKeys } from '../adapters/redis/drop-keys.ts';
import { openBackends, type Backends } from '../runtime/backends.ts';
import { startSimulator, type RunningSimulator } from '../sim/index.ts';
import { BENCH_REDIS, scratchDatabase } from './bench-servers.ts';

const KRAITE = fileURLToPath(new URL('../../bin/kraite.js', import.meta.url));

/** How far into the past the simulator's market is walked before the drills (a week and a day). */
const WARM_UP_MS = 8 * 24 * 3_600_000;

/** A process of the fleet: which box it stands for and how it is started. */
export interface FleetUnit {
  name: string;
  box: string;
  args: string[];
}

/** The eight processes of the drill. */
export const UNITS: readonly FleetUnit[] = [
  ...['athena', 'eos', 'iris', 'nyx', 'hemera', 'tyche', 'pheme'].map((box) => ({ name: box, box, args: ['run', '--box', box] })),
  { name: 'mark-price', box: 'athena', args: ['stream:mark-price'] },
];

/** A running drill fleet. */
export interface DrillFleet {
  sim: RunningSimulator;
  backends: Backends;
  env: Record<string, string>;
  /** apiKey → account id, for the accounts seeded (trading off but for the first). */
  accounts: { apiKey: string; id: number }[];
  logDir: string;
  start(unit: FleetUnit): Promise<void>;
  /** SIGKILLs the unit's whole process group and waits until it is gone. */
  kill(unit: FleetUnit): Promise<void>;
  running(unit: FleetUnit): boolean;
  close(): Promise<void>;
}

/** Options of the fleet. */
export interface DrillFleetOptions {
  accounts: number;
  directions: Record<string, Direction>;
  /** Extra environment of every process (heartbeat and stale-recovery settings). */
  env?: Record<string, string>;
}

/** Starts the simulator, seeds a scratch database, writes the loopback topology; the processes start on demand. */
export async function startDrillFleet(o: DrillFleetOptions): Promise<DrillFleet> {
  const db = await scratchDatabase();
  const prefix = `drills${Date.now().toString(36)}`;
  const keys = Array.from({ length: o.accounts }, (_, i) => ({ apiKey: `drill-key-${i}`, secret: `drill-secret-${i}`, balance: '1000000' }));
  // Token selection needs a week of hourly candles that moved: the simulator walks its market a
  // week into the past first (one step per minute, its clock running behind), then runs on wall time.
  let behindMs = WARM_UP_MS;
  const clock = { now: () => Date.now() - behindMs, advance: (ms: number) => void (behindMs = Math.max(0, behindMs - ms)) };
  const sim = await startSimulator({ accounts: keys, clock, stepMs: 60_000, tickMs: 1000, symbols: DEFAULT_SYMBOLS });
  sim.engine.advance(WARM_UP_MS);
  const logDir = mkdtempSync(join(tmpdir(), 'kraite-drills-'));
  const topology = JSON.parse(readFileSync(fileURLToPath(new URL('../../infra/topology.json', import.meta.url)), 'utf8')) as { name: string; boxes: { egressIps?: string[] }[] };
  let n = 2;
  for (const b of topology.boxes) if (b.egressIps) b.egressIps = [`127.0.0.${n++}`];
  topology.name = 'kraite-drills';
  const topologyPath = join(logDir, 'topology.json');
  writeFileSync(topologyPath, JSON.stringify(topology, null, 2));
  const rawKey = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
  const env: Record<string, string> = {
    DATABASE_URL: db.url, REDIS_URL: BENCH_REDIS, KRAITE_QUEUE_PREFIX: prefix, KRAITE_TOPOLOGY: topologyPath, KRAITE_CREDENTIALS_KEY: rawKey,
    KRAITE_EXCHANGE_URL: sim.restUrl, KRAITE_USER_DATA_WS_URL: sim.wsUrl, KRAITE_MARK_PRICE_WS_URL: sim.wsUrl, KRAITE_PORT: '0', LOG_LEVEL: 'warn',
    ...o.env,
  };
  const backends = await openBackends(env);
  const key = await importCredentialsKey(rawKey);
  const accounts: { apiKey: string; id: number }[] = [];
  for (const [i, k] of keys.entries()) {
    const id = await seedPaperTrading(backends.store, inProcessExchange(sim.engine, { apiKey: k.apiKey, secret: k.secret }, clock), {
      key, now: Date.now(), directions: o.directions,
      account: { name: `drill-${i}`, apiKey: k.apiKey, secret: k.secret, tradingEnabled: i === 0, settings: { LONG: { slots: 2, rungs: 4 }, SHORT: { slots: 2, rungs: 4 } } },
    });
    accounts.push({ apiKey: k.apiKey, id });
  }
  const procs = new Map<string, ChildProcess>();
  const gone = async (p: ChildProcess) => {
    if (p.exitCode !== null || p.signalCode !== null) return;
    await new Promise((r) => p.once('exit', r));
  };
  const fleet: DrillFleet = {
    sim, backends, env, accounts, logDir,
    async start(unit) {
      const log = openSync(join(logDir, `${unit.name}.log`), 'a');
      const p = spawn(process.execPath, [KRAITE, ...unit.args], { env: { ...process.env, ...env }, detached: true, stdio: ['ignore', log, log] });
      procs.set(unit.name, p);
    },
    async kill(unit) {
      const p = procs.get(unit.name);
      if (!p?.pid) return;
      try {
        process.kill(-p.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await gone(p);
      procs.delete(unit.name);
    },
    running: (unit) => procs.has(unit.name),
    async close() {
      for (const u of UNITS) await fleet.kill(u);
      await backends.close();
      await sim.close();
      await dropKeys(BENCH_REDIS, prefix);
      await db.drop();
    },
  };
  return fleet;
}
