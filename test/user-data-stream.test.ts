// The user-data stream daemon against the simulator's WebSocket server on loopback: fills become
// steps, duplicates do not, and dropped connections, dropped frames, listenKeyExpired, broken
// listen keys and malformed frames all converge without disturbing the other accounts.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemoryQueue } from '../core/adapters/memory/memory-queue.ts';
import { MemoryStepStore } from '../core/adapters/memory/memory-step-store.ts';
import { silentLogger } from '../core/ports/logger.ts';
import { result } from '../core/steps/effects.ts';
import { StepEngine } from '../core/steps/engine.ts';
import { defineHandler, HandlerRegistry } from '../core/steps/registry.ts';
import { DEFAULT_ALLOWLIST } from '../core/streams/user-data-frames.ts';
import { setTradingEnabled } from '../core/trading/account.ts';
import { applyRowEffects } from '../core/trading/apply-row-effects.ts';
import { USER_DATA_HANDLER, USER_DATA_LANE, type UserDataFrameArgs } from '../core/streams/user-data-sink.ts';
import { TABLES, TRADING_UNIQUE_KEYS } from '../core/trading/tables.ts';
import { simClient } from '../edge/sim/sim-client.ts';
import { seedAccounts, simAccounts, type SimAccounts } from '../edge/streams/user-data/sim-accounts.ts';
import { ManualTimers } from '../edge/streams/user-data/timers.ts';
import { UserDataDaemon } from '../edge/streams/user-data/user-data-daemon.ts';
import { until } from './support/wait-until.ts';

