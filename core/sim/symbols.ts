// Contract specifications the simulator trades: Binance-like filters (tick, step, min notional,
// percent price) and display precisions that deliberately differ from tick/step where Binance's do.

/** One perpetual contract as the simulator lists it; decimals are strings as on the wire. */
export interface SimSymbolSpec {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  pricePrecision: number;
  quantityPrecision: number;
  tickSize: string;
  minPrice: string;
  maxPrice: string;
  stepSize: string;
  minQty: string;
  maxQty: string;
  marketStepSize: string;
  marketMinQty: string;
  marketMaxQty: string;
  minNotional: string;
  multiplierUp: string;
  multiplierDown: string;
  maxLeverage: number;
  /** Starting mark and last price. */
  price: string;
  /** Largest relative move of one random-walk step (e.g. "0.001" = 0.1 %). */
  volatility: string;
}

/** The fields a caller must give; everything else gets Binance-like defaults. */
export type SimSymbolInput = Pick<SimSymbolSpec, 'symbol' | 'tickSize' | 'stepSize' | 'price'> & Partial<SimSymbolSpec>;

function places(step: string): number {
  const trimmed = step.includes('.') ? step.replace(/0+$/, '') : step;
  const dot = trimmed.indexOf('.');
  return dot < 0 ? 0 : trimmed.length - dot - 1;
}

/** Completes a partial spec with defaults derived from its tick and step sizes. */
export function symbolSpec(input: SimSymbolInput): SimSymbolSpec {
  const base = input.symbol.replace(/USDT$/, '');
  return {
    baseAsset: base,
    quoteAsset: 'USDT',
    pricePrecision: places(input.tickSize),
    quantityPrecision: places(input.stepSize),
    minPrice: input.tickSize,
    maxPrice: '1000000',
    minQty: input.stepSize,
    maxQty: '10000000',
    marketStepSize: input.stepSize,
    marketMinQty: input.stepSize,
    marketMaxQty: '1000000',
    minNotional: '5',
    multiplierUp: '1.1500',
    multiplierDown: '0.8500',
    maxLeverage: 50,
    volatility: '0.001',
    ...input,
  };
}

/** The default listing: the majors plus a few lower-priced contracts with coarse steps. */
export const DEFAULT_SYMBOLS: readonly SimSymbolSpec[] = [
  symbolSpec({ symbol: 'BTCUSDT', pricePrecision: 2, quantityPrecision: 3, tickSize: '0.10', minPrice: '261.10', maxPrice: '809484', stepSize: '0.001', maxQty: '1000', marketMaxQty: '120', minNotional: '100', multiplierUp: '1.0500', multiplierDown: '0.9500', maxLeverage: 125, price: '95000.00', volatility: '0.0008' }),
  symbolSpec({ symbol: 'ETHUSDT', pricePrecision: 2, quantityPrecision: 3, tickSize: '0.01', minPrice: '39.86', maxPrice: '306177', stepSize: '0.001', maxQty: '10000', marketMaxQty: '2000', minNotional: '20', multiplierUp: '1.0500', multiplierDown: '0.9500', maxLeverage: 125, price: '3500.00', volatility: '0.001' }),
  symbolSpec({ symbol: 'SOLUSDT', pricePrecision: 4, quantityPrecision: 0, tickSize: '0.0100', minPrice: '0.4200', maxPrice: '6857', stepSize: '1', maxQty: '1000000', marketMaxQty: '5000', maxLeverage: 100, price: '180.0000' }),
  symbolSpec({ symbol: 'BNBUSDT', pricePrecision: 3, quantityPrecision: 2, tickSize: '0.010', minPrice: '6.600', maxPrice: '100000', stepSize: '0.01', maxQty: '100000', marketMaxQty: '2000', maxLeverage: 75, price: '650.000' }),
  symbolSpec({ symbol: 'XRPUSDT', pricePrecision: 4, quantityPrecision: 1, tickSize: '0.0001', minPrice: '0.0143', maxPrice: '100000', stepSize: '0.1', maxQty: '10000000', marketMaxQty: '2000000', maxLeverage: 75, price: '2.5000' }),
  symbolSpec({ symbol: 'DOGEUSDT', pricePrecision: 6, quantityPrecision: 0, tickSize: '0.000010', minPrice: '0.002440', maxPrice: '30', stepSize: '1', maxQty: '50000000', marketMaxQty: '30000000', maxLeverage: 75, price: '0.350000' }),
  symbolSpec({ symbol: 'ADAUSDT', pricePrecision: 5, quantityPrecision: 0, tickSize: '0.00010', minPrice: '0.01740', maxPrice: '20', stepSize: '1', maxQty: '10000000', marketMaxQty: '3000000', maxLeverage: 75, price: '0.90000' }),
  symbolSpec({ symbol: 'LINKUSDT', pricePrecision: 3, quantityPrecision: 2, tickSize: '0.001', minPrice: '0.460', maxPrice: '2000', stepSize: '0.01', maxQty: '500000', marketMaxQty: '10000', maxLeverage: 75, price: '22.000' }),
  symbolSpec({ symbol: 'AVAXUSDT', pricePrecision: 4, quantityPrecision: 0, tickSize: '0.0010', minPrice: '0.3500', maxPrice: '10000', stepSize: '1', maxQty: '1000000', marketMaxQty: '50000', maxLeverage: 50, price: '35.0000' }),
  symbolSpec({ symbol: 'LTCUSDT', pricePrecision: 2, quantityPrecision: 3, tickSize: '0.01', minPrice: '3.61', maxPrice: '100000', stepSize: '0.001', maxQty: '100000', marketMaxQty: '5000', maxLeverage: 75, price: '100.00' }),
  symbolSpec({ symbol: '1000PEPEUSDT', baseAsset: '1000PEPE', pricePrecision: 7, quantityPrecision: 0, tickSize: '0.0000001', minPrice: '0.0000001', maxPrice: '200', stepSize: '1', maxQty: '800000000', marketMaxQty: '120000000', maxLeverage: 50, price: '0.0120000', volatility: '0.002' }),
];
