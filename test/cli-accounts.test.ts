// Account commands against a real MariaDB and a `kraite sim`: accounts:add checks the key with a
// signed read (a wrong secret or key is refused and nothing is stored), accounts:list masks keys,
// accounts:credentials rotates them (checked too), accounts:remove is refused while a position is
// open and otherwise keeps the row as history that no fleet job walks any more.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRowEffects } from '../core/trading/apply-row-effects.ts';
import { decryptCredentials, importCredentialsKey } from '../core/trading/credentials.ts';
import { insertPosition } from '../core/trading/position-effects.ts';
import { allAccounts, getAccount, tradingAccounts } from '../core/trading/reads.ts';
import type { MySqlStepStore } from '../edge/adapters/mysql/mysql-step-store.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { main } from '../edge/cli/main.ts';
import { startSimulator, type RunningSimulator } from '../edge/sim/index.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';

const KEY = btoa(String.fromCharCode(...new Uint8Array(32).fill(9)));
const ALICE = { KRAITE_API_KEY: 'alice-key-0000-1111-2222', KRAITE_API_SECRET: 'alice-secret' };
const BOB = { KRAITE_API_KEY: 'bob-key-3333-4444-5555-6666', KRAITE_API_SECRET: 'bob-secret' };
let db: TestDatabase;
let store: MySqlStepStore;
let sim: RunningSimulator;

const run = async (argv: string[], env: Record<string, string> = {}) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (l) => out.push(l), err: (l) => err.push(l),
    env: { DATABASE_URL: db.url, REDIS_URL: '', KRAITE_CREDENTIALS_KEY: KEY, KRAITE_EXCHANGE_URL: sim.restUrl, ...env },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
};
const idOf = async (name: string) => Number((await store.findRows('accounts', { name }))[0]!.id);

beforeAll(async () => {
  [db, sim] = await Promise.all([freshDatabase(), startSimulator({
    port: 0, accounts: [{ apiKey: ALICE.KRAITE_API_KEY, secret: ALICE.KRAITE_API_SECRET, balance: '2500' }, { apiKey: BOB.KRAITE_API_KEY, secret: BOB.KRAITE_API_SECRET }],
  })]);
  store = await openMySqlStepStore(db.url);
});
afterAll(async () => {
  await store.close();
  await sim.close();
  await db.drop();
});

