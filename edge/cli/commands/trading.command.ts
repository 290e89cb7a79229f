// Operator commands over the trading tables (shared store: DATABASE_URL): list positions and
// orders, set a symbol's direction / eligibility / block. Accounts have their own file.
import { FRESHNESS_DEFAULTS } from '../../../core/market/eligibility.ts';
import { newestCandleOpenTime } from '../../../core/market/klines-store.ts';
import { applyRowEffects } from '../../../core/trading/apply-row-effects.ts';
import { setSymbolFlags } from '../../../core/trading/exchange-symbol.ts';
import type { PositionRow } from '../../../core/trading/position.ts';
import { listOrders, listPositions } from '../../../core/trading/reads.ts';
import { DIRECTIONS, ORDER_STATUSES, POSITION_STATUSES, type Direction, type LocalOrderStatus, type PositionStatus } from '../../../core/trading/statuses.ts';
import { ConditionFailedError } from '../../../core/steps/step-store.port.ts';
import { cliStore } from '../cli-store.ts';
import { defineCommand, intOption, UsageError } from '../command.ts';

const oneOf = <T extends string>(name: string, allowed: readonly T[], value: unknown): T | undefined => {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${String(value)}"`);
  return value as T;
};

/** A settled position's books as the exchange kept them; the bare PnL of rows settled before the ledger existed. */
export function ledgerText(p: PositionRow): string {
  if (p.netPnl === null) return p.pnl !== null ? ` pnl ${p.pnl}` : '';
  return ` close ${p.closingPrice ?? '-'} gross ${p.grossPnl} fees ${p.fees} funding ${p.funding} net ${p.netPnl}${p.exitReason ? ` (${p.exitReason})` : ''}`;
}

/** `kraite positions`. */
export const positionsCommand = defineCommand({
  name: 'positions',
  group: 'trade',
  env: ['DATABASE_URL (without it: the running npm start)'],
  example: 'positions --status active --json',
  flags: { status: 'open (every not-closed status) or one status: new, opening, active, closing, closed…', account: 'only this account id', limit: 'at most this many (default 50)', json: 'print JSON instead of lines' },
  summary: 'list positions, newest first (--status open|STATUS, --account ID, --json)',
  usage: 'positions [--status open|new|opening|active|…] [--account ID] [--limit N] [--json]',
  options: { status: { type: 'string' }, account: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }, io) {
    const status = oneOf<PositionStatus | 'open'>('status', ['open', ...POSITION_STATUSES], values.status);
    const accountId = values.account === undefined ? undefined : intOption(values, 'account', 0, 1);
    const store = await cliStore(io);
    try {
      const rows = await listPositions(store, { status, accountId, limit: intOption(values, 'limit', 50, 1) });
      if (values.json) io.out(JSON.stringify(rows, null, 2));
      else for (const p of rows) io.out(`#${p.id} ${p.status.padEnd(10)} ${p.direction.padEnd(5)} ${p.symbol.padEnd(12)} account ${p.accountId} entry ${p.openingPrice ?? '-'} qty ${p.quantity ?? '-'}${ledgerText(p)}`);
      return 0;
    } finally {
      await store.close();
    }
  },
});

/** `kraite orders`. */
export const ordersCommand = defineCommand({
  name: 'orders',
  group: 'trade',
  env: ['DATABASE_URL (without it: the running npm start)'],
  example: 'orders --position 12',
  flags: { position: 'only this position id', account: 'only this account id', status: 'only this status: pending, working, filled, cancelled…', limit: 'at most this many (default 100)', json: 'print JSON instead of lines' },
  summary: 'list orders with intent vs exchange echo (--position ID, --status, --json)',
  usage: 'orders [--position ID] [--account ID] [--status pending|working|…] [--limit N] [--json]',
  options: { position: { type: 'string' }, account: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }, io) {
    const status = oneOf<LocalOrderStatus>('status', ORDER_STATUSES, values.status);
    const store = await cliStore(io);
    try {
      const rows = await listOrders(store, {
        status, positionId: values.position === undefined ? undefined : intOption(values, 'position', 0, 1),
        accountId: values.account === undefined ? undefined : intOption(values, 'account', 0, 1), limit: intOption(values, 'limit', 100, 1),
      });
      if (values.json) io.out(JSON.stringify(rows, null, 2));
      else for (const o of rows) io.out(`${o.clientOrderId.padEnd(24)} ${o.status.padEnd(16)} ${o.type.padEnd(12)} ${o.side.padEnd(4)} intent ${o.quantity ?? '-'} @ ${o.price ?? '-'}  exchange ${o.exchangeQuantity ?? '-'} @ ${o.exchangePrice ?? '-'} filled ${o.executedQty ?? '0'}`);
      return 0;
    } finally {
      await store.close();
    }
  },
});

/** `kraite symbols:set`. */
export const symbolsSetCommand = defineCommand({
  name: 'symbols:set',
  group: 'trade',
  env: ['DATABASE_URL (without it: the running npm start)'],
  example: 'symbols:set SOLUSDT --direction LONG --enable',
  flags: { direction: 'the direction the symbol may trade: LONG, SHORT or none', enable: 'switch the symbol on (the operator switch)', disable: 'switch the symbol off', unblock: 'clear the automatic block' },
  summary: 'set a symbol\'s direction, the operator switch and the automatic block (slot assignment\'s candidates)',
  usage: 'symbols:set SYMBOL [--direction LONG|SHORT|none] [--enable | --disable] [--unblock]',
  options: { direction: { type: 'string' }, enable: { type: 'boolean' }, disable: { type: 'boolean' }, unblock: { type: 'boolean' } },
  positionals: true,
  async run({ values, positionals }, io) {
    const [symbol, ...extra] = positionals;
    if (!symbol || extra.length > 0 || !/^[A-Z0-9]{2,32}$/.test(symbol)) throw new UsageError('symbols:set needs one symbol, e.g. ETHUSDT');
    if (values.enable && values.disable) throw new UsageError('symbols:set takes --enable or --disable, not both');
    const direction = values.direction === 'none' ? null : oneOf<Direction>('direction', DIRECTIONS, values.direction);
    if (direction === undefined && !values.enable && !values.disable && !values.unblock) throw new UsageError('symbols:set: nothing to change (--direction, --enable, --disable, --unblock)');
    const store = await cliStore(io);
    try {
      const flags = { direction, isEligible: values.enable ? true : values.disable ? false : undefined, block: values.unblock ? null : undefined };
      await store.transaction((tx) => applyRowEffects(tx, [setSymbolFlags(symbol, flags, Date.now())]));
      io.out(`${symbol}: updated`);
      if (flags.isEligible) {
        // Token selection wants fresh 1h klines; a newly approved symbol has none until the hourly :01 fetch.
        const newest = await newestCandleOpenTime(store, symbol, '1h');
        if (newest === null || Date.now() - newest > FRESHNESS_DEFAULTS.klineMaxAgeMs) io.out(`${symbol}: no fresh 1h klines yet: kraite klines:fetch --symbol ${symbol} (else the hourly fetch at :01 brings them)`);
      }
      return 0;
    } catch (error) {
      if (error instanceof ConditionFailedError) {
        io.err(`unknown symbol ${symbol} (refresh exchange symbols first: kraite symbols:refresh)`);
        return 1;
      }
      throw error;
    } finally {
      await store.close();
    }
  },
});
