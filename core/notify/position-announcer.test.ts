import { describe, expect, it } from 'vitest';
import { MemoryStepStore } from '../adapters/memory/memory-step-store.ts';
import { silentLogger } from '../ports/logger.ts';
import type { Row } from '../steps/effects.ts';
import type { Severity } from './notifier.port.ts';
import { PositionAnnouncer } from './position-announcer.ts';

const base = { account_id: 1, exchange: 'binance', margin: '100', leverage: 5, opening_price: null, quantity: null, pnl: null, closing_price: null, status_reason: null };

describe('PositionAnnouncer', () => {
  it('announces an open once it is active and a close with its PnL and exit reason (exit_reason when the ledger has it)', async () => {
    const store = new MemoryStepStore();
    const write = (patch: Row, where?: Row) => store.transaction(async (tx) => void (where ? await tx.updateRows('positions', where, patch) : await tx.insertRow('positions', patch)));
    const sent: [string, string, Severity][] = [];
    const announcer = new PositionAnnouncer({ rows: store, notifier: { deliver: async (s, m, sev) => (sent.push([s, m, sev]), 'sent') }, logger: silentLogger });
    await write({ ...base, id: 1, uuid: 'a', symbol: 'BTCUSDT', direction: 'LONG', status: 'active', is_open: 1, opening_price: '50000', quantity: '0.01' });
    await announcer.poll();
    expect(sent).toEqual([]); // what was open at start is not news

    await write({ ...base, id: 2, uuid: 'b', symbol: 'ETHUSDT', direction: 'SHORT', status: 'opening', is_open: 1 });
    await announcer.poll();
    expect(sent).toEqual([]);
    await write({ status: 'active', opening_price: '3000', quantity: '0.5' }, { id: 2 });
    await announcer.poll();
    expect(sent).toEqual([['position 2 opened', 'SHORT ETHUSDT: opened at 3000, quantity 0.5, margin 100 ×5', 'info']]);

    await write({ status: 'closed', is_open: null, pnl: '12.5', closing_price: '2950', status_reason: 'take-profit filled' }, { id: 2 });
    await write({ status: 'closed', is_open: null, pnl: '-3.1', closing_price: '49000', status_reason: 'closed', exit_reason: 'stop-loss' }, { id: 1 });
    await announcer.poll();
    expect(sent.slice(1)).toEqual([
      ['position 1 closed', 'LONG BTCUSDT: closed at 49000; PnL -3.1; exit: stop-loss', 'info'],
      ['position 2 closed', 'SHORT ETHUSDT: closed at 2950; PnL 12.5; exit: take-profit filled', 'info'],
    ]);
  });
});
