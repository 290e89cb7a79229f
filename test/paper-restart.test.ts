// Paper trading survives a crash: `npm start` runs as a child process on a temp KRAITE_DATA_DIR until
// it holds active positions, is SIGKILLed, and starts again on the same directory. It finds the same
// positions, orders and settings, on the same simulated exchange (its journal replayed), keeps
// managing them — a DCA rung that fills after the restart is re-priced by WAP — and the exchange
// never holds an order twice. The rung's fill is made by a price event the test puts on the
// stopped exchange's journal (as one would move the price of a `kraite sim`), not by waiting for
// the random walk.
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { MARKET_UNIQUE_KEYS } from '../core/market/tables.ts';
import { isOpen } from '../core/sim/orders.ts';
import { TRADING_UNIQUE_KEYS } from '../core/trading/tables.ts';
import { JournalFile } from '../edge/adapters/journal/journal-file.ts';
import { main } from '../edge/cli/main.ts';
import { dataDirFiles, journalGenerations } from '../edge/runtime/data-dir.ts';
import { openPaperState } from '../edge/runtime/paper-state.ts';
import { createPaperSim, PAPER } from '../edge/runtime/paper-venue.ts';
import { startEmbeddedFleet, type FleetChild } from './support/embedded-fleet-child.ts';
import { tempDataDir } from './support/temp-data-dir.ts';

interface Position { id: number; status: string; symbol: string; direction: string; accountId: number }
interface Order { id: number; positionId: number; role: string; rung: number | null; replacement: number; clientOrderId: string; exchangeOrderId: string | null; isAlgo: boolean; side: string; price: string | null; status: string }

const dataDir = tempDataDir();
const running: FleetChild[] = [];
afterAll(async () => {
  for (const f of running) await f.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function cli<T = unknown>(...argv: string[]): Promise<T> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: { KRAITE_DATA_DIR: dataDir } });
  if (code !== 0) throw new Error(`kraite ${argv.join(' ')} exited ${code}: ${err.join('\n')}`);
  return (argv.includes('--json') ? JSON.parse(out.join('\n')) : out.join('\n')) as T;
}

/** The stopped fleet's state as its next start will load it (nothing written). */
const inspect = () => openPaperState({ dataDir, readOnly: true, uniqueKeys: { ...TRADING_UNIQUE_KEYS, ...MARKET_UNIQUE_KEYS }, createSim: (recorder) => createPaperSim({ recorder }) });

