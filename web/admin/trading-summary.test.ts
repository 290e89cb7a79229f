// The dashboard's trading figures: exposure and unrealised PnL at the mark from the break-even,
// realized net PnL of today's closes only, positions by state, newest balance per account.
import { describe, expect, it } from 'vitest';
import { MemoryStepStore } from '../../core/adapters/memory/memory-step-store.ts';
import { toAccount } from '../../core/trading/account.ts';
import { applyRowEffects } from '../../core/trading/apply-row-effects.ts';
import { insertPosition } from '../../core/trading/position-effects.ts';
import { getPositionByUuid } from '../../core/trading/reads.ts';
import { TRADING_UNIQUE_KEYS } from '../../core/trading/tables.ts';
import { seedAdminData } from '../../test/support/admin-seed.ts';
import { tradingSummary, unrealized, utcMidnight } from './trading-summary.ts';

const NOW = Date.UTC(2026, 11, 6, 10, 0, 0);

describe('trading summary', () => {
  it('values open positions at the mark and sums only today\'s closes', async () => {
    const store = new MemoryStepStore({ uniqueKeys: TRADING_UNIQUE_KEYS });
    const seed = await seedAdminData(store, NOW);
    const before = await tradingSummary(store, NOW);
    // No mark yet: the open position is counted, not valued.
    expect(before).toMatchObject({ open: 1, unpriced: 1, exposure: '0.00', unrealizedPnl: '0.00', realizedToday: '0.00', balances: [] });
    await store.transaction(async (tx) => {
      await tx.insertRow('exchange_symbols', { exchange: 'binance', symbol: 'BTCUSDT', mark_price: '65000', mark_price_at: NOW });
      const account = toAccount((await tx.findRows('accounts', { id: seed.accountId }))[0]!);
      for (const [symbol, closedAt, net] of [['ETHUSDT', NOW - 3_600_000, '-3.5'], ['BNBUSDT', utcMidnight(NOW) + 1, '10.25'], ['SOLUSDT', utcMidnight(NOW) - 1, '100']] as const) {
        const uuid = crypto.randomUUID();
        await applyRowEffects(tx, [insertPosition({ uuid, account, symbol, direction: 'SHORT' }, closedAt - 60_000)]);
        const p = (await getPositionByUuid(tx, uuid))!;
        await tx.updateRows('positions', { id: p.id }, { status: 'closed', is_open: null, net_pnl: net, pnl: net, closed_at: closedAt, updated_at: closedAt });
      }
      await tx.insertRow('account_balances', { account_id: seed.accountId, asset: 'USDT', balance: '990', available: '900', unrealized_pnl: '1', taken_at: NOW - 600_000 });
      await tx.insertRow('account_balances', { account_id: seed.accountId, asset: 'USDT', balance: '1000', available: '950', unrealized_pnl: '2', taken_at: NOW - 300_000 });
    });
    const s = await tradingSummary(store, NOW);
    // LONG 0.015 from a break-even of 64250.1 to 65000: +11.2485.
    expect(s).toMatchObject({ open: 1, unpriced: 0, exposure: '975.00', unrealizedPnl: '11.25', realizedToday: '6.75', closedToday: 2 });
    expect(s.byState).toEqual({ active: 1, closed: 2, cancelled: 0, failed: 0 });
    // The newest snapshot, and the day's equity (balance plus unrealised) oldest first for the chart.
    expect(s.balances).toEqual([{
      accountId: seed.accountId, name: 'demo-main', asset: 'USDT', balance: '1000', available: '950', unrealizedPnl: '2', takenAt: NOW - 300_000,
      equity: [[Math.floor((NOW - 600_000) / 1000), 991], [Math.floor((NOW - 300_000) / 1000), 1002]],
    }]);
  });

  it('signs unrealised PnL by direction', () => {
    const p = { quantity: '2', breakEvenPrice: '100', openingPrice: '99' };
    expect(unrealized({ ...p, direction: 'LONG' }, '101')!.toString()).toBe('2');
    expect(unrealized({ ...p, direction: 'SHORT' }, '101')!.toString()).toBe('-2');
    expect(unrealized({ ...p, direction: 'SHORT' }, null)).toBeNull();
  });
});