describe('accounts commands', () => {
  it('accounts:add checks the key with a signed read and refuses a wrong secret or key, storing nothing', async () => {
    const wrongSecret = await run(['accounts:add', '--name', 'main', '--enable-trading'], { ...ALICE, KRAITE_API_SECRET: 'not-the-secret' });
    expect(wrongSecret.code).toBe(1);
    expect(wrongSecret.err).toMatch(/accounts:add: refused: the signature does not match the key: check KRAITE_API_SECRET \(-1022 .*\); nothing stored/);
    const wrongKey = await run(['accounts:add', '--name', 'main'], { ...ALICE, KRAITE_API_KEY: 'no-such-key' });
    expect(wrongKey).toMatchObject({ code: 1, err: expect.stringMatching(/refused: .*check KRAITE_API_KEY.*\(-2015 /) });
    expect(await store.findRows('accounts', {})).toEqual([]);

    const added = await run(['accounts:add', '--name', 'main', '--enable-trading'], ALICE);
    expect(added).toMatchObject({ code: 0, out: expect.stringMatching(/^account main \(id \d+\) added, key verified on 127\.0\.0\.1:\d+ \(USDT available 2500\), trading on$/) });
    expect(added.out + added.err).not.toContain('alice-secret');
    const stored = (await getAccount(store, await idOf('main')))!;
    expect(stored.tradingEnabled).toBe(true);
    expect((await decryptCredentials(await importCredentialsKey(KEY), stored)).apiKey).toBe(ALICE.KRAITE_API_KEY);

    expect((await run(['accounts:add', '--name', 'main'], ALICE)).err).toContain('an account named main already exists');
    expect((await run(['accounts:add', '--name', 'x', '--unverified', '--enable-trading'], ALICE)).err).toContain('--unverified adds the account with trading off');
    expect((await run(['accounts:add', '--name', 'x'], { ...ALICE, KRAITE_EXCHANGE_URL: '' })).err).toContain('set KRAITE_EXCHANGE_URL');
    // An exchange that cannot be reached is "could not check", not "wrong key"; --unverified stores it with trading off.
    const down = await run(['accounts:add', '--name', 'spare'], { ...BOB, KRAITE_EXCHANGE_URL: 'http://127.0.0.1:9' });
    expect(down).toMatchObject({ code: 1, err: expect.stringContaining('could not check the key') });
    expect(await run(['accounts:add', '--name', 'spare', '--unverified'], { ...BOB, KRAITE_EXCHANGE_URL: 'http://127.0.0.1:9' }))
      .toMatchObject({ code: 0, out: expect.stringContaining('key not verified (--unverified), trading off') });
  });

  it('accounts:list shows every account in use with its key masked', async () => {
    const listed = await run(['accounts:list']);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/#\d+ main\s+binance\s+trading on\s+key \*\*\*\*2222 open positions 0\s+last frame never/);
    expect(listed.out).toMatch(/#\d+ spare\s+binance\s+trading off\s+key \*\*\*\*6666/);
    expect(listed.out).not.toContain('alice-key');
    const json = JSON.parse((await run(['accounts:list', '--json'], { KRAITE_CREDENTIALS_KEY: '' })).out) as { name: string; apiKey: string }[];
    expect(json.map((a) => [a.name, a.apiKey])).toEqual([['main', '****'], ['spare', '****']]);
  });

  it('accounts:credentials rotates the key after checking it, and refuses a wrong one', async () => {
    const id = await idOf('spare');
    expect(await run(['accounts:credentials', String(id)], { ...BOB, KRAITE_API_SECRET: 'wrong' })).toMatchObject({ code: 1, err: expect.stringContaining('check KRAITE_API_SECRET') });
    expect(await run(['accounts:credentials', String(id)], ALICE)).toMatchObject({ code: 0, out: expect.stringContaining(`account ${id}: credentials replaced, key verified`) });
    expect((await decryptCredentials(await importCredentialsKey(KEY), (await getAccount(store, id))!)).apiKey).toBe(ALICE.KRAITE_API_KEY);
    expect(await run(['accounts:credentials', '999'], ALICE)).toMatchObject({ code: 1, err: 'no account 999 in use (kraite accounts:list)' });
    expect((await run(['accounts:credentials', 'x'], ALICE)).err).toContain('needs one account id');
  });

  it('accounts:remove is refused while a position is open; a removed account is history no fleet job walks', async () => {
    const main_ = (await getAccount(store, await idOf('main')))!;
    await store.transaction((tx) => applyRowEffects(tx, [insertPosition({ uuid: 'acct-open-1', account: main_, symbol: 'ETHUSDT', direction: 'LONG' }, 5)]));
    const refused = await run(['accounts:remove', String(main_.id)]);
    expect(refused).toMatchObject({ code: 1, err: expect.stringMatching(/has 1 open position\(s\): #\d+ LONG ETHUSDT \(new\); switch trading off/) });
    expect((await getAccount(store, main_.id))!).toMatchObject({ tradingEnabled: true, removedAt: null });

    const spare = await idOf('spare');
    expect(await run(['accounts:remove', String(spare)])).toMatchObject({ code: 0, out: expect.stringContaining(`account ${spare} removed`) });
    expect((await getAccount(store, spare))!).toMatchObject({ tradingEnabled: false, removedAt: expect.any(Number) });
    expect((await allAccounts(store)).map((a) => a.name)).toEqual(['main']);
    expect((await tradingAccounts(store)).map((a) => a.name)).toEqual(['main']);
    expect((await run(['accounts:list'])).out).not.toContain('spare');
    expect((await run(['accounts:list', '--all'])).out).toMatch(/spare\s+binance\s+removed \d{4}-/);
    expect(await run(['accounts:remove', String(spare)])).toMatchObject({ code: 1, err: expect.stringContaining(`no account ${spare} in use`) });
    expect(await run(['accounts:trading', String(spare), '--on'])).toMatchObject({ code: 1, err: expect.stringContaining('was removed') });
  });
});
