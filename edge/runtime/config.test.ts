import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('defaults to the embedded mode on localhost', () => {
    const c = loadConfig({});
    expect([c.DATABASE_URL, c.REDIS_URL, c.KRAITE_HOST, c.KRAITE_PORT]).toEqual([undefined, undefined, '127.0.0.1', 8080]);
  });

  it('names the bad field', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x' })).toThrow(/config DATABASE_URL: must be a URL starting with mysql:\/\//);
    expect(() => loadConfig({ KRAITE_PORT: 'eighty' })).toThrow(/config KRAITE_PORT/);
    expect(() => loadConfig({ REDIS_URL: 'nope' })).toThrow(/config REDIS_URL/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', REDIS_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('reads the recovery windows, defaulting to what a 5 s heartbeat allows', () => {
    const d = loadConfig({});
    expect([d.KRAITE_STEP_HEARTBEAT_MS, d.KRAITE_STALE_RUNNING_MS, d.KRAITE_RECOVER_EVERY_MS, d.KRAITE_UNPROTECTED_ALERT_MS]).toEqual([5_000, 15_000, 1_000, 20_000]);
    const c = loadConfig({ KRAITE_STEP_HEARTBEAT_MS: '1000', KRAITE_STALE_RUNNING_MS: '3000', KRAITE_RECOVER_EVERY_MS: '500' });
    expect([c.KRAITE_STEP_HEARTBEAT_MS, c.KRAITE_STALE_RUNNING_MS, c.KRAITE_RECOVER_EVERY_MS]).toEqual([1_000, 3_000, 500]);
    expect(() => loadConfig({ KRAITE_STALE_RUNNING_MS: '6000' })).toThrow(/config KRAITE_STALE_RUNNING_MS: must be at least twice KRAITE_STEP_HEARTBEAT_MS \(5000 ms\)/);
    expect(() => loadConfig({ KRAITE_RECOVER_EVERY_MS: 'soon' })).toThrow(/config KRAITE_RECOVER_EVERY_MS/);
  });

  it('defaults bring a dead worker\'s step back early enough that its rerun places the stop inside the unprotected-alert bound', () => {
    // Worst case after a SIGKILL: the step's last beat is at the kill; it counts as dead after
    // KRAITE_STALE_RUNNING_MS, the next recovery pass comes up to KRAITE_RECOVER_EVERY_MS (plus one
    // daemon tick) later, and a live worker then needs its adopt → rungs → stop steps (~2 s loaded).
    const d = loadConfig({});
    const TICK_MS = 1_000;
    const RERUN_MS = 2_000;
    expect(d.KRAITE_STALE_RUNNING_MS + d.KRAITE_RECOVER_EVERY_MS + TICK_MS + RERUN_MS).toBeLessThanOrEqual(d.KRAITE_UNPROTECTED_ALERT_MS);
  });

  it('trusts no proxy unless KRAITE_TRUSTED_PROXIES lists IP addresses, and names a bad entry', () => {
    expect(loadConfig({}).KRAITE_TRUSTED_PROXIES).toEqual([]);
    expect(loadConfig({ KRAITE_TRUSTED_PROXIES: '127.0.0.1, ::1' }).KRAITE_TRUSTED_PROXIES).toEqual(['127.0.0.1', '::1']);
    expect(() => loadConfig({ KRAITE_TRUSTED_PROXIES: '127.0.0.1,localhost' })).toThrow(/config KRAITE_TRUSTED_PROXIES: "localhost" is not an IP address/);
  });

  it('follows a live market for paper trading only on the embedded simulator, and names a bad KRAITE_PAPER_MARKET_URL', () => {
    expect(loadConfig({}).KRAITE_PAPER_MARKET_URL).toBeUndefined();
    const c = loadConfig({ KRAITE_PAPER_MARKET_URL: 'https://fapi.binance.com', KRAITE_PAPER_MARKET_WS_URL: 'wss://fstream.binance.com' });
    expect([c.KRAITE_PAPER_MARKET_URL, c.KRAITE_PAPER_MARKET_WS_URL]).toEqual(['https://fapi.binance.com', 'wss://fstream.binance.com']);
    expect(() => loadConfig({ KRAITE_PAPER_MARKET_URL: 'fapi.binance.com' })).toThrow(/config KRAITE_PAPER_MARKET_URL: must be a URL starting with https:\/\/ or http:\/\//);
    expect(() => loadConfig({ KRAITE_PAPER_MARKET_URL: 'https://fapi.binance.com', KRAITE_PAPER_MARKET_WS_URL: 'https://fstream.binance.com' })).toThrow(/config KRAITE_PAPER_MARKET_WS_URL: must be a URL starting with ws:\/\/ or wss:\/\//);
    expect(() => loadConfig({ KRAITE_PAPER_MARKET_URL: 'https://fapi.binance.com', KRAITE_EXCHANGE_URL: 'https://fapi.binance.com' })).toThrow(/config KRAITE_PAPER_MARKET_URL: paper trading on live prices runs on the embedded simulator: unset KRAITE_EXCHANGE_URL/);
    expect(() => loadConfig({ KRAITE_PAPER_MARKET_WS_URL: 'wss://fstream.binance.com' })).toThrow(/config KRAITE_PAPER_MARKET_WS_URL: is the stream base of KRAITE_PAPER_MARKET_URL/);
  });
});
