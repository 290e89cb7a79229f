// Sample rows for tests and the embedded demo: a symbol shaped like Binance's exchange info and an
// account with placeholder ciphertext. Kept in one place so every suite seeds the same shapes.
import type { SymbolInfo, SymbolFilters } from '../exchange/exchange.port.ts';
import type { NewAccount } from './account.ts';

/** Exchange info for `symbol` with BTCUSDT-like filters; override any filter. */
export function sampleSymbolInfo(symbol = 'BTCUSDT', filters: Partial<SymbolFilters> = {}): SymbolInfo {
  return {
    symbol, status: 'TRADING', contractType: 'PERPETUAL', baseAsset: symbol.replace(/USDT$/, ''), quoteAsset: 'USDT', marginAsset: 'USDT',
    pricePrecision: 2, quantityPrecision: 3, orderTypes: ['LIMIT', 'MARKET'], timeInForce: ['GTC'],
    filters: {
      tickSize: '0.10', minPrice: '556.80', maxPrice: '4529764', stepSize: '0.001', minQty: '0.001', maxQty: '1000',
      marketStepSize: '0.001', marketMinQty: '0.001', marketMaxQty: '120', minNotional: '100',
      percentPrice: { multiplierUp: '1.0500', multiplierDown: '0.9500' }, ...filters,
    },
    raw: {},
  };
}

/** A new account named `name`; the ciphertext is a stand-in, not decryptable. */
export function sampleAccount(name = 'demo', over: Partial<NewAccount> = {}): NewAccount {
  return { name, apiKeyEnc: 'c2FtcGxlLWtleQ==', apiSecretEnc: 'c2FtcGxlLXNlY3JldA==', tradingEnabled: true, ...over };
}
