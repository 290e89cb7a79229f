// Hyperion lost: a paper fleet trades on the simulator over MariaDB, `kraite backup` uploads an
// encrypted dump to a loopback S3, more positions open, the database is dropped, and
// `kraite restore --from latest` brings it back with trading off and a reconciliation that adopts
// exactly the positions opened after the backup, by client id, without one order placed or
// cancelled on the exchange.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryQueue } from '../core/adapters/memory/memory-queue.ts';
import { inProcessExchange } from '../core/sim/in-process-exchange.ts';
import { applyRowEffects } from '../core/trading/apply-row-effects.ts';
import { importCredentialsKey } from '../core/trading/credentials.ts';
import { credentialDirectory } from '../core/trading/exchange-directory.ts';
import { setSymbolFlags } from '../core/trading/exchange-symbol.ts';
import { toAccount } from '../core/trading/account.ts';
import { toOrder } from '../core/trading/order.ts';
import { toPosition } from '../core/trading/position.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { main } from '../edge/cli/main.ts';
import type { CliIo } from '../edge/cli/command.ts';
import { restoreCommandWith } from '../edge/cli/commands/backup.command.ts';
import { parseCommandArgs } from '../edge/cli/command.ts';
import type { ReconciliationReport } from '../edge/backup/reconcile-restore.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';
import { startFakeS3, type FakeS3 } from '../edge/backup/loopback-s3.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';
import { startTradingHarness, type TradingHarness } from './support/trading-harness.ts';

const randomKey = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64');
const S3_KEYS = { accessKeyId: 'test-access', secretAccessKey: 'test-secret' };

function capture(env: Record<string, string | undefined>): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, env, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

// What the simulator's own order log holds: every order ever placed and every algo order, with status.
function orderLog(t: TradingHarness): string[] {
  const account = t.sim.account('paper-key')!;
  return [
    ...[...account.orders.values()].map((o) => `${o.orderId} ${o.clientOrderId} ${o.status} ${o.executedQty.toString()}`),
    ...[...account.algoOrders.values()].map((a) => `algo ${a.algoId} ${a.clientAlgoId} ${a.status}`),
  ].sort();
}

