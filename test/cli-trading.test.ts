// Trading operator commands against a real MariaDB: accounts:add (credentials encrypted, never
// echoed), accounts:trading, symbols:set, positions and orders (text and --json), and their refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRowEffects } from '../core/trading/apply-row-effects.ts';
import { upsertExchangeSymbol } from '../core/trading/exchange-symbol.ts';
import { sampleSymbolInfo } from '../core/trading/fixtures.ts';
import { insertOrder } from '../core/trading/order-effects.ts';
import { insertPosition, movePosition } from '../core/trading/position-effects.ts';
import { getAccount, getSymbol } from '../core/trading/reads.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import type { MySqlStepStore } from '../edge/adapters/mysql/mysql-step-store.ts';
import { main } from '../edge/cli/main.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';

let db: TestDatabase;
let store: MySqlStepStore;
const KEY = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)));
const run = async (argv: string[], env: Record<string, string> = {}) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: { DATABASE_URL: db.url, REDIS_URL: '', ...env } });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

beforeAll(async () => {
  db = await freshDatabase();
  store = await openMySqlStepStore(db.url);
});
afterAll(async () => {
  await store.close();
  await db.drop();
});

describe('trading commands', () => {
  it('adds an account with encrypted credentials and switches its trading', async () => {
    const env = { KRAITE_CREDENTIALS_KEY: KEY, KRAITE_API_KEY: 'api-key-plaintext-1234', KRAITE_API_SECRET: 'api-secret-plaintext' };
    const added = await run(['accounts:add', '--name', 'main', '--unverified'], env);
    expect(added).toMatchObject({ code: 0, out: expect.stringContaining('trading off') });
    expect(added.out).not.toContain('plaintext');
    const [row] = await store.findRows('accounts', { name: 'main' });
    expect(JSON.stringify(row)).not.toContain('plaintext');
    const id = Number(row!.id);
    expect(await run(['accounts:trading', String(id), '--on'])).toMatchObject({ code: 0 });
    expect((await getAccount(store, id))!.tradingEnabled).toBe(true);
    expect(await run(['accounts:trading', '999', '--off'])).toMatchObject({ code: 1, err: 'no account 999' });
    expect((await run(['accounts:trading', String(id)])).err).toContain('exactly one of --on or --off');
    expect((await run(['accounts:add', '--name', 'x'], { KRAITE_CREDENTIALS_KEY: KEY })).err).toContain('KRAITE_API_KEY');
  });

  it('sets a symbol\'s direction and switches, and refuses unknown symbols and values', async () => {
    await store.transaction((tx) => applyRowEffects(tx, upsertExchangeSymbol(sampleSymbolInfo('ETHUSDT'), 1)));
    expect(await run(['symbols:set', 'ETHUSDT', '--direction', 'LONG', '--enable'])).toMatchObject({ code: 0 });
    expect(await getSymbol(store, 'ETHUSDT')).toMatchObject({ direction: 'LONG', isEligible: true });
    expect(await run(['symbols:set', 'ETHUSDT', '--direction', 'none', '--disable'])).toMatchObject({ code: 0 });
    expect(await getSymbol(store, 'ETHUSDT')).toMatchObject({ direction: null, isEligible: false });
    expect(await run(['symbols:set', 'NOPEUSDT', '--enable'])).toMatchObject({ code: 1, err: expect.stringContaining('unknown symbol NOPEUSDT') });
    expect((await run(['symbols:set', 'ETHUSDT', '--direction', 'UP'])).err).toContain('--direction must be one of LONG, SHORT');
    expect((await run(['symbols:set', 'ETHUSDT'])).err).toContain('nothing to change');
  });

  it('lists positions and orders as text and JSON', async () => {
    const account = (await getAccount(store, Number((await store.findRows('accounts', { name: 'main' }))[0]!.id)))!;
    await store.transaction((tx) => applyRowEffects(tx, [insertPosition({ uuid: 'cli-pos-1', account, symbol: 'ETHUSDT', direction: 'LONG' }, 5)]));
    const [p] = await store.findRows('positions', { uuid: 'cli-pos-1' });
    const order = insertOrder({ positionId: Number(p!.id), accountId: account.id, symbol: 'ETHUSDT', role: 'entry', isAlgo: false, type: 'MARKET', side: 'BUY', quantity: '0.014' }, 6);
    await store.transaction((tx) => applyRowEffects(tx, [order.effect]));
    const listed = await run(['positions', '--status', 'open']);
    expect(listed.out).toMatch(/#\d+ new\s+LONG\s+ETHUSDT/);
    const json = JSON.parse((await run(['positions', '--json'])).out) as { uuid: string }[];
    expect(json.map((x) => x.uuid)).toEqual(['cli-pos-1']);
    const orders = JSON.parse((await run(['orders', '--position', String(p!.id), '--json'])).out) as { clientOrderId: string; quantity: string }[];
    expect(orders).toEqual([expect.objectContaining({ clientOrderId: order.clientOrderId, quantity: '0.014' })]);
    expect((await run(['positions', '--status', 'sideways'])).err).toContain('--status must be one of');
    expect((await run(['orders', '--position', 'abc'])).err).toContain('--position must be a whole number');
  });

  it('shows a settled position\'s books: closing price, gross, fees, funding, net and exit reason', async () => {
    const account = (await getAccount(store, Number((await store.findRows('accounts', { name: 'main' }))[0]!.id)))!;
    await store.transaction((tx) => applyRowEffects(tx, [insertPosition({ uuid: 'cli-pos-2', account, symbol: 'BTCUSDT', direction: 'SHORT' }, 7)]));
    const [p] = await store.findRows('positions', { uuid: 'cli-pos-2' });
    const books = { closingPrice: '64000.5', grossPnl: '12.5', fees: '0.64', funding: '-0.02', netPnl: '11.84', pnl: '11.84', exitReason: 'take-profit' as const };
    await store.transaction((tx) => applyRowEffects(tx, [
      movePosition(Number(p!.id), 'new', 'cancelling', { at: 8 }), movePosition(Number(p!.id), 'cancelling', 'cancelled', { at: 9, set: books }),
    ]));
    const listed = await run(['positions', '--status', 'cancelled']);
    expect(listed.out).toMatch(/BTCUSDT .* close 64000\.5 gross 12\.5 fees 0\.64 funding -0\.02 net 11\.84 \(take-profit\)$/);
    const [json] = JSON.parse((await run(['positions', '--status', 'cancelled', '--json'])).out) as Record<string, unknown>[];
    expect(json).toMatchObject({ grossPnl: '12.5', fees: '0.64', funding: '-0.02', netPnl: '11.84', closingPrice: '64000.5', exitReason: 'take-profit' });
  });
});
