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
});