describe('backup and restore (hyperion lost)', () => {
  let db: TestDatabase;
  let s3: FakeS3;
  let t: TradingHarness;
  const credentialsKey = randomKey();
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await freshDatabase();
    s3 = await startFakeS3(S3_KEYS);
    env = {
      DATABASE_URL: db.url, KRAITE_BACKUP_KEY: randomKey(), KRAITE_CREDENTIALS_KEY: credentialsKey,
      KRAITE_BACKUP_S3_ENDPOINT: s3.endpoint, KRAITE_BACKUP_S3_BUCKET: 'kraite-backups', KRAITE_BACKUP_S3_ACCESS_KEY_ID: S3_KEYS.accessKeyId,
      KRAITE_BACKUP_S3_SECRET_ACCESS_KEY: S3_KEYS.secretAccessKey, KRAITE_BACKUP_PREFIX: 'fleet/',
    };
    const store = await openMySqlStepStore(db.url);
    t = await startTradingHarness({ store, queue: new MemoryQueue(), cleanup: () => store.close() }, {
      credentialsKey, directions: { ETHUSDT: 'LONG' }, settings: { LONG: { slots: 3 }, SHORT: { slots: 3, margin: '2000' } },
    });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await s3?.close();
    await db?.drop();
  });

  it('restores the books, adopts exactly the positions opened after the backup, and places or cancels nothing', async () => {
    // Before the backup: one position, fully laddered and protected.
    await t.start('trading.open-positions');
    await t.settle();
    const before = await t.positions();
    expect(before.map((p) => [p.symbol, p.status])).toEqual([['ETHUSDT', 'active']]);

    const backup = capture(env);
    expect(await main(['backup'], backup), backup.errors.join('\n')).toBe(0);
    expect(s3.objects.size).toBe(1);
    const [objectName, object] = [...s3.objects][0]!;
    expect(objectName).toMatch(/^kraite-backups\/fleet\/.*-manual\.sql\.gz\.enc$/);

    // The file at rest is ciphertext: no table name, no SQL, no credential ciphertext in clear.
    const raw = object.body.toString('latin1');
    const [accountRow] = await t.store.findRows('accounts', { id: t.accountId });
    const account = toAccount(accountRow!);
    for (const clear of ['positions', 'CREATE TABLE', 'INSERT INTO', 'accounts', account.apiKeyEnc, account.apiSecretEnc, account.apiKeyEnc.slice(0, 16)]) {
      expect(raw.includes(clear), clear).toBe(false);
    }

    // After the backup: two more positions open (a short and a second long).
    await t.store.transaction((tx) => applyRowEffects(tx, [
      setSymbolFlags('SOLUSDT', { direction: 'SHORT', isEligible: true }, t.clock.now()),
      setSymbolFlags('BNBUSDT', { direction: 'LONG', isEligible: true }, t.clock.now()),
    ]));
    t.sim.advance(180_000); // the next 3-minute open tick
    await t.start('trading.open-positions');
    await t.settle();
    const all = await t.positions();
    const after = all.filter((p) => !before.some((b) => b.id === p.id));
    expect(after.map((p) => [p.symbol, p.status]).sort()).toEqual([['BNBUSDT', 'active'], ['SOLUSDT', 'active']]);
    const ordersBefore = await t.orders();

    // Hyperion is lost.
    await db.drop();
    const log = orderLog(t);

    const exchangeCalls: string[] = [];
    const key = await importCredentialsKey(credentialsKey);
    const restore = restoreCommandWith({
      exchanges: async () => ({
        directory: credentialDirectory(key, (c) => {
          const port = inProcessExchange(t.sim, { apiKey: c.apiKey, secret: c.apiSecret }, t.clock);
          // Record every call the restore makes on the exchange.
          return new Proxy(port, { get: (target, name, receiver) => {
            const value = Reflect.get(target, name, receiver) as unknown;
            return typeof value === 'function' ? (...args: unknown[]) => {
              exchangeCalls.push(String(name));
              return (value as (...a: unknown[]) => unknown).apply(target, args);
            } : value;
          } });
        }),
        close: async () => {},
      }),
    });
    const io = capture(env);
    const code = await restore.run(parseCommandArgs(restore, ['--from', 'latest', '--json']), io);
    expect(code, io.errors.join('\n')).toBe(0);
    const result = JSON.parse(io.lines.at(-1)!) as { key: string; switchedOff: number; reconciliation: ReconciliationReport };
    expect(result.key).toBe(objectName.slice('kraite-backups/'.length));
    expect(result.switchedOff).toBe(1);

    // Not one order placed, modified or cancelled: the simulator's log is unchanged and only reads went out.
    expect(orderLog(t)).toEqual(log);
    expect(new Set(exchangeCalls)).toEqual(new Set(['getPositions', 'getOpenOrders', 'getOpenAlgoOrders', 'findOrder']));

    // The report lists exactly the positions opened after the backup, adopted by client id.
    const [report] = result.reconciliation.accounts;
    expect(report!.error).toBeUndefined();
    expect(report!.adoptedPositions.map((p) => [p.positionId, p.symbol, p.direction]).sort()).toEqual(after.map((p) => [p.id, p.symbol, p.direction]).sort());
    expect(report!.unadopted).toEqual([]);
    expect(report!.foreignPositions).toEqual([]);
    expect(report!.adoptedOrders).toEqual([]);
    expect(report!.booksOnly).toEqual([]);

    // The books hold every position again, and every working order of ours under its own client id.
    const restoredStore = await openMySqlStepStore(db.url);
    try {
      const positions = (await restoredStore.findRows('positions', {}, { orderBy: 'id' })).map(toPosition);
      expect(positions.map((p) => [p.id, p.symbol, p.direction, p.status])).toEqual(all.map((p) => [p.id, p.symbol, p.direction, 'active']));
      const orders = (await restoredStore.findRows('orders', {}, { orderBy: 'id' })).map(toOrder);
      const working = (o: { status: string }) => o.status === 'working' || o.status === 'filled';
      expect(orders.filter(working).map((o) => [o.clientOrderId, o.exchangeOrderId, o.status]).sort())
        .toEqual(ordersBefore.filter(working).map((o) => [o.clientOrderId, o.exchangeOrderId, o.status]).sort());
      for (const p of after) {
        const adopted = report!.adoptedPositions.find((a) => a.positionId === p.id)!;
        expect(adopted.quantity).toBe(p.quantity);
        expect(positions.find((r) => r.id === p.id)).toMatchObject({ quantity: p.quantity, openingPrice: p.openingPrice, direction: p.direction, accountId: p.accountId });
        expect(adopted.orders.sort()).toEqual(ordersBefore.filter((o) => o.positionId === p.id).map((o) => o.clientOrderId).sort());
      }

      // Trading stays off until an operator turns it on.
      const accounts = (await restoredStore.findRows('accounts', {})).map(toAccount);
      expect(accounts.map((a) => a.tradingEnabled)).toEqual([false]);
      // A new position numbers above every id the exchange knows, so its client ids are new.
      const maxId = Math.max(...all.map((p) => p.id));
      await restoredStore.transaction(async (tx) => {
        await tx.insertRow('positions', { ...(await tx.findRows('positions', { id: maxId }))[0]!, id: undefined, uuid: crypto.randomUUID(), symbol: 'LINKUSDT', is_open: 1 } as never);
      });
      const [newest] = await restoredStore.findRows('positions', {}, { orderBy: 'id', desc: true, limit: 1 });
      expect(Number(newest!.id)).toBeGreaterThan(maxId);
    } finally {
      await restoredStore.close();
    }

    // A second restore over the now non-empty database is refused without --force.
    const again = capture(env);
    await expect(restore.run(parseCommandArgs(restore, ['--from', 'latest']), again)).rejects.toThrow(/is not empty \(\d+ tables\).*--force/);
  }, 180_000);

  it('deploy:cooldown takes a "deploy" backup once the queues drain, and stays on when the backup fails', async () => {
    const keys = testPrefix();
    try {
      const fleet = { ...env, REDIS_URL, KRAITE_QUEUE_PREFIX: keys.prefix };
      const ok = capture(fleet);
      expect(await main(['deploy:cooldown', '--timeout', '10', '--poll-ms', '50'], ok), ok.errors.join('\n')).toBe(0);
      expect(ok.lines.join('\n')).toMatch(/pre-deploy backup fleet\/.*-deploy\.sql\.gz\.enc/);
      expect([...s3.objects.keys()].some((k) => k.endsWith('-deploy.sql.gz.enc'))).toBe(true);

      // The store checks every signature: a wrong secret is refused, and the deploy waits.
      const bad = capture({ ...fleet, KRAITE_BACKUP_S3_SECRET_ACCESS_KEY: 'wrong' });
      expect(await main(['deploy:cooldown', '--timeout', '10', '--poll-ms', '50'], bad)).toBe(1);
      expect(bad.errors.join('\n')).toContain('the pre-deploy backup failed: backup store: PUT');
      expect(bad.errors.join('\n')).toContain('403 SignatureDoesNotMatch');
      expect(bad.errors.join('\n')).toContain('the cooldown stays on');
    } finally {
      await keys.cleanup();
    }
  }, 60_000);
});
