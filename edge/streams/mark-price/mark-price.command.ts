// `kraite stream:mark-price`: the mark-price daemon as its own supervised process (systemd unit
// kraite-mark-price-stream). Exits 1 after 5 silent minutes so the supervisor starts a fresh one.
// The "mark price stale" alert is raised by the fleet health check, so a dead daemon is caught too;
// with Redis it also publishes its own fleet heartbeat.
import { createMySqlPool } from '../../adapters/mysql/mysql-pool.ts';
import { jsonLogger } from '../../../core/ports/logger.ts';
import { systemClock } from '../../../core/ports/clock.ts';
import { ValidationError } from '../../../core/errors.ts';
import { defineCommand } from '../../cli/command.ts';
import { waitForStop } from '../../cli/wait-for-stop.ts';
import { loadConfig } from '../../runtime/config.ts';
import { DEFAULT_BASKET, shockInsert } from '../../../core/market/index.ts';
import { shockWatch } from '../../../core/market/regime/shock-watch.ts';
import { MarkPriceDaemon, MARK_PRICE_STREAM } from './mark-price-daemon.ts';
import { BulkMarkPriceWriter } from './mysql-mark-price-writer.ts';
import { startDaemonHeartbeat } from '../../heartbeat/daemon-heartbeat.ts';

/** Runs the mark-price daemon until stopped (exit 0) or silent for 5 minutes (exit 1). */
export const markPriceCommand = defineCommand({
  name: 'stream:mark-price',
  summary: 'the mark-price daemon: !markPrice@arr@1s into exchange_symbols in bulk; exits 1 after 5 silent minutes',
  usage: 'stream:mark-price [--url WS_BASE_URL]',
  options: { url: { type: 'string' } },
  async run({ values }, io) {
    const config = loadConfig(io.env);
    if (!config.DATABASE_URL) throw new ValidationError('stream:mark-price writes exchange_symbols: set DATABASE_URL', 'NO_DATABASE');
    const base = String(values.url ?? config.KRAITE_MARK_PRICE_WS_URL).replace(/\/+$/, '');
    const logger = jsonLogger({ level: config.LOG_LEVEL, base: { daemon: 'mark-price' }, write: io.out });
    const pool = createMySqlPool(config.DATABASE_URL, { connectionLimit: 2 });
    let onSilent!: (reason: string) => void;
    const silent = new Promise<string>((r) => (onSilent = r));
    // The one-minute downside shock detector of the market regime rides on the same stream.
    const onPrices = shockWatch(DEFAULT_BASKET, (shock) => {
      const { table, row } = shockInsert(shock);
      pool.query(`INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (?)`, [Object.values(row)])
        .then(() => logger.warn('market shock: new opens held', { dropPercent: shock.dropPercent, symbols: shock.symbols }))
        .catch((error: unknown) => logger.error('market shock not recorded', { error: String(error) }));
    });
    const daemon = new MarkPriceDaemon({ url: `${base}${MARK_PRICE_STREAM}`, writer: new BulkMarkPriceWriter(pool), clock: systemClock, logger, exit: onSilent, onPrices });
    daemon.start();
    // With Redis, the fleet panel and the heartbeat check see this process beside athena's main one.
    const heartbeat = await startDaemonHeartbeat({ config, env: io.env, daemon: 'mark-price-stream', logger });
    io.out(`kraite: mark-price daemon on ${base}${MARK_PRICE_STREAM}`);
    const why = await waitForStop(io.signal, silent.then((reason) => `silent: ${reason}`));
    await heartbeat.stop();
    await daemon.stop();
    await pool.end();
    io.out(`kraite: mark-price daemon stopped (${why})`);
    return why.startsWith('silent') ? 1 : 0;
  },
});
