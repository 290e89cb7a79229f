// The mark-price daemon against a real MariaDB and real WebSockets: a 700-symbol frame updates
// every row with two statements, the simulator's stream format is understood end to end, the
// process asks to exit after 5 silent minutes on an injected clock (pings and reconnects do not
// count), and the fleet health check raises "mark price stale" for open positions on stale prices.
import type { Pool } from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { ManualClock } from '../core/ports/clock.ts';
import { silentLogger } from '../core/ports/logger.ts';
import { createMySqlPool } from '../edge/adapters/mysql/mysql-pool.ts';
import { startSimulator } from '../edge/sim/index.ts';
import { MarkPriceDaemon, MARK_PRICE_STREAM } from '../edge/streams/mark-price/mark-price-daemon.ts';
import { BulkMarkPriceWriter, type MarkPriceWriter } from '../edge/streams/mark-price/mysql-mark-price-writer.ts';
import { staleMarkPrices } from '../edge/streams/mark-price/mysql-mark-price-writer.ts';
import { healthCheckHandler } from '../core/scheduler/handlers/health-check.handler.ts';
import { MemoryCooldown } from '../core/scheduler/cooldown.port.ts';
import type { HandlerContext, Job } from '../core/steps/context.ts';
import { fixtureSymbols, insertFixtureSymbols } from '../edge/streams/mark-price/symbol-fixtures.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';
import { until } from './support/wait-until.ts';

let db: TestDatabase;
let pool: Pool;
const symbols = fixtureSymbols(700);

