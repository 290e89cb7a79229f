// Paper trading on live prices, the feed itself: a simulator follows a second `kraite sim` acting as
// the market, over that market's REST and WebSocket faces on loopback — its listing and filters,
// its klines as the paper simulator's past, its marks and funding rates, orders filling when the followed price
// crosses them, a dropped stream reconnecting, and a stopped market reported as silent.
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../core/ports/clock.ts';
import { dec } from '../core/sim/decimal.ts';
import { SimExchange } from '../core/sim/sim-exchange.ts';
import { DEFAULT_SYMBOLS, symbolSpec } from '../core/sim/symbols.ts';
import { jsonLogger } from '../core/ports/logger.ts';
import { openLiveMarket, type LiveMarket } from '../edge/paper/live-market.ts';
import { startSimulator, type RunningSimulator } from '../edge/sim/index.ts';
import { until } from './support/wait-until.ts';

const spec = (symbol: string) => DEFAULT_SYMBOLS.find((s) => s.symbol === symbol)!;

describe('paper trading on live prices: the simulator follows a market', () => {
  let market: RunningSimulator | null = null;
  let live: LiveMarket | null = null;
  afterEach(async () => {
    await live?.stop();
    await market?.close();
    live = null;
    market = null;
  });

  it('lists the market\'s contracts with its filters, takes its klines as its past, follows its marks and fills orders when they cross', async () => {
    // The market lists ETH with its own tick and minimum notional, SOL and BTC, with eight days of history.
    const marketSymbols = [symbolSpec({ ...spec('ETHUSDT'), tickSize: '0.05', minPrice: '39.85', minNotional: '25' }), spec('SOLUSDT'), spec('BTCUSDT')];
    market = await startSimulator({ seed: 11, symbols: marketSymbols, history: { days: 8 }, markPriceIntervalMs: 50, tickMs: 'manual' });
    market.engine.setPrices('ETHUSDT', { mark: '3201.2345', last: '3201.20' });
    market.engine.setFundingRate('SOLUSDT', '0.0002');
    const lines: string[] = [];
    const silences: number[] = [];
    live = await openLiveMarket({
      restUrl: market.restUrl, wsBase: market.wsUrl, wanted: DEFAULT_SYMBOLS, clock: systemClock, staleMs: 1_000,
      logger: jsonLogger({ write: (l) => lines.push(l) }),
    });
    expect(live.symbols.map((s) => s.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
    const paper = new SimExchange({ clock: systemClock, symbols: live.symbols, accounts: [{ apiKey: 'p', secret: 's', balance: '10000' }] });
    const follower = live.follow(paper, (ms) => silences.push(ms));

    // The market's filters and its mark (exact; the last price on the market's tick grid).
    const info = paper.call('GET', '/fapi/v1/exchangeInfo') as { symbols: { symbol: string; filters: Record<string, string>[] }[] };
    const eth = info.symbols.find((s) => s.symbol === 'ETHUSDT')!;
    expect(eth.filters).toContainEqual(expect.objectContaining({ filterType: 'PRICE_FILTER', tickSize: '0.05' }));
    expect(eth.filters).toContainEqual(expect.objectContaining({ filterType: 'MIN_NOTIONAL', notional: '25' }));
    expect(paper.market('ETHUSDT').mark.toFixed()).toBe('3201.2345');
    expect(paper.market('ETHUSDT').last.toFixed()).toBe('3201.25');
    expect(paper.market('SOLUSDT').fundingRate.toFixed()).toBe('0.0002');

    // Its past: the closed hourly candles of the last day have the market's highs, lows and closes
    // (the first of a response aside: the simulator opens it at its first point inside, not the close before).
    const hour = 3_600_000;
    const q = { symbol: 'SOLUSDT', interval: '1h', limit: '24', endTime: String(Math.floor(Date.now() / hour) * hour - 1) };
    const hlc = (rows: unknown) => (rows as string[][]).slice(1).map((k) => [k[0], k[2], k[3], k[4]]);
    const theirs = hlc(market.engine.call('GET', '/fapi/v1/klines', q));
    expect(new Set(theirs.map((k) => k[1])).size).toBeGreaterThan(1);
    expect(hlc(paper.call('GET', '/fapi/v1/klines', q))).toEqual(theirs);

    // Its marks and funding rates, as they come.
    market.engine.setFundingRate('ETHUSDT', '-0.0003');
    market.engine.setPrices('ETHUSDT', { mark: '3250.5678', last: '3250.55' });
    await until('the paper mark follows', () => paper.market('ETHUSDT').mark.equals(dec('3250.5678')));
    expect(paper.market('ETHUSDT').last.toFixed()).toBe('3250.55');
    expect(paper.market('ETHUSDT').fundingRate.toFixed()).toBe('-0.0003');
    expect(follower.markAt('ETHUSDT')).toBeGreaterThanOrEqual(live.feed!.stats.lastDataAt - 1_000);

    // A resting buy fills when the followed price crosses it, at its own price (maker).
    paper.call('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '3240', quantity: '0.010', newClientOrderId: 'rung-1' }, 'p');
    const order = () => paper.call('GET', '/fapi/v1/order', { symbol: 'ETHUSDT', origClientOrderId: 'rung-1' }, 'p') as { status: string; avgPrice: string };
    expect(order().status).toBe('NEW');
    market.engine.setMark('ETHUSDT', '3238.10');
    await until('the followed price fills the rung', () => order().status === 'FILLED');
    expect(order().avgPrice).toMatch(/^3240(\.0+)?$/);
    expect(silences).toEqual([]);

    // A dropped stream comes back by itself, and the paper mark follows again.
    market.engine.faults.dropConnections('market');
    await until('a reconnect', () => live!.feed!.stats.reconnects >= 1, 5_000);
    market.engine.setPrices('ETHUSDT', { mark: '3260.0001', last: '3260.00' });
    await until('the paper mark follows after the reconnect', () => paper.market('ETHUSDT').mark.equals(dec('3260.0001')), 10_000);

    // A stopped market: the feed says so once, and the last followed price stays.
    await market.close();
    market = null;
    const stoppedAt = Date.now();
    await until('the silence is reported', () => silences.length === 1, 10_000);
    expect(silences[0]).toBeGreaterThan(1_000);
    expect(follower.markAt('ETHUSDT')).toBeLessThanOrEqual(stoppedAt);
    expect(live.feed!.checkSilence()).toBe(true);
    expect(silences).toHaveLength(1);
    expect(paper.market('ETHUSDT').mark.toFixed()).toBe('3260.0001');
    expect(lines.some((l) => l.includes('paper market: no mark price from the followed market'))).toBe(true);
  }, 40_000);

  it('names KRAITE_PAPER_MARKET_URL when the market cannot be read', async () => {
    const closed = await startSimulator({ tickMs: 'manual' });
    const restUrl = closed.restUrl;
    await closed.close();
    await expect(openLiveMarket({ restUrl, wsBase: 'ws://127.0.0.1:1', wanted: DEFAULT_SYMBOLS, clock: systemClock, staleMs: 1_000, logger: jsonLogger({ write: () => undefined }) }))
      .rejects.toThrow(new RegExp(`KRAITE_PAPER_MARKET_URL: could not follow ${restUrl}`));
    market = await startSimulator({ tickMs: 'manual', symbols: [symbolSpec({ symbol: 'ZZZUSDT', tickSize: '0.01', stepSize: '1', price: '1.00' })] });
    await expect(openLiveMarket({ restUrl: market.restUrl, wsBase: market.wsUrl, wanted: DEFAULT_SYMBOLS, clock: systemClock, staleMs: 1_000, logger: jsonLogger({ write: () => undefined }) }))
      .rejects.toThrow(/KRAITE_PAPER_MARKET_URL: could not follow .* it lists none of BTCUSDT, ETHUSDT/);
  });
});
