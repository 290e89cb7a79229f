// An admin app on in-memory ports, a cheap scrypt, a manual clock and a scripted SQL executor.
import { MemoryQueue } from '../../core/adapters/memory/memory-queue.ts';
import { MemoryStepStore } from '../../core/adapters/memory/memory-step-store.ts';
import { ManualClock, type Clock } from '../../core/ports/clock.ts';
import { StepEngine } from '../../core/steps/engine.ts';
import { HandlerRegistry } from '../../core/steps/registry.ts';
import { TRADING_UNIQUE_KEYS } from '../../core/trading/tables.ts';
import { engineFleet } from '../../web/admin/engine-fleet.ts';
import type { AdminFleet } from '../../web/admin/fleet.port.ts';
import { createAdminApp } from '../../web/admin/admin-app.ts';
import type { AdminDeps, AdminOptions } from '../../web/admin/admin-deps.ts';
import { MemoryAdminSessionStore, MemoryAdminUserStore, MemoryAuditLog } from '../../web/admin/memory-stores.ts';
import { scryptPasswordHasher } from '../../web/admin/node/scrypt-passwords.ts';
import type { SqlExecution, SqlExecutor, SqlLimits } from '../../web/admin/sql-executor.port.ts';

/** An executor that records what it was asked and answers from a script. */
export class ScriptedExecutor implements SqlExecutor {
  readonly calls: { statement: string; limits: SqlLimits }[] = [];
  next: SqlExecution = { kind: 'rows', columns: ['one'], rows: [['1']], truncated: false, durationMs: 1 };

  async execute(statement: string, limits: SqlLimits): Promise<SqlExecution> {
    this.calls.push({ statement, limits });
    return this.next;
  }
}

/** An in-memory fleet (store, queue, engine without handlers) for admin tests that need no real one. */
export function emptyFleetView(clock?: Clock, heartbeats?: AdminFleet['heartbeats'], governor?: AdminFleet['governor'], registry = new HandlerRegistry()): AdminFleet & { engine: StepEngine } {
  const store = new MemoryStepStore({ uniqueKeys: TRADING_UNIQUE_KEYS });
  const queue = new MemoryQueue({ now: clock ? () => clock.now() : undefined });
  const engine = new StepEngine({ store, queue, registry, clock });
  return { ...engineFleet({ engine, queue, queues: [{ queue: 'kraite.positions', concurrency: 5 }], boxes: ['pheme'], mode: { store: 'memory', queue: 'memory' }, heartbeats, governor }), engine };
}

/** The operator every harness starts with. */
export const OPERATOR = { username: 'ada', password: 'correct horse battery' };

/** Builds the app and exposes its ports; clients pass an x-test-ip header for the rate limiter. */
export async function adminHarness(options: AdminOptions = {}, extra: { credentialsKey?: CryptoKey; heartbeats?: AdminFleet['heartbeats']; governor?: AdminFleet['governor']; queueBoard?: AdminDeps['queueBoard']; registry?: HandlerRegistry } = {}) {
  const users = new MemoryAdminUserStore();
  const sessions = new MemoryAdminSessionStore();
  const audit = new MemoryAuditLog();
  const clock = new ManualClock();
  const sql = new ScriptedExecutor();
  const passwords = scryptPasswordHasher({ N: 1024, r: 8, p: 1 });
  users.add(OPERATOR.username, await passwords.hash(OPERATOR.password));
  const fleet = emptyFleetView(clock, extra.heartbeats, extra.governor, extra.registry);
  const app = createAdminApp({ users, sessions, passwords, sql, audit, clock, fleet, credentialsKey: extra.credentialsKey, queueBoard: extra.queueBoard, clientAddress: (c) => c.req.header('x-test-ip') ?? null }, options);
  return { app, users, sessions, audit, clock, sql, passwords, fleet };
}
