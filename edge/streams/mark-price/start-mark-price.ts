// Builds the mark-price daemon from the process configuration: the stream base, a MySQL pool for
// the bulk writer, and the one-minute shock detector riding on the same frames. Used by
// `kraite stream:mark-price` (its own supervised process) and by `kraite run --all`, which runs
// every role of the fleet in one process and so needs mark prices too (token selection refuses
// symbols whose mark price is stale).
import { DEFAULT_BASKET, shockInsert } from '../../../core/market/index.ts';
import { shockWatch } from '../../../core/market/regime/shock-watch.ts';
import { systemClock } from '../../../core/ports/clock.ts';
import type { Logger } from '../../../core/ports/logger.ts';
import { createMySqlPool } from '../../adapters/mysql/mysql-pool.ts';
import type { KraiteConfig } from '../../runtime/config.ts';
import { MarkPriceDaemon, MARK_PRICE_STREAM } from './mark-price-daemon.ts';
import { BulkMarkPriceWriter } from './mysql-mark-price-writer.ts';

/** Binance REST hosts and their market stream bases. */
const STREAM_BASES: Record<string, string> = {
  'fapi.binance.com': 'wss://fstream.binance.com',
  'testnet.binancefuture.com': 'wss://fstream.binancefuture.com',
};

/**
 * The stream base: KRAITE_MARK_PRICE_WS_URL, else the Binance host matching KRAITE_EXCHANGE_URL, else
 * the same host over ws(s) (a `kraite sim`), else Binance's — so a fleet against a simulator never
 * writes Binance's prices beside the simulator's orders.
 */
export function markPriceWsUrl(config: Pick<KraiteConfig, 'KRAITE_MARK_PRICE_WS_URL' | 'KRAITE_EXCHANGE_URL'>): string {
  if (config.KRAITE_MARK_PRICE_WS_URL) return config.KRAITE_MARK_PRICE_WS_URL.replace(/\/+$/, '');
  if (!config.KRAITE_EXCHANGE_URL) return STREAM_BASES['fapi.binance.com']!;
  return streamBaseFor(config.KRAITE_EXCHANGE_URL);
}

/** The market-stream base of a REST base: Binance's stream host for Binance's REST hosts, else the same host over ws(s). */
export function streamBaseFor(restUrl: string): string {
  const rest = new URL(restUrl);
  return STREAM_BASES[rest.hostname] ?? `${rest.protocol === 'https:' ? 'wss:' : 'ws:'}//${rest.host}`;
}

/** A started daemon, its stream URL, and how to stop it with its pool. */
export interface RunningMarkPrice {
  url: string;
  daemon: MarkPriceDaemon;
  /** One trivial query on the daemon's pool (readiness). */
  ping(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the daemon writing to DATABASE_URL; `onSilent` is told when the stream stayed silent too long. */
export function startMarkPriceDaemon(o: { databaseUrl: string; base: string; logger: Logger; onSilent(reason: string): void }): RunningMarkPrice {
  const pool = createMySqlPool(o.databaseUrl, { connectionLimit: 2 });
  // The one-minute downside shock detector of the market regime rides on the same stream.
  const onPrices = shockWatch(DEFAULT_BASKET, (shock) => {
    const { table, row } = shockInsert(shock);
    pool.query(`INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (?)`, [Object.values(row)])
      .then(() => o.logger.warn('market shock: new opens held', { dropPercent: shock.dropPercent, symbols: shock.symbols }))
      .catch((error: unknown) => o.logger.error('market shock not recorded', { error }));
  });
  const url = `${o.base.replace(/\/+$/, '')}${MARK_PRICE_STREAM}`;
  const daemon = new MarkPriceDaemon({ url, writer: new BulkMarkPriceWriter(pool), clock: systemClock, logger: o.logger, exit: o.onSilent, onPrices });
  daemon.start();
  return {
    url, daemon,
    async ping() {
      await pool.query('SELECT 1');
    },
    async stop() {
      await daemon.stop();
      await pool.end();
    },
  };
}
