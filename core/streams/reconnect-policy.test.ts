import { describe, expect, it } from 'vitest';
import { ConnectPacer, memoryCeilingBytes, reconnectDelayMs } from './reconnect-policy.ts';

describe('reconnect policy', () => {
  it('backs off 2^n seconds, capped at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((n) => reconnectDelayMs(n))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(reconnectDelayMs(3, 5000)).toBe(5000);
  });

  it('spaces handshakes: a burst of requests gets consecutive slots, a later one starts when asked', () => {
    const pacer = new ConnectPacer(100);
    expect([0, 0, 0, 50].map((t) => pacer.reserve(t))).toEqual([0, 100, 200, 300]);
    expect(pacer.reserve(10_000)).toBe(10_000);
    expect(pacer.reserve(10_000)).toBe(10_100);
  });

  it('grows the memory ceiling with the account count and keeps 200 accounts within 250 MB', () => {
    const mb = (n: number) => memoryCeilingBytes(n) / 1048576;
    expect(mb(0)).toBe(160);
    expect(mb(200)).toBe(240);
    expect(mb(1000)).toBeGreaterThan(mb(200));
    expect(memoryCeilingBytes(10, { baseMb: 50, perAccountMb: 1 })).toBe(60 * 1048576);
  });
});