beforeAll(async () => {
  db = await freshDatabase();
  pool = createMySqlPool(db.url, { connectionLimit: 4 });
  await insertFixtureSymbols(pool, symbols);
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** A WebSocket server the test drives frame by frame. */
async function streamServer(): Promise<{ url: string; sockets: WebSocket[]; paths: string[]; send(data: unknown): void }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  const sockets: WebSocket[] = [];
  const paths: string[] = [];
  wss.on('connection', (ws, req) => {
    sockets.push(ws);
    paths.push(req.url ?? '');
  });
  cleanups.push(() => new Promise((r) => {
    for (const s of wss.clients) s.terminate();
    wss.close(() => r());
  }));
  const { port } = wss.address() as { port: number };
  return { url: `ws://127.0.0.1:${port}`, sockets, paths, send: (data) => sockets.at(-1)!.send(JSON.stringify(data)) };
}

function frame(prices: [string, string][], E = 1): unknown[] {
  return prices.map(([s, p]) => ({ e: 'markPriceUpdate', E, s, p, i: p, P: p, r: '0.0001', T: E + 1 }));
}

function daemonOn(url: string, writer: MarkPriceWriter, clock: ManualClock, exits: string[]): MarkPriceDaemon {
  const d = new MarkPriceDaemon({ url: `${url}${MARK_PRICE_STREAM}`, writer, clock, logger: silentLogger, exit: (r) => exits.push(r), backoffMs: () => 10, watchEveryMs: 3_600_000 });
  cleanups.push(() => d.stop());
  return d;
}

describe('mark-price daemon', () => {
  it('writes a 700-symbol frame to every row in two statements', async () => {
    const server = await streamServer();
    const statements: string[] = [];
    const counting = new Proxy(pool, {
      get: (target, key) => key === 'query' ? (sql: string, params: unknown) => (statements.push(sql), target.query(sql, params as never[])) : Reflect.get(target, key),
    });
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const d = daemonOn(server.url, new BulkMarkPriceWriter(counting), clock, []);
    d.start();
    await until('the connection', () => server.sockets.length === 1, 10_000);
    expect(decodeURIComponent(server.paths[0]!)).toBe(MARK_PRICE_STREAM);
    server.send(frame([...symbols.map((s, i): [string, string] => [s, `${100 + i}.125`]), ['NOTLISTEDUSDT', '1.5']]));
    await until('rows updated', () => d.stats.rowsMatched === 700, 10_000);
    expect(statements).toHaveLength(2);
    const [rows] = await pool.query('SELECT COUNT(*) AS n FROM exchange_symbols WHERE mark_price_at = ? AND mark_price = 100 + CAST(SUBSTRING(symbol, 4, 4) AS UNSIGNED) + 0.125', [clock.now()]);
    expect((rows as { n: number }[])[0]!.n).toBe(700);
  });

  it('understands the simulator\'s own stream', async () => {
    const sim = await startSimulator({ markPriceIntervalMs: 20 });
    cleanups.push(() => sim.close());
    const simSymbols = sim.engine.markPriceFrames().map((f) => String(f.s));
    await insertFixtureSymbols(pool, simSymbols);
    const clock = new ManualClock(Date.UTC(2026, 0, 2));
    const d = daemonOn(sim.wsUrl, new BulkMarkPriceWriter(pool), clock, []);
    d.start();
    await until('sim frame written', () => d.stats.rowsMatched >= simSymbols.length, 10_000);
    const [rows] = await pool.query('SELECT symbol, mark_price FROM exchange_symbols WHERE mark_price_at = ? ORDER BY symbol', [clock.now()]);
    expect((rows as { symbol: string }[]).map((r) => r.symbol)).toEqual([...simSymbols].sort());
  });

  it('asks to exit after 5 silent minutes; pings and reconnects do not count', async () => {
    const server = await streamServer();
    const clock = new ManualClock(Date.UTC(2026, 0, 3));
    const exits: string[] = [];
    const d = daemonOn(server.url, new BulkMarkPriceWriter(pool), clock, exits);
    d.start();
    await until('the connection', () => server.sockets.length === 1, 10_000);
    clock.advance(4 * 60_000);
    server.send(frame([[symbols[0]!, '1']]));
    await until('first frame', () => d.stats.frames === 1, 10_000);
    clock.advance(4 * 60_000 + 59_000);
    server.sockets[0]!.ping();
    server.send({ result: null, id: 1 });
    server.sockets[0]!.terminate();
    await until('the reconnect', () => server.sockets.length === 2, 10_000);
    expect(d.stats.reconnects).toBe(1);
    expect(d.checkSilence()).toBe(false);
    clock.advance(1_001);
    expect(d.checkSilence()).toBe(true);
    expect(d.checkSilence()).toBe(true);
    expect(exits).toHaveLength(1);
    expect(exits[0]).toContain('no mark-price data frame for 300 s');
  });

  it('alerts on open positions whose mark price is stale', async () => {
    const now = Date.UTC(2026, 0, 4);
    await pool.query('UPDATE exchange_symbols SET mark_price = 1, mark_price_at = ? WHERE symbol IN (?, ?)', [now - 10 * 60_000, symbols[1], symbols[2]]);
    await pool.query('UPDATE exchange_symbols SET mark_price = 1, mark_price_at = ? WHERE symbol = ?', [now - 5_000, symbols[3]]);
    const position = (id: number, symbol: string, status: string, isOpen: number | null) => [
      `uuid-${id}`, 1, 'binance', symbol, 'LONG', status, isOpen, '10', '1', '1', '1', '2', 4, now, now,
    ];
    await pool.query(
      'INSERT INTO positions (uuid, account_id, exchange, symbol, direction, status, is_open, margin, profit_pct, stop_pct, gap_pct, rung_multiplier, rungs, created_at, updated_at) VALUES ?',
      [[position(1, symbols[1]!, 'active', 1), position(2, symbols[2]!, 'closed', null), position(3, symbols[3]!, 'active', 1)]],
    );
    const clock = new ManualClock(now);
    const check = healthCheckHandler({
      recover: async () => { throw new Error('unused'); }, archive: async () => 0, purge: async () => 0,
      cooldown: new MemoryCooldown(clock),
      staleMarkPrices: (before) => staleMarkPrices(pool, before), markPriceStaleMs: 2 * 60_000,
    });
    const outcome = await check.run({ args: {} } as Job<Record<string, never>>, { clock } as unknown as HandlerContext);
    expect(outcome.outcome).toEqual({ kind: 'complete', response: { maintenance: false, inMaintenanceMs: 0, staleMarkPrices: [symbols[1]] } });
    expect(outcome.effects).toEqual([{
      kind: 'notify', subject: 'mark-price:stale', severity: 'critical',
      message: `mark price stale on 1 symbol with open positions: ${symbols[1]} (600 s old)`,
    }]);
  });
});
