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

  it('trusts no proxy unless KRAITE_TRUSTED_PROXIES lists IP addresses, and names a bad entry', () => {
    expect(loadConfig({}).KRAITE_TRUSTED_PROXIES).toEqual([]);
    expect(loadConfig({ KRAITE_TRUSTED_PROXIES: '127.0.0.1, ::1' }).KRAITE_TRUSTED_PROXIES).toEqual(['127.0.0.1', '::1']);
    expect(() => loadConfig({ KRAITE_TRUSTED_PROXIES: '127.0.0.1,localhost' })).toThrow(/config KRAITE_TRUSTED_PROXIES: "localhost" is not an IP address/);
  });
});
