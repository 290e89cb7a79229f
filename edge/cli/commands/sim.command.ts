// `kraite sim`: runs the Binance-compatible exchange simulator until SIGINT/SIGTERM, printing its
// REST and WebSocket base URLs — the paper-trading venue and the target of integration runs.
import type { SimAccountOptions } from '../../../core/sim/accounts.ts';
import { DECIMAL_PARAM } from '../../../core/sim/decimal.ts';
import { DEFAULT_SYMBOLS } from '../../../core/sim/symbols.ts';
import { startSimulator } from '../../sim/index.ts';
import { defineCommand, intOption, UsageError } from '../command.ts';
import { waitForStop } from '../wait-for-stop.ts';

/** Parses one `--account KEY:SECRET[:BALANCE]` value. */
export function parseAccount(raw: string): SimAccountOptions {
  const parts = raw.split(':');
  const [apiKey, secret, balance] = parts;
  if (parts.length < 2 || parts.length > 3 || !apiKey || !secret) throw new UsageError(`--account must be KEY:SECRET[:BALANCE], got "${raw}"`);
  if (balance !== undefined && !DECIMAL_PARAM.test(balance)) throw new UsageError(`--account balance must be a plain decimal number of USDT, got "${balance}" in "${raw}"`);
  return { apiKey, secret, balance };
}

/** Serves the simulator until stopped. */
export const simCommand = defineCommand({
  name: 'sim',
  group: 'develop',
  env: [],
  example: 'sim --port 9000 --account key:secret:10000',
  flags: { port: 'listen on this port (default: any free one)', host: 'listen on this address (default 127.0.0.1)', seed: 'the price walk\'s seed: the same seed gives the same prices', account: 'an account KEY:SECRET[:BALANCE in USDT] (repeat for several)', 'tick-ms': 'milliseconds between price ticks (default 1000)', symbols: 'the symbols to list, comma-separated', 'history-days': 'days of klines before the start (default 8)' },
  summary: 'run the Binance USDⓈ-M exchange simulator (REST + WebSocket) until SIGINT/SIGTERM',
  usage: 'sim [--port P] [--host H] [--seed S] [--account KEY:SECRET[:BALANCE]]... [--tick-ms MS] [--symbols BTCUSDT,ETHUSDT] [--history-days N]',
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    seed: { type: 'string' },
    account: { type: 'string', multiple: true },
    'tick-ms': { type: 'string' },
    symbols: { type: 'string' },
    'history-days': { type: 'string' },
  },
  async run({ values }, io) {
    const port = intOption(values, 'port', 0);
    if (port > 65535) throw new UsageError(`--port must be between 0 and 65535, got "${String(values.port)}"`);
    const seed = intOption(values, 'seed', 1);
    const tickMs = intOption(values, 'tick-ms', 1000);
    // Like Binance, klines reach back: token selection ranks on a week of hourly returns (0 = flat before the start).
    const historyDays = intOption(values, 'history-days', 8);
    const raw = (values.account as string[] | undefined) ?? [];
    const accounts = raw.map(parseAccount);
    const keys = new Set<string>();
    for (const a of accounts) {
      if (keys.has(a.apiKey)) throw new UsageError(`--account ${a.apiKey} is given twice`);
      keys.add(a.apiKey);
    }
    if (accounts.length === 0) accounts.push({ apiKey: 'sim-key', secret: 'sim-secret', balance: '10000' });
    let symbols = DEFAULT_SYMBOLS;
    if (values.symbols !== undefined) {
      const wanted = String(values.symbols).split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
      const unknown = wanted.filter((w) => !DEFAULT_SYMBOLS.some((s) => s.symbol === w));
      if (wanted.length === 0 || unknown.length > 0) {
        throw new UsageError(`--symbols has unknown symbol(s) ${unknown.join(', ') || '(none given)'}; known: ${DEFAULT_SYMBOLS.map((s) => s.symbol).join(', ')}`);
      }
      symbols = DEFAULT_SYMBOLS.filter((s) => wanted.includes(s.symbol));
    }
    const host = (values.host as string | undefined) ?? '127.0.0.1';
    const sim = await startSimulator({ port, host, seed, accounts, symbols, tickMs, history: historyDays > 0 ? { days: historyDays } : undefined });
    io.out(`kraite sim: Binance USDⓈ-M simulator, seed ${seed}, ${symbols.length} symbols, prices ${tickMs > 0 ? `walk every ${tickMs} ms` : 'frozen (manual)'}, ${historyDays > 0 ? `${historyDays} days of history` : 'no history'}`);
    io.out(`  REST:      ${sim.restUrl}`);
    io.out(`  WebSocket: ${sim.wsUrl}`);
    for (const a of accounts) io.out(`  account:   ${a.apiKey} (${a.balance ?? '10000'} USDT)${raw.length === 0 ? `  secret ${a.secret}` : ''}`);
    const why = await waitForStop(io.signal);
    io.out(`kraite sim: ${why}: stopping`);
    await sim.close();
    return 0;
  },
});
