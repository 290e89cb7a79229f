import { describe, expect, it } from 'vitest';
import { markPriceWsUrl } from './start-mark-price.ts';

describe('markPriceWsUrl', () => {
  it('prefers the variable, then the stream of the configured exchange, then Binance', () => {
    expect(markPriceWsUrl({ KRAITE_MARK_PRICE_WS_URL: 'ws://10.0.0.5:9000/', KRAITE_EXCHANGE_URL: 'https://fapi.binance.com' })).toBe('ws://10.0.0.5:9000');
    expect(markPriceWsUrl({ KRAITE_EXCHANGE_URL: 'https://fapi.binance.com' })).toBe('wss://fstream.binance.com');
    expect(markPriceWsUrl({ KRAITE_EXCHANGE_URL: 'https://testnet.binancefuture.com' })).toBe('wss://fstream.binancefuture.com');
    // A `kraite sim`: its own host, so the fleet never mixes Binance's prices with the simulator's orders.
    expect(markPriceWsUrl({ KRAITE_EXCHANGE_URL: 'http://127.0.0.1:41234' })).toBe('ws://127.0.0.1:41234');
    expect(markPriceWsUrl({})).toBe('wss://fstream.binance.com');
  });
});
