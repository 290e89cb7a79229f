import { describe, expect, it } from 'vitest';
import { CLIENT_ORDER_ID_PATTERN, clientOrderId, parseClientOrderId } from './client-order-id.ts';

describe('deterministic client order ids', () => {
  it('builds readable ids for numeric positions', () => {
    expect(clientOrderId({ positionId: 12345, role: 'entry' })).toBe('k-12345-en');
    expect(clientOrderId({ positionId: 12345, role: 'rung', rung: 3 })).toBe('k-12345-dca3');
    expect(clientOrderId({ positionId: 12345, role: 'stop' })).toBe('k-12345-sl');
    expect(clientOrderId({ positionId: 12345, role: 'profit', replacement: 2 })).toBe('k-12345-tp-r2');
  });

  it('is the same for the same inputs and differs per role, rung and replacement', () => {
    const ids = new Set<string>();
    for (const role of ['entry', 'stop', 'profit', 'close'] as const) ids.add(clientOrderId({ positionId: 7, role }));
    for (let rung = 1; rung <= 10; rung++) ids.add(clientOrderId({ positionId: 7, role: 'rung', rung }));
    ids.add(clientOrderId({ positionId: 7, role: 'stop', replacement: 1 }));
    expect(ids.size).toBe(15);
    expect(clientOrderId({ positionId: 7, role: 'rung', rung: 4 })).toBe(clientOrderId({ positionId: '7', role: 'rung', rung: 4 }));
  });

  it('hashes ids that do not fit (uuids) into a stable short token, within 36 chars and the charset', () => {
    const uuid = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
    const a = clientOrderId({ positionId: uuid, role: 'rung', rung: 12, replacement: 99 });
    expect(a).toBe(clientOrderId({ positionId: uuid, role: 'rung', rung: 12, replacement: 99 }));
    expect(a).not.toBe(clientOrderId({ positionId: '3f2504e0-4f89-41d3-9a0c-0305e82c3302', role: 'rung', rung: 12, replacement: 99 }));
    expect(a.length).toBeLessThanOrEqual(36);
    expect(a).toMatch(CLIENT_ORDER_ID_PATTERN);
    expect(a).toMatch(/^k-h[0-9a-z]+-dca12-r99$/);
  });

  it('stays valid for the longest inputs', () => {
    const id = clientOrderId({ positionId: '9'.repeat(40), role: 'rung', rung: 999, replacement: 999, prefix: 'kraI' });
    expect(id.length).toBeLessThanOrEqual(36);
    expect(id).toMatch(CLIENT_ORDER_ID_PATTERN);
    const fits = clientOrderId({ positionId: '9'.repeat(20), role: 'stop' });
    expect(fits).toBe(`k-${'9'.repeat(20)}-sl`);
  });

  it('rejects malformed parts', () => {
    expect(() => clientOrderId({ positionId: 1, role: 'rung' })).toThrow(RangeError);
    expect(() => clientOrderId({ positionId: 1, role: 'stop', rung: 1 })).toThrow(RangeError);
    expect(() => clientOrderId({ positionId: 1, role: 'stop', replacement: -1 })).toThrow(RangeError);
    expect(() => clientOrderId({ positionId: '', role: 'stop' })).toThrow(RangeError);
    expect(() => clientOrderId({ positionId: 1, role: 'stop', prefix: 'k-x' })).toThrow(RangeError);
  });

  it('parses our ids back and ignores foreign ones', () => {
    expect(parseClientOrderId('k-12345-dca3-r2')).toEqual({ prefix: 'k', positionToken: '12345', role: 'rung', rung: 3, replacement: 2 });
    expect(parseClientOrderId('k-12345-sl')).toEqual({ prefix: 'k', positionToken: '12345', role: 'stop', replacement: 0 });
    expect(parseClientOrderId('autoclose-1700000000000')).toBeNull();
    expect(parseClientOrderId('web_abc')).toBeNull();
    expect(parseClientOrderId('k-1-sl3')).toBeNull();
    expect(parseClientOrderId('x-1-sl')).toBeNull();
  });
});
