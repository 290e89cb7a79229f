import { describe, expect, it } from 'vitest';
import { MemoryStepStore } from '../../../core/adapters/memory/memory-step-store.ts';
import { insertAccount } from '../../../core/trading/account.ts';
import { applyRowEffects } from '../../../core/trading/apply-row-effects.ts';
import { decryptSecret, encryptCredentials, importCredentialsKey } from '../../../core/trading/credentials.ts';
import { sampleAccount } from '../../../core/trading/fixtures.ts';
import { TABLES, TRADING_UNIQUE_KEYS } from '../../../core/trading/tables.ts';
import { rekeyAccounts } from './credentials-rekey.command.ts';

const key = (fill: number) => importCredentialsKey(btoa(String.fromCharCode(...new Uint8Array(32).fill(fill))));

async function storeWith(accounts: [string, CryptoKey][]) {
  const store = new MemoryStepStore({ uniqueKeys: TRADING_UNIQUE_KEYS });
  for (const [name, k] of accounts) {
    const enc = await encryptCredentials(k, `key-of-${name}`, `secret-of-${name}`);
    await store.transaction((tx) => applyRowEffects(tx, [insertAccount(sampleAccount(name, enc), 0)]));
  }
  return store;
}

describe('credentials:rekey', () => {
  it('re-encrypts every account to the new key, and a re-run leaves them alone', async () => {
    const [oldKey, newKey] = [await key(1), await key(2)];
    const store = await storeWith([['a', oldKey], ['b', oldKey]]);
    expect(await rekeyAccounts(store, oldKey, newKey, 5)).toEqual({ rekeyed: ['a', 'b'], alreadyNew: [] });
    const [row] = await store.findRows(TABLES.accounts, { name: 'b' });
    expect(await decryptSecret(newKey, String(row!.api_secret_enc), 'api_secret')).toBe('secret-of-b');
    expect(row!.updated_at).toBe(5);
    expect(await rekeyAccounts(store, oldKey, newKey, 6)).toEqual({ rekeyed: [], alreadyNew: ['a', 'b'] });
  });

  it('changes nothing when a row opens with neither key', async () => {
    const [oldKey, newKey, stray] = [await key(1), await key(2), await key(3)];
    const store = await storeWith([['a', oldKey], ['z', stray]]);
    const before = await store.findRows(TABLES.accounts, {}, { orderBy: 'id' });
    await expect(rekeyAccounts(store, oldKey, newKey, 5)).rejects.toThrow(/account z: neither/);
    expect(await store.findRows(TABLES.accounts, {}, { orderBy: 'id' })).toEqual(before);
  });
});