describe('user-data stream daemon', () => {
  let fleet: SimAccounts;
  let store: MemoryStepStore;
  let queue: MemoryQueue;
  let timers: ManualTimers;
  let daemon: UserDataDaemon;
  let handled: UserDataFrameArgs[];
  const logs: string[] = [];

  const stub = defineHandler({
    name: USER_DATA_HANDLER, lane: USER_DATA_LANE, set: 'trading',
    args: z.object({ accountId: z.number().int(), eventId: z.number().int().nullable(), frame: z.record(z.string(), z.unknown()) }),
    run: async (job) => {
      handled.push(job.args as UserDataFrameArgs);
      return result.complete();
    },
  });

  const client = (i: number) => simClient({ restUrl: fleet.sim.restUrl, apiKey: fleet.accounts[i]!.apiKey, secret: fleet.accounts[i]!.secret });
  const market = (i: number, id: string, side = 'BUY') => client(i).signed('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side, type: 'MARKET', quantity: '0.010', newClientOrderId: id });
  const steps = () => store.listSteps('trading', { handler: USER_DATA_HANDLER, limit: 1000 });
  const audit = async (accountId: number) => store.findRows(TABLES.exchangeEvents, { account_id: accountId }, { orderBy: 'id' });
  const fillsOf = (id: string) => handled.filter((h) => (h.frame.o as { c?: string } | undefined)?.c === id && (h.frame.o as { x: string }).x === 'TRADE');
  const open = (i: number) => daemon.stream(fleet.accounts[i]!.id)?.stats.state === 'open';

  async function startDaemon(options: { allowlist?: string[]; storeRetryMs?: number } = {}): Promise<void> {
    handled = [];
    logs.length = 0;
    store = new MemoryStepStore({ uniqueKeys: TRADING_UNIQUE_KEYS });
    // Fresh rows per test: the simulator stays, the accounts are re-inserted (same keys, same ids).
    expect((await seedAccounts(store, fleet.credentialsKey, fleet.accounts)).map((a) => a.id)).toEqual(fleet.accounts.map((a) => a.id));
    queue = new MemoryQueue({ logger: silentLogger });
    timers = new ManualTimers();
    const engine = new StepEngine({ store, queue, registry: new HandlerRegistry([stub]), clock: timers.clock });
    queue.consume(USER_DATA_LANE, 4, async (job) => void (await engine.execute(job)));
    const logger = { ...silentLogger, info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m), child: () => logger };
    daemon = new UserDataDaemon({
      engine, credentialsKey: fleet.credentialsKey, restUrl: fleet.sim.restUrl, wsUrl: fleet.sim.wsUrl, timers, clock: timers.clock, logger,
      allowlist: options.allowlist ?? DEFAULT_ALLOWLIST, staggerMs: 100, watchdogEveryMs: 3_600_000, storeRetryMs: options.storeRetryMs,
    });
    await daemon.start();
    for (let i = 0; i < fleet.accounts.length; i++) {
      timers.runDue();
      await until(`account ${i} connected`, () => open(i));
      timers.advance(100);
    }
  }

  beforeAll(async () => {
    fleet = await simAccounts(new MemoryStepStore({ uniqueKeys: TRADING_UNIQUE_KEYS }), 3, { prefix: 'uds' });
  });
  beforeEach(async () => {
    await startDaemon();
  });
  afterEach(async () => {
    fleet.sim.engine.faults.clear();
    await daemon.stop();
    await queue.close();
  });
  afterAll(async () => {
    await fleet.close();
  });

  it('turns a fill pushed by the simulator into one step that names its audit row', async () => {
    const a = fleet.accounts[0]!;
    expect((await market(0, 'uds-fill-1')).status).toBe(200);
    await until('the fill step ran', () => fillsOf('uds-fill-1').length === 1);
    const [fill] = fillsOf('uds-fill-1');
    expect(fill).toMatchObject({ accountId: a.id, frame: { e: 'ORDER_TRADE_UPDATE', o: { c: 'uds-fill-1', x: 'TRADE', X: 'FILLED' } } });
    const rows = await audit(a.id);
    const row = rows.find((r) => r.id === fill!.eventId)!;
    expect(row).toMatchObject({ source: 'ws', event_type: 'ORDER_TRADE_UPDATE', symbol: 'ETHUSDT', client_order_id: 'uds-fill-1' });
    // NEW, TRADE_LITE and the account update are audited, not enqueued.
    await until('all frames audited', async () => (await audit(a.id)).length >= 3);
    expect((await audit(a.id)).map((r) => r.event_type)).toEqual(expect.arrayContaining(['ORDER_TRADE_UPDATE', 'TRADE_LITE', 'ACCOUNT_UPDATE']));
    const mine = (await steps()).filter((s) => (s.args as unknown as UserDataFrameArgs).accountId === a.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ lane: USER_DATA_LANE, set: 'trading' });
    expect(mine[0]!.dedupeKey).toMatch(new RegExp(`^ud:${a.id}:o:ETHUSDT:\\d+:TRADE:`));
    // No frame for the other accounts.
    expect(handled.every((h) => h.accountId === a.id)).toBe(true);
  });

  it('writes one boot summary and no per-account "connected" line, and records last_frame_at', async () => {
    expect(logs.filter((l) => l.startsWith('user-data streams up'))).toEqual(['user-data streams up: 3 of 3 account(s) connected']);
    const notes = await store.findRows(TABLES.notifications, {});
    expect(notes.map((n) => n.subject)).toEqual(['User-data streams started']);
    const [row] = await store.findRows(TABLES.accounts, { id: fleet.accounts[0]!.id });
    await until('last_frame_at', async () => (await store.findRows(TABLES.accounts, { id: fleet.accounts[0]!.id }))[0]!.last_frame_at === timers.clock.now() - 300);
    expect(row!.id).toBe(fleet.accounts[0]!.id);
  });

  it('creates one step for a duplicated frame and audits both copies', async () => {
    const a = fleet.accounts[1]!;
    fleet.sim.engine.faults.duplicateFrames(10, { apiKey: a.apiKey, event: 'ORDER_TRADE_UPDATE' });
    await market(1, 'uds-dup-1');
    await until('both copies audited', async () => (await audit(a.id)).filter((r) => r.client_order_id === 'uds-dup-1').length === 4);
    await until('the step ran', () => fillsOf('uds-dup-1').length === 1);
    expect((await steps()).filter((s) => (s.args as unknown as UserDataFrameArgs).accountId === a.id)).toHaveLength(1);
  });

  it('reconnects after a dropped connection with 1 s backoff, and frames after it arrive', async () => {
    const a = fleet.accounts[0]!;
    const before = daemon.stream(a.id)!.stats.connects;
    const now = timers.clock.now();
    fleet.sim.engine.faults.dropConnections('user', a.apiKey);
    await until('the drop is seen', () => daemon.stream(a.id)!.stats.state === 'waiting');
    expect(timers.scheduledAt()).toContain(now + 1000);
    expect(open(1) && open(2)).toBe(true);
    timers.advance(1000);
    await until('reconnected', () => open(0));
    expect(daemon.stream(a.id)!.stats.connects).toBe(before + 1);
    // Dropped again at once: a connection that never stayed up 30 s keeps backing off (2 s).
    const again = timers.clock.now();
    fleet.sim.engine.faults.dropConnections('user', a.apiKey);
    await until('the second drop is seen', () => daemon.stream(a.id)!.stats.state === 'waiting');
    expect(daemon.stream(a.id)!.stats.nextConnectAt).toBe(again + 2000);
    timers.advance(2000);
    await until('reconnected again', () => open(0));
    await market(0, 'uds-after-drop');
    await until('the fill after the reconnect ran', () => fillsOf('uds-after-drop').length === 1);
  });

  it('keeps going after dropped frames: the next frames still become steps', async () => {
    const a = fleet.accounts[2]!;
    fleet.sim.engine.faults.dropFrames(1, { apiKey: a.apiKey, event: 'ORDER_TRADE_UPDATE' });
    await market(2, 'uds-lost');
    await market(2, 'uds-kept');
    await until('the second fill ran', () => fillsOf('uds-kept').length === 1);
    expect(daemon.stream(a.id)!.stats.failures).toBe(0);
  });

  it('reconnects at once with a fresh key on listenKeyExpired', async () => {
    const a = fleet.accounts[1]!;
    const key = fleet.sim.engine.listenKeys.create(a.apiKey);
    fleet.sim.engine.listenKeys.setExpiry(key, 0);
    fleet.sim.engine.tick();
    await until('the expiry is audited', async () => (await audit(a.id)).some((r) => r.event_type === 'listenKeyExpired'));
    await until('reconnect scheduled', () => daemon.stream(a.id)!.stats.state !== 'open');
    timers.runDue();
    await until('reconnected', () => open(1));
    expect(daemon.stream(a.id)!.stats.failures).toBe(0);
    await market(1, 'uds-after-expiry');
    await until('the fill after the new key ran', () => fillsOf('uds-after-expiry').length === 1);
  });

  it('a broken listen key on one account backs off 1, 2, 4 s while the others keep trading', async () => {
    const bad = fleet.accounts[0]!;
    fleet.sim.engine.faults.failNext({ code: -1125, msg: 'This listenKey does not exist.' }, { method: 'POST', path: '/fapi/v1/listenKey', apiKey: bad.apiKey }, 3);
    daemon.stream(bad.id)!.recycle('test');
    timers.runDue();
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      await until(`failure ${i + 1}`, () => daemon.stream(bad.id)!.stats.failures === i + 1);
      const next = timers.scheduledAt().find((t) => t > timers.clock.now())! - timers.clock.now();
      delays.push(next);
      await market(1, `uds-iso-${i}`);
      timers.advance(next);
    }
    expect(delays.slice(0, 3).map((d) => Math.round(d / 1000))).toEqual([1, 2, 4]);
    expect(daemon.stream(bad.id)!.stats.lastError).toMatch(/listen key/);
    await until('the bad account recovers', () => open(0));
    await until('the healthy account got every fill', () => [0, 1, 2].every((i) => fillsOf(`uds-iso-${i}`).length === 1));
  });

  it('audits a malformed frame with its reason and keeps the connection and the other accounts', async () => {
    const a = fleet.accounts[2]!;
    fleet.sim.engine.state.emit({ kind: 'user', apiKey: a.apiKey, frame: { e: 'ORDER_TRADE_UPDATE', E: 1, o: { s: 'ETHUSDT', x: 'TRADE', z: 12 } } });
    fleet.sim.engine.state.emit({ kind: 'user', apiKey: a.apiKey, frame: { e: 'SOMETHING_NEW', E: 2 } });
    await until('both audited', async () => (await audit(a.id)).length >= 2);
    expect(logs.some((l) => /malformed: ORDER_TRADE_UPDATE frame is invalid at o\.c/.test(l))).toBe(true);
    expect(logs).toContain('user-data frame unknown: unknown event type "SOMETHING_NEW"');
    await market(2, 'uds-after-bad');
    await market(0, 'uds-other');
    await until('both fills ran', () => fillsOf('uds-after-bad').length === 1 && fillsOf('uds-other').length === 1);
    expect(daemon.stream(a.id)!.stats.failures).toBe(0);
  });

  it('enqueues the zero-quantity account update of a closed position', async () => {
    const a = fleet.accounts[0]!;
    // BTCUSDT: no other test trades it, so the sell brings the position back to exactly zero.
    const btc = (id: string, side: string) => client(0).signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side, type: 'MARKET', quantity: '0.002', newClientOrderId: id });
    expect((await btc('uds-open', 'BUY')).status).toBe(200);
    expect((await btc('uds-close', 'SELL')).status).toBe(200);
    await until('the zero update ran', () => handled.some((h) => h.frame.e === 'ACCOUNT_UPDATE'));
    const zero = handled.find((h) => h.frame.e === 'ACCOUNT_UPDATE')!;
    expect(zero.accountId).toBe(a.id);
    expect((zero.frame.a as { P: { pa: string }[] }).P.some((p) => Number(p.pa) === 0)).toBe(true);
  });

  it('flags a stream silent for 15 minutes once, with a notification, and reconnects it', async () => {
    timers.advance(14 * 60_000);
    expect(daemon.watchdog()).toEqual([]);
    timers.advance(60_000);
    expect(daemon.watchdog()).toEqual(fleet.accounts.map((a) => a.id));
    const silent = async () => (await store.findRows(TABLES.notifications, {})).filter((n) => String(n.subject).startsWith('User-data stream silent'));
    await until('the notifications', async () => (await silent()).length === 3);
    for (let i = 0; i < 3; i++) {
      timers.runDue();
      await until(`account ${i} reconnected`, () => open(i));
      timers.advance(100);
    }
    expect(daemon.watchdog()).toEqual([]);
    expect(await silent()).toHaveLength(3);
  });

  it('follows the accounts table: a disabled account\'s stream closes, a re-enabled one reconnects', async () => {
    const a = fleet.accounts[2]!;
    await store.transaction((tx) => applyRowEffects(tx, [setTradingEnabled(a.id, false, 1)]));
    await daemon.refresh();
    expect(daemon.stream(a.id)).toBeUndefined();
    expect(daemon.status().accounts).toBe(2);
    await store.transaction((tx) => applyRowEffects(tx, [setTradingEnabled(a.id, true, 2)]));
    await daemon.refresh();
    timers.advance(100);
    await until('the re-enabled account connected', () => open(2));
  });

  it('shadow mode (empty allowlist) audits and enqueues nothing', async () => {
    await daemon.stop();
    await startDaemon({ allowlist: [] });
    await market(1, 'uds-shadow');
    await until('audited', async () => (await audit(fleet.accounts[1]!.id)).some((r) => r.client_order_id === 'uds-shadow'));
    expect(await steps()).toEqual([]);
  });

  /** Makes the store refuse every transaction while `down()` says so (a database restart). */
  function storeOutage(down: () => boolean): void {
    const real = store.transaction.bind(store);
    store.transaction = ((fn: Parameters<typeof real>[0]) => (down() ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:3306')) : real(fn))) as typeof store.transaction;
  }
  const tradesOf = async (accountId: number) => (await audit(accountId)).filter((r) => r.event_type === 'ORDER_TRADE_UPDATE' && r.client_order_id !== null);

  it('keeps frames that arrive while the store is down and stores them, in order, once it is back', async () => {
    const a = fleet.accounts[2]!;
    let down = true;
    storeOutage(() => down);
    await market(2, 'uds-down-1');
    await market(2, 'uds-down-2', 'SELL');
    await until('the first failure is logged', () => logs.includes('user-data frame could not be stored: retrying'));
    timers.advance(100);
    timers.advance(200);
    expect(fillsOf('uds-down-1')).toEqual([]);
    down = false;
    await until('both fills handled after the store came back', () => {
      timers.advance(400);
      return fillsOf('uds-down-1').length === 1 && fillsOf('uds-down-2').length === 1;
    });
    const trades = (await tradesOf(a.id)).filter((r) => String(r.client_order_id).startsWith('uds-down-'));
    expect(trades.map((r) => r.client_order_id)).toEqual(['uds-down-1', 'uds-down-1', 'uds-down-2', 'uds-down-2']);
    expect(logs).toContain('user-data frame stored after the store came back');
    expect(logs).not.toContain('user-data frame could not be stored: the order poll will re-anchor it');
  });

  it('leaves a frame to the order poll after the retry window, and stores the frames after it', async () => {
    await daemon.stop();
    await queue.close();
    await startDaemon({ storeRetryMs: 10_000 });
    let down = true;
    storeOutage(() => down);
    await market(0, 'uds-lost-1');
    await until('the frame is given up after 10 s of retries', () => {
      timers.advance(1_000);
      return logs.includes('user-data frame could not be stored: the order poll will re-anchor it');
    });
    down = false;
    await market(0, 'uds-after-1');
    await until('the next fill is handled', () => fillsOf('uds-after-1').length === 1);
    expect(fillsOf('uds-lost-1')).toEqual([]);
  });
});
