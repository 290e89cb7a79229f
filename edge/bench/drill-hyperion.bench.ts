// Drill `drill-hyperion` ("hyperion lost"): paper accounts hold laddered, protected positions on
// the loopback HTTP simulator; a backup goes to a loopback S3; as many positions again open after
// it; then, several times over, the database is dropped and `restore --from latest` brings it back
// and reconciles every account. Printed: restore start → reconciled fleet (median), beside the
// database half alone (fetch, decrypt, load, migrate) measured in the same run as its floor, and the
// backup itself. Every run checks that exactly the post-backup positions were adopted.
import { createPool } from 'mysql2/promise';
import { dec } from '../../core/exchange/precision.ts';
import type { ExchangePort, Side } from '../../core/exchange/exchange.port.ts';
import { systemClock } from '../../core/ports/clock.ts';
import { BinanceUsdmClient } from '../../core/exchange/binance/binance-client.ts';
import { DEFAULT_SYMBOLS } from '../../core/sim/symbols.ts';
import { importCredentialsKey } from '../../core/trading/credentials.ts';
import { credentialDirectory } from '../../core/trading/exchange-directory.ts';
import { seedPaperTrading } from '../../core/trading/paper-seed.ts';
import { openMySqlStepStore } from '../adapters/mysql/open-mysql-store.ts';
import { egressFetch } from '../adapters/undici-fetch.ts';
import { startSimulator } from '../sim/index.ts';
import { loadBackupConfig } from '../backup/backup-config.ts';
import { startFakeS3 } from '../backup/loopback-s3.ts';
import { reconcileRestoredFleet } from '../backup/reconcile-restore.ts';
import { restoreDatabase } from '../backup/restore-database.ts';
import { restoreFleet } from '../backup/restore-fleet.ts';
import { s3Store } from '../backup/s3-store.ts';
import { takeBackup } from '../backup/take-backup.ts';
import { intOption } from '../cli/command.ts';
import { parseArgs } from 'node:util';
import { BENCH_MYSQL, scratchDatabase } from './bench-servers.ts';
import type { Benchmark } from './index.ts';
import { fmt, median, table } from './stats.ts';

const SYMBOLS = ['ETHUSDT', 'BNBUSDT', 'XRPUSDT', 'DOGEUSDT', 'ADAUSDT', 'LINKUSDT', 'AVAXUSDT', 'LTCUSDT'];
const randomKey = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64');

// Places one position's orders under our client ids: market entry, 4 rungs, take-profit, stop.
async function openOnExchange(ex: ExchangePort, positionId: number, symbol: string, long: boolean): Promise<void> {
  const spec = DEFAULT_SYMBOLS.find((s) => s.symbol === symbol)!;
  const price = dec(spec.price);
  const qty = dec(200).div(price).toDecimalPlaces(spec.quantityPrecision).toString();
  const px = (factor: number) => price.times(factor).toDecimalPlaces(spec.pricePrecision).toString();
  const [open, close]: [Side, Side] = long ? ['BUY', 'SELL'] : ['SELL', 'BUY'];
  const away = (pct: number) => (long ? 1 - pct : 1 + pct);
  const id = (tail: string) => `k-${positionId}-${tail}`;
  await ex.placeOrder({ symbol, side: open, type: 'MARKET', quantity: qty, clientOrderId: id('en') });
  for (let rung = 1; rung <= 4; rung++) {
    await ex.placeOrder({ symbol, side: open, type: 'LIMIT', timeInForce: 'GTC', quantity: qty, price: px(away(0.02 * rung)), clientOrderId: id(`dca${rung}`) });
  }
  await ex.placeOrder({ symbol, side: close, type: 'LIMIT', timeInForce: 'GTC', quantity: qty, price: px(away(-0.02)), reduceOnly: true, clientOrderId: id('tp') });
  await ex.placeAlgoOrder({ symbol, side: close, type: 'STOP_MARKET', triggerPrice: px(away(0.15)), closePosition: true, clientAlgoId: id('sl') });
}

