import { describe, expect, it } from 'vitest';
import { encodeParams, hmacSigner, totalParams } from './signing.ts';

describe('HMAC-SHA256 signing', () => {
  it('reproduces the documented signature for secret NhqPtmd… (Binance API docs worked example)', async () => {
    const sign = hmacSigner('NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j');
    const query = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
    expect(await sign(query)).toBe('c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71');
  });

  it('reproduces the USDⓈ-M general-info vector (query string or body)', async () => {
    const sign = hmacSigner('2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9');
    const params = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: 1, price: 9000, timeInForce: 'GTC', recvWindow: 5000, timestamp: 1591702613943 };
    const encoded = encodeParams(params);
    expect(encoded).toBe('symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943');
    expect(await sign(totalParams(encoded, ''))).toBe('3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9');
    expect(await sign(totalParams('', encoded))).toBe('3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9');
  });

  it('joins query string and body with no "&" (mixed example, including the doc\'s stray space)', async () => {
    const sign = hmacSigner('2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9');
    const query = 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC';
    expect(totalParams(query, 'quantity=1')).toBe('symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTCquantity=1');
    expect(await sign(totalParams(query, 'quantity=1&price=9000&recvWindow=5000&timestamp= 1591702613943')))
      .toBe('f9d0ae5e813ef6ccf15c2b5a434047a0181cb5a342b903b367ca6d27a66e36f2');
    expect(await sign(totalParams(query, 'quantity=1&price=9000&recvWindow=5000&timestamp=1591702613943')))
      .toBe('30baaf0fab549bbeda7f5ef201898b34122da25fd23c646cac2c529aebe670a4');
  });

  it('encodes in insertion order, skips undefined and URL-encodes values', () => {
    expect(encodeParams({ b: 'x y', a: undefined, c: true, d: '["1","2"]' })).toBe('b=x%20y&c=true&d=%5B%221%22%2C%222%22%5D');
  });
});
