import { describe, expect, it } from 'vitest';
import { ExchangeError } from '../exchange/exchange-errors.ts';
import { inProcessExchange } from './in-process-exchange.ts';
import { simHarness } from './sim-harness.ts';

describe('in-process fake exchange', () => {
  it('runs the real client against the simulator without sockets', async () => {
    const h = simHarness();
    h.exchange.setMark('ETHUSDT', '3000');
    const exchange = inProcessExchange(h.exchange, { apiKey: h.apiKey, secret: 'test-secret' }, h.clock);
    const order = await exchange.placeOrder({ symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.5', clientOrderId: 'k-7-entry' });
    expect(order.clientOrderId).toBe('k-7-entry');
    const [position] = (await exchange.getPositions('ETHUSDT')).filter((p) => p.symbol === 'ETHUSDT');
    expect([position!.positionAmt, position!.entryPrice]).toEqual(['0.5', '3000']);
    expect(Number(position!.breakEvenPrice)).toBeGreaterThan(3000);
    expect(h.frames('ORDER_TRADE_UPDATE').length).toBeGreaterThan(0);
    expect(await exchange.findOrder({ symbol: 'ETHUSDT', clientOrderId: 'nope' })).toBeNull();
  });

  it('passes Binance errors and injected faults through as typed errors', async () => {
    const h = simHarness();
    const exchange = inProcessExchange(h.exchange, { apiKey: h.apiKey, secret: 'test-secret' }, h.clock);
    h.exchange.faults.failNext({ code: -2019, msg: 'Margin is insufficient.', status: 400 });
    const error = await exchange.placeOrder({ symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.5', clientOrderId: 'k-8-entry' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeError);
    expect((error as ExchangeError).vendorCode).toBe(-2019);
  });
});
