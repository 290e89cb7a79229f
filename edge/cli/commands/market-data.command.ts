// `kraite symbols:refresh` and `kraite klines:fetch`: the market data the cron table brings hourly,
// now. They run the same steps as the fleet, in this process (runStepsNow), so they work before the
// fleet is started and while tyche is down, and print what they fetched.
import { hostname } from 'node:os';
import { fetchKlinesSteps, refreshSymbolsSteps } from '../../../core/market/index.ts';
import { KLINE_INTERVALS, type KlineInterval } from '../../../core/market/timeframes.ts';
import { processLogger } from '../../runtime/process-logger.ts';
import type { BlockStepSpec } from '../../../core/steps/effects.ts';
import { createRegistry } from '../../../handlers/index.ts';
import { openStore } from '../../runtime/backends.ts';
import { loadConfig } from '../../runtime/config.ts';
import { runStepsNow } from '../../runtime/run-steps-now.ts';
import { tradingRuntime } from '../../runtime/trading-runtime.ts';
import { defineCommand, intOption, UsageError, type CliIo } from '../command.ts';

/** Runs `steps` here against the configured exchange; prints the outcome and returns the exit code. */
async function runNow(name: string, steps: BlockStepSpec[], io: CliIo, timeoutMs: number, summary: (responses: unknown[]) => Promise<string>): Promise<number> {
  const config = loadConfig(io.env);
  const store = await openStore(io.env);
  const logger = processLogger({ ...config, LOG_LEVEL: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL }, { command: name }, io.err, process.stderr);
  const trading = await tradingRuntime({ config, store, embedded: false, logger });
  try {
    const started = performance.now();
    const r = await runStepsNow({ store, registry: createRegistry(trading.handlers), steps, logger, worker: `cli@${hostname()}:${process.pid}`, timeoutMs });
    const source = config.KRAITE_EXCHANGE_URL ?? 'the embedded simulator (no KRAITE_EXCHANGE_URL)';
    const tree = Object.entries(r.states).map(([state, n]) => `${n} ${state}`).join(', ');
    if (!r.finished) {
      io.err(`${name}: step ${r.root.id} is still ${r.root.state} after ${Math.round(timeoutMs / 1000)} s (${tree}); the fleet's dispatcher finishes it (kraite steps)`);
      return 1;
    }
    if (r.root.state === 'failed') {
      io.err(`${name}: step ${r.root.id} failed: ${r.root.errorMessage ?? 'see kraite steps'} (${tree})`);
      return 1;
    }
    const responses = (await store.listSteps(r.root.set, { treeUuid: r.root.treeUuid, limit: 10_000 })).map((s) => s.response);
    io.out(`${name}: ${await summary(responses)} from ${source} (step ${r.root.id}, ${tree}, ${Math.round(performance.now() - started)} ms)`);
    return 0;
  } finally {
    await trading.stop();
    await store.close();
  }
}

/** `kraite symbols:refresh`. */
export const symbolsRefreshCommand = defineCommand({
  name: 'symbols:refresh',
  group: 'operate',
  env: ['DATABASE_URL', 'KRAITE_EXCHANGE_URL'],
  example: 'symbols:refresh --brackets',
  flags: { brackets: 'fetch leverage brackets too (a signed read through the first account)', 'timeout-s': 'give up after this many seconds' },
  summary: 'refresh exchange symbols and their filters now (the hourly :05 job); new symbols start switched off (kraite symbols:set)',
  usage: 'symbols:refresh [--brackets] [--timeout-s N]   (--brackets: leverage brackets too, a signed read through the first account)',
  options: { brackets: { type: 'boolean' }, 'timeout-s': { type: 'string' } },
  async run({ values }, io) {
    return runNow('symbols:refresh', refreshSymbolsSteps(Boolean(values.brackets)), io, intOption(values, 'timeout-s', 120, 1) * 1000, async (responses) => {
      const [r] = responses as ({ symbols?: number } | null)[];
      return `${r?.symbols ?? 0} symbols${values.brackets ? ' with leverage brackets' : ''}`;
    });
  },
});

/** `kraite klines:fetch`. */
export const klinesFetchCommand = defineCommand({
  name: 'klines:fetch',
  group: 'operate',
  env: ['DATABASE_URL', 'KRAITE_EXCHANGE_URL'],
  example: 'klines:fetch --interval 1h --symbol BTCUSDT',
  flags: { interval: 'only this interval: 15m, 1h, 4h or 1d', symbol: 'only this symbol', 'timeout-s': 'give up after this many seconds' },
  summary: 'fetch the missing closed klines now (15m basket; 1h, 4h, 1d of the basket and every approved symbol), or one symbol\'s',
  usage: 'klines:fetch [--interval 15m|1h|4h|1d] [--symbol SYMBOL] [--timeout-s N]',
  options: { interval: { type: 'string' }, symbol: { type: 'string' }, 'timeout-s': { type: 'string' } },
  async run({ values }, io) {
    const interval = values.interval as string | undefined;
    if (interval !== undefined && !(KLINE_INTERVALS as readonly string[]).includes(interval)) throw new UsageError(`--interval must be one of ${KLINE_INTERVALS.join(', ')}, got "${interval}"`);
    const symbol = values.symbol as string | undefined;
    if (symbol !== undefined && !/^[A-Z0-9]{2,32}$/.test(symbol)) throw new UsageError(`--symbol must be an exchange symbol such as ETHUSDT, got "${symbol}"`);
    const steps = fetchKlinesSteps({ intervals: interval ? [interval as KlineInterval] : undefined, symbol });
    return runNow('klines:fetch', steps, io, intOption(values, 'timeout-s', 300, 1) * 1000, async (responses) => {
      const candles = responses.reduce<number>((sum, r) => sum + ((r as { candles?: number } | null)?.candles ?? 0), 0);
      return `${candles} new candles (${interval ?? KLINE_INTERVALS.join(', ')}${symbol ? ` of ${symbol}` : ''})`;
    });
  },
});

