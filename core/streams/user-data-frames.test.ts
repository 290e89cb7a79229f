import { describe, expect, it } from 'vitest';
import { dedupeKeyFor } from './user-data-dedupe.ts';
import { classifyFrame, POSITION_ZERO } from './user-data-frames.ts';

const fill = (o: Record<string, unknown> = {}, E = 1_700_000_000_000) => JSON.stringify({
  e: 'ORDER_TRADE_UPDATE', E, T: E,
  o: { s: 'ETHUSDT', c: 'k-1-rung-1', S: 'BUY', o: 'LIMIT', q: '0.030', p: '3000', x: 'TRADE', X: 'PARTIALLY_FILLED', i: 42, l: '0.010', z: '0.010', L: '3000', t: 7, ...o },
});

describe('classifyFrame', () => {
  it('reads an order update with its execution type, symbol and client id', () => {
    const c = classifyFrame(fill());
    expect(c).toMatchObject({ kind: 'order', eventType: 'ORDER_TRADE_UPDATE', executionType: 'TRADE', symbol: 'ETHUSDT', clientOrderId: 'k-1-rung-1', eventTime: 1_700_000_000_000 });
    expect(c.reason).toBeUndefined();
  });

  it('prefixes algo statuses with ALGO_', () => {
    const c = classifyFrame(JSON.stringify({ e: 'ALGO_UPDATE', E: 5, T: 5, o: { caid: 'k-1-stop', aid: 9, s: 'BTCUSDT', X: 'FINISHED' } }));
    expect(c).toMatchObject({ kind: 'algo', executionType: 'ALGO_FINISHED', clientOrderId: 'k-1-stop', symbol: 'BTCUSDT' });
  });

  it('flags an account update with a zero-amount leg as POSITION_ZERO, and not otherwise', () => {
    const zero = classifyFrame(JSON.stringify({ e: 'ACCOUNT_UPDATE', E: 5, T: 5, a: { m: 'ORDER', B: [], P: [{ s: 'ETHUSDT', pa: '0', ps: 'BOTH' }, { s: 'BTCUSDT', pa: '0.5', ps: 'BOTH' }] } }));
    expect(zero).toMatchObject({ kind: 'account', executionType: POSITION_ZERO, symbol: 'ETHUSDT' });
    const open = classifyFrame(JSON.stringify({ e: 'ACCOUNT_UPDATE', E: 5, T: 5, a: { m: 'ORDER', B: [], P: [{ s: 'ETHUSDT', pa: '-0.010', ps: 'BOTH' }] } }));
    expect(open.executionType).toBeNull();
    const funding = classifyFrame(JSON.stringify({ e: 'ACCOUNT_UPDATE', E: 5, T: 5, a: { m: 'FUNDING_FEE', B: [{ a: 'USDT', wb: '1' }] } }));
    expect(funding).toMatchObject({ kind: 'account', executionType: null });
  });

  it('unwraps the combined-stream envelope', () => {
    const c = classifyFrame(JSON.stringify({ stream: 'key', data: JSON.parse(fill()) }));
    expect(c.kind).toBe('order');
  });

  it('recognises listenKeyExpired and audit-only frames', () => {
    expect(classifyFrame('{"e":"listenKeyExpired","E":1,"listenKey":"abc"}').kind).toBe('listen-key-expired');
    expect(classifyFrame('{"e":"TRADE_LITE","E":1,"s":"ETHUSDT"}')).toMatchObject({ kind: 'audit-only', symbol: 'ETHUSDT', executionType: null });
  });

  it('names the problem of a malformed or unknown frame and still gives something to audit', () => {
    expect(classifyFrame('not json{')).toMatchObject({ kind: 'malformed', eventType: 'malformed', reason: 'frame is not JSON', payload: { text: 'not json{' } });
    expect(classifyFrame('[1,2]')).toMatchObject({ kind: 'malformed', reason: 'frame is not a JSON object' });
    expect(classifyFrame('{"E":1}').reason).toMatch(/no valid event type: e:/);
    const wrongQty = classifyFrame(fill({ z: 12 }));
    expect(wrongQty).toMatchObject({ kind: 'malformed', eventType: 'ORDER_TRADE_UPDATE', executionType: null });
    expect(wrongQty.reason).toMatch(/ORDER_TRADE_UPDATE frame is invalid at o\.z/);
    expect(classifyFrame('{"e":"SOMETHING_NEW","E":1}')).toMatchObject({ kind: 'unknown', eventType: 'SOMETHING_NEW', reason: 'unknown event type "SOMETHING_NEW"' });
  });
});

describe('dedupeKeyFor', () => {
  it('gives a duplicated frame the same key', () => {
    expect(dedupeKeyFor(3, classifyFrame(fill()))).toBe(dedupeKeyFor(3, classifyFrame(fill())));
    expect(dedupeKeyFor(3, classifyFrame(fill()))).toBe('ud:3:o:ETHUSDT:42:TRADE:1700000000000:7:0.010');
  });

  it('keeps two partial fills of one order in the same millisecond apart', () => {
    const first = dedupeKeyFor(3, classifyFrame(fill({ t: 7, l: '0.010', z: '0.010' })));
    const second = dedupeKeyFor(3, classifyFrame(fill({ t: 8, l: '0.010', z: '0.020' })));
    expect(first).not.toBe(second);
  });

  it('keeps accounts, symbols and execution types apart', () => {
    const base = dedupeKeyFor(3, classifyFrame(fill()));
    expect(dedupeKeyFor(4, classifyFrame(fill()))).not.toBe(base);
    expect(dedupeKeyFor(3, classifyFrame(fill({ s: 'BTCUSDT' })))).not.toBe(base);
    expect(dedupeKeyFor(3, classifyFrame(fill({ x: 'CANCELED', X: 'CANCELED' })))).not.toBe(base);
  });

  it('has no key for frames that are not enqueued, and stays within 191 characters', () => {
    expect(dedupeKeyFor(3, classifyFrame('{"e":"TRADE_LITE","E":1}'))).toBeNull();
    const legs = Array.from({ length: 30 }, (_, i) => ({ s: `SYMBOL${i}USDT`, pa: '0', ps: 'BOTH' }));
    const key = dedupeKeyFor(3, classifyFrame(JSON.stringify({ e: 'ACCOUNT_UPDATE', E: 5, T: 5, a: { m: 'ORDER', B: [], P: legs } })))!;
    expect(key.length).toBe(191);
    const other = dedupeKeyFor(3, classifyFrame(JSON.stringify({ e: 'ACCOUNT_UPDATE', E: 5, T: 5, a: { m: 'ORDER', B: [], P: legs.slice(1) } })))!;
    expect(other).not.toBe(key);
  });
});

describe('parseAllowlist', () => {
  it('reads the default, "none" (shadow mode) and explicit lists, and refuses typos by name', async () => {
    const { parseAllowlist } = await import('./user-data-allowlist.ts');
    const { DEFAULT_ALLOWLIST } = await import('./user-data-frames.ts');
    expect(parseAllowlist(undefined)).toEqual(DEFAULT_ALLOWLIST);
    expect(parseAllowlist('default')).toEqual(DEFAULT_ALLOWLIST);
    expect(parseAllowlist('none')).toEqual([]);
    expect(parseAllowlist(' trade, ALGO_FINISHED ,TRADE')).toEqual(['TRADE', 'ALGO_FINISHED']);
    expect(() => parseAllowlist('TRADE,FILLED')).toThrow(/KRAITE_USER_DATA_ALLOWLIST: unknown execution type\(s\) FILLED; known: NEW, TRADE/);
  });
});