describe('npm start after kill -9', () => {
  it('resumes the same positions, orders and settings on the same exchange, still managed, nothing placed twice', async () => {
    const first = await startEmbeddedFleet(dataDir);
    running.push(first);
    expect(first.out()).toMatch(/store: in-memory, kept in \S+ \(new;/);
    await expect.poll(async () => (await cli<Position[]>('positions', '--status', 'active', '--json')).length, { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(1);
    // A setting changed by the user: no new opens, so the positions below are all there will be.
    await cli('accounts:trading', '1', '--off');
    const accounts = await cli<Record<string, unknown>[]>('accounts:list', '--json');
    const positions = await cli<Position[]>('positions', '--json', '--limit', '1000');
    const orders = await cli<Order[]>('orders', '--json', '--limit', '10000');
    expect(await first.stop('SIGKILL')).toBeNull();

    // On the stopped exchange: an active position's nearest working rung, and a price just through it three steps after the restart.
    const before = await inspect();
    const sim = before.sim!;
    expect(before.loaded.records).toBeGreaterThan(0);
    const working = (o: Order) => o.exchangeOrderId !== null && !o.isAlgo && isOpen(sim.account(PAPER.apiKey)!.findOrder(positions.find((p) => p.id === o.positionId)!.symbol, { orderId: Number(o.exchangeOrderId) })!);
    const active = new Set(positions.filter((p) => p.status === 'active').map((p) => p.id));
    const rung = orders.filter((o) => o.role === 'rung' && active.has(o.positionId) && working(o)).sort((a, b) => (a.rung ?? 0) - (b.rung ?? 0))[0];
    if (!rung) throw new Error(`no active position with a working rung on the exchange: ${JSON.stringify(orders)}`);
    const position = positions.find((p) => p.id === rung.positionId)!;
    const profitOf = (list: Order[]) => list.filter((o) => o.positionId === position.id && o.role === 'profit').sort((a, b) => b.replacement - a.replacement)[0]!;
    const profitBefore = profitOf(orders);
    const through = (Number(rung.price) * (rung.side === 'BUY' ? 0.998 : 1.002)).toString();
    const [gen] = journalGenerations(dataDir).slice(-1);
    const { journal } = JournalFile.open(dataDirFiles(dataDir).journal(gen!));
    journal.append({ sim: { op: 'script', at: Date.now(), args: [[{ step: sim.path.stepIndex + 3, symbol: position.symbol, price: through }]] } });
    await journal.close();

    const restartedAt = Date.now();
    const second = await startEmbeddedFleet(dataDir);
    running.push(second);
    expect(second.out()).toMatch(/store: in-memory, kept in \S+ \(resumed \(\d+ journal records replayed\)/);
    // The same settings, positions and orders (statuses may have moved on: the market kept going).
    // (Less what moves by itself: the stream's last frame, the count of open positions.)
    const settings = (list: Record<string, unknown>[]) => list.map(({ lastFrameAt: _frame, openPositions: _open, ...rest }) => rest);
    expect(settings(await cli('accounts:list', '--json'))).toEqual(settings(accounts));
    expect(settings(accounts)[0]).toMatchObject({ id: 1, name: 'paper', tradingEnabled: false });
    const identity = <T extends object>(rows: T[], keys: (keyof T)[]) => rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]])));
    const positionsAfter = await cli<Position[]>('positions', '--json', '--limit', '1000');
    expect(identity(positionsAfter, ['id', 'symbol', 'direction', 'accountId'])).toEqual(identity(positions, ['id', 'symbol', 'direction', 'accountId']));
    const ordersAfter = await cli<Order[]>('orders', '--json', '--limit', '10000');
    expect(identity(ordersAfter.filter((o) => orders.some((b) => b.id === o.id)), ['id', 'clientOrderId', 'exchangeOrderId', 'role', 'positionId']))
      .toEqual(identity(orders, ['id', 'clientOrderId', 'exchangeOrderId', 'role', 'positionId']));

    // Still managed: the rung fills on the resumed exchange, and WAP moves the take-profit to the new break-even.
    await expect.poll(async () => (await cli<Order[]>('orders', '--position', String(position.id), '--json')).find((o) => o.id === rung.id)?.status, { timeout: 60_000, interval: 250 }).toBe('filled');
    await expect.poll(async () => {
      const now = profitOf(await cli<Order[]>('orders', '--position', String(position.id), '--json'));
      return now.price !== profitBefore.price && now.status === 'working';
    }, { timeout: 60_000, interval: 250 }).toBe(true);
    const waps = await cli<{ state: string; createdAt: number }[]>('steps', '--handler', 'trading.wap.finish', '--limit', '1000', '--json');
    expect(waps.some((s) => s.state === 'completed' && s.createdAt >= restartedAt)).toBe(true);
    expect(await second.stop('SIGTERM')).toBe(0);

    // Never twice on the exchange: every client id once, and every order the books placed is there.
    const after = await inspect();
    const account = after.sim!.account(PAPER.apiKey)!;
    const clientIds = [...account.orders.values()].map((o) => o.clientOrderId);
    const algoIds = [...account.algoOrders.values()].map((a) => a.clientAlgoId);
    expect(new Set(clientIds).size).toBe(clientIds.length);
    expect(new Set(algoIds).size).toBe(algoIds.length);
    const booked = (await after.store.findRows('orders', {})).filter((o) => o.exchange_order_id !== null);
    expect(booked.length).toBeGreaterThan(0);
    for (const o of booked) expect(o.is_algo ? account.algoOrders.has(Number(o.exchange_order_id)) : account.orders.has(Number(o.exchange_order_id))).toBe(true);
  }, 400_000);
});