/** The drill. */
export const drillHyperionBenchmark: Benchmark = {
  name: 'drill-hyperion',
  summary: 'hyperion lost: drop the database, restore the latest encrypted backup from S3 and reconcile every account; time to a reconciled fleet',
  async run(io, args) {
    const { values } = parseArgs({ args, options: { runs: { type: 'string' }, accounts: { type: 'string' } }, strict: true });
    const runs = intOption(values, 'runs', 5, 1);
    const accounts = intOption(values, 'accounts', 4, 1);
    const db = await scratchDatabase();
    const s3 = await startFakeS3({ accessKeyId: 'drill', secretAccessKey: 'drill-secret' });
    const config = loadBackupConfig({
      DATABASE_URL: db.url, KRAITE_BACKUP_KEY: randomKey(), KRAITE_BACKUP_S3_ENDPOINT: s3.endpoint, KRAITE_BACKUP_S3_BUCKET: 'drill',
      KRAITE_BACKUP_S3_ACCESS_KEY_ID: 'drill', KRAITE_BACKUP_S3_SECRET_ACCESS_KEY: 'drill-secret',
    });
    const store = s3Store(config);
    // The exchange is the loopback HTTP simulator: the reconciliation's reads are real signed round trips.
    const sim = await startSimulator({
      accounts: Array.from({ length: accounts }, (_, i) => ({ apiKey: `drill-${i}`, secret: `s-${i}`, balance: '10000000' })),
      rateLimits: { weightPerMinute: 1e9, ordersPer10s: 1e9, ordersPerMinute: 1e9 },
    });
    sim.engine.freeze();
    const http = egressFetch();
    const client = (apiKey: string, secret: string) => new BinanceUsdmClient({ baseUrl: sim.restUrl, apiKey, secret, clock: systemClock, fetch: http.fetch });
    const key = await importCredentialsKey(randomKey());
    const exchanges = credentialDirectory(key, (c) => client(c.apiKey, c.apiSecret));
    const half = SYMBOLS.length / 2;
    try {
      // The fleet before the backup: half the symbols of every account, adopted into the books.
      const steps = await openMySqlStepStore(db.url);
      let positionId = 0;
      const later: [ExchangePort, number, string, boolean][] = [];
      try {
        for (let a = 0; a < accounts; a++) {
          const ex = client(`drill-${a}`, `s-${a}`);
          await seedPaperTrading(steps, ex, { key, now: Date.now(), directions: {}, account: { name: `drill-${a}`, apiKey: `drill-${a}`, secret: `s-${a}`, tradingEnabled: true } });
          for (const [i, symbol] of SYMBOLS.entries()) {
            const position: [ExchangePort, number, string, boolean] = [ex, ++positionId, symbol, i % 2 === 0];
            if (i < half) await openOnExchange(...position);
            else later.push(position);
          }
        }
        await reconcileRestoredFleet({ store: steps, exchanges, now: Date.now });
      } finally {
        await steps.close();
      }
      const backup = await takeBackup({ config, store, reason: 'manual' });
      for (const position of later) await openOnExchange(...position);

      const dbOnly: number[] = [];
      const full: number[] = [];
      const root = createPool({ uri: BENCH_MYSQL, connectionLimit: 1 });
      const name = new URL(db.url).pathname.slice(1);
      try {
        for (let run = 0; run < runs; run++) {
          await root.query(`DROP DATABASE ${name}`);
          let t0 = performance.now();
          await restoreDatabase({ config, store, from: 'latest', force: false });
          dbOnly.push(performance.now() - t0);
          await root.query(`DROP DATABASE ${name}`);
          t0 = performance.now();
          const result = await restoreFleet({ config, store, from: 'latest', force: false, exchanges });
          full.push(performance.now() - t0);
          const adopted = result.reconciliation.accounts.reduce((n, a) => n + a.adoptedPositions.length, 0);
          const unadopted = result.reconciliation.accounts.reduce((n, a) => n + a.unadopted.length + (a.error ? 1 : 0), 0);
          if (adopted !== later.length || unadopted !== 0) throw new Error(`drill run ${run + 1}: adopted ${adopted} of ${later.length}, ${unadopted} not adopted`);
        }
      } finally {
        await root.end();
      }
      io.out(`drill-hyperion: ${accounts} accounts, ${positionId - later.length} positions in the backup, ${later.length} opened after it (7 orders each); ${runs} runs, medians`);
      for (const line of table([
        { name: 'restore start → reconciled fleet', value: `${fmt(median(full), 0)} ms`, note: `every run adopted all ${later.length} post-backup positions` },
        { name: 'database half alone (fetch, decrypt, load, migrate)', value: `${fmt(median(dbOnly), 0)} ms`, note: 'floor, same run' },
        { name: 'reconciliation (difference)', value: `${fmt(median(full) - median(dbOnly), 0)} ms` },
        { name: 'backup (dump, gzip, encrypt, upload)', value: `${fmt(backup.tookMs, 0)} ms`, note: `${fmt(backup.bytes / 1024, 1)} KiB encrypted` },
      ])) io.out(line);
      return 0;
    } finally {
      await s3.close();
      await http.close();
      await sim.close();
      await db.drop().catch(() => undefined);
    }
  },
};
