// The user-data sink and daemon on MariaDB: the audit row's id read back inside the transaction
// is the row just written, payloads round-trip as JSON (and non-JSON text as `{ text }`), a
// duplicate frame is one step, and a fill over a real socket lands in MySQL as audit row + step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemoryQueue } from '../core/adapters/memory/memory-queue.ts';
import { silentLogger } from '../core/ports/logger.ts';
import { result } from '../core/steps/effects.ts';
import { StepEngine } from '../core/steps/engine.ts';
import { defineHandler, HandlerRegistry } from '../core/steps/registry.ts';
import type { StepStore } from '../core/steps/step-store.port.ts';
import { USER_DATA_HANDLER, USER_DATA_LANE, UserDataSink, type UserDataFrameArgs } from '../core/streams/user-data-sink.ts';
import { toExchangeEvent } from '../core/trading/audit.ts';
import { TABLES } from '../core/trading/tables.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { simClient } from '../edge/sim/sim-client.ts';
import { simAccounts, type SimAccounts } from '../edge/streams/user-data/sim-accounts.ts';
import { UserDataDaemon } from '../edge/streams/user-data/user-data-daemon.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';

const stub = defineHandler({
  name: USER_DATA_HANDLER, lane: USER_DATA_LANE, set: 'trading',
  args: z.object({ accountId: z.number().int(), eventId: z.number().int().nullable(), frame: z.record(z.string(), z.unknown()) }),
  run: async () => result.complete(),
});

const fill = (t: number, z: string) => JSON.stringify({
  e: 'ORDER_TRADE_UPDATE', E: 1_700_000_000_000, T: 1_700_000_000_000,
  o: { s: 'BTCUSDT', c: 'k-7-rung-2', S: 'BUY', o: 'LIMIT', x: 'TRADE', X: 'PARTIALLY_FILLED', i: 99, l: '0.001', z, L: '60000', t },
});

describe('user-data sink on MariaDB', () => {
  let db: TestDatabase;
  let store: StepStore;
  let queue: MemoryQueue;
  let sink: UserDataSink;
  let engine: StepEngine;
  let fleet: SimAccounts | null = null;

  beforeAll(async () => {
    db = await freshDatabase();
    store = await openMySqlStepStore(db.url);
    queue = new MemoryQueue({ logger: silentLogger });
    engine = new StepEngine({ store, queue, registry: new HandlerRegistry([stub]) });
    sink = new UserDataSink({ engine, allowlist: ['TRADE'] });
  });
  afterAll(async () => {
    await fleet?.close();
    await queue.close();
    await store.close();
    await db.drop();
  });

  const eventRow = async (id: number) => toExchangeEvent((await store.findRows(TABLES.exchangeEvents, { id }))[0]!);

  it('names the audit row it just wrote, even for frames received in the same millisecond', async () => {
    const a = await sink.accept(7, fill(1, '0.001'), 5_000);
    const b = await sink.accept(7, fill(2, '0.002'), 5_000);
    const c = await sink.accept(7, '{"e":"TRADE_LITE","E":1,"s":"BTCUSDT"}', 5_000);
    expect(new Set([a.eventId, b.eventId, c.eventId]).size).toBe(3);
    expect(await eventRow(b.eventId!)).toMatchObject({ accountId: 7, source: 'ws', eventType: 'ORDER_TRADE_UPDATE', symbol: 'BTCUSDT', clientOrderId: 'k-7-rung-2', eventTime: 1_700_000_000_000, receivedAt: 5_000 });
    expect((await eventRow(b.eventId!)).payload).toEqual(JSON.parse(fill(2, '0.002')));
    expect(a.enqueued && b.enqueued && !c.enqueued).toBe(true);
    expect((a.step!.args as unknown as UserDataFrameArgs).eventId).toBe(a.eventId);
  });

  it('stores a duplicate twice and starts one step', async () => {
    const first = await sink.accept(8, fill(3, '0.003'), 6_000);
    const again = await sink.accept(8, fill(3, '0.003'), 6_001);
    expect(first).toMatchObject({ enqueued: true, duplicate: false });
    expect(again).toMatchObject({ enqueued: false, duplicate: true });
    expect(again.step!.id).toBe(first.step!.id);
    expect(again.eventId).not.toBe(first.eventId);
    expect(await store.listSteps('trading', { handler: USER_DATA_HANDLER, limit: 100 })).toHaveLength(3);
  });

  it('audits text that is not JSON as { text } with event type "malformed"', async () => {
    const bad = await sink.accept(9, 'garbage <>', 7_000);
    expect(bad).toMatchObject({ enqueued: false, classified: { kind: 'malformed', reason: 'frame is not JSON' } });
    expect(await eventRow(bad.eventId!)).toMatchObject({ eventType: 'malformed', payload: { text: 'garbage <>' }, symbol: null });
  });

  it('carries a fill from a real socket into MySQL as an audit row and a step', async () => {
    fleet = await simAccounts(store, 1, { prefix: 'udm' });
    const daemon = new UserDataDaemon({ engine, credentialsKey: fleet.credentialsKey, restUrl: fleet.sim.restUrl, wsUrl: fleet.sim.wsUrl, staggerMs: 0 });
    await daemon.start();
    try {
      const account = fleet.accounts[0]!;
      for (let i = 0; i < 500 && daemon.status().open < 1; i++) await new Promise((r) => setTimeout(r, 10));
      const client = simClient({ restUrl: fleet.sim.restUrl, apiKey: account.apiKey, secret: account.secret });
      expect((await client.signed('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.010', newClientOrderId: 'udm-1' })).status).toBe(200);
      const mine = async () => (await store.listSteps('trading', { handler: USER_DATA_HANDLER, limit: 100 })).filter((s) => (s.args as unknown as UserDataFrameArgs).accountId === account.id);
      for (let i = 0; i < 500 && (await mine()).length < 1; i++) await new Promise((r) => setTimeout(r, 10));
      const [step] = await mine();
      const args = step!.args as unknown as UserDataFrameArgs;
      expect(await eventRow(args.eventId!)).toMatchObject({ accountId: account.id, clientOrderId: 'udm-1', eventType: 'ORDER_TRADE_UPDATE' });
      const [row] = await store.findRows(TABLES.accounts, { id: account.id });
      expect(row!.last_frame_at).not.toBeNull();
    } finally {
      await daemon.stop();
    }
  });
});
