import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ApiCredentials, CredentialsError, decryptCredentials, decryptSecret, encryptCredentials, encryptSecret, importCredentialsKey, masked,
} from './credentials.ts';

const keyOf = (byte: number) => btoa(String.fromCharCode(...new Uint8Array(32).fill(byte)));
const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';

describe('credentials at rest', () => {
  it('round-trips a key and secret, with a fresh iv every time', async () => {
    const key = await importCredentialsKey(keyOf(7));
    const stored = await encryptCredentials(key, API_KEY, SECRET);
    expect(stored.apiKeyEnc).not.toContain(API_KEY.slice(0, 8));
    const creds = await decryptCredentials(key, stored);
    expect([creds.apiKey, creds.apiSecret]).toEqual([API_KEY, SECRET]);
    expect(await encryptSecret(key, API_KEY, 'api_key')).not.toBe(stored.apiKeyEnc);
    // iv (12) | ciphertext (64) | tag (16)
    expect(atob(stored.apiKeyEnc)).toHaveLength(12 + API_KEY.length + 16);
    expect(await decryptSecret(key, await encryptSecret(key, 'ключ ✓', 'api_key'), 'api_key')).toBe('ключ ✓');
  });

  it('detects any changed byte: iv, ciphertext or tag', async () => {
    const key = await importCredentialsKey(keyOf(7));
    const stored = await encryptSecret(key, SECRET, 'api_secret');
    const bytes = atob(stored);
    for (const at of [0, 20, bytes.length - 1]) {
      const flipped = bytes.slice(0, at) + String.fromCharCode(bytes.charCodeAt(at) ^ 1) + bytes.slice(at + 1);
      await expect(decryptSecret(key, btoa(flipped), 'api_secret')).rejects.toThrow(CredentialsError);
    }
    await expect(decryptSecret(key, btoa(bytes.slice(0, -1)), 'api_secret')).rejects.toThrow(/cannot decrypt/);
    await expect(decryptSecret(key, 'not base64!', 'api_secret')).rejects.toThrow(/not AES-GCM ciphertext/);
  });

  it('refuses the wrong key, and a key ciphertext presented as the secret', async () => {
    const stored = await encryptCredentials(await importCredentialsKey(keyOf(7)), API_KEY, SECRET);
    await expect(decryptCredentials(await importCredentialsKey(keyOf(8)), stored)).rejects.toThrow('api_key: cannot decrypt (wrong credentials key, or the ciphertext was altered)');
    const key = await importCredentialsKey(keyOf(7));
    await expect(decryptCredentials(key, { apiKeyEnc: stored.apiSecretEnc, apiSecretEnc: stored.apiKeyEnc })).rejects.toThrow(CredentialsError);
  });

  it('accepts only a 32-byte base64 key and never echoes it', async () => {
    await expect(importCredentialsKey(btoa('short'))).rejects.toThrow('must be 32 bytes, base64-encoded (got 5 bytes)');
    const bad = 'this-is-not-base64-and-is-secret';
    const error = await importCredentialsKey(bad).catch((e: Error) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as Error).message).not.toContain(bad);
    const key = await importCredentialsKey(`${keyOf(1)}\n`);
    expect(key.extractable).toBe(false);
  });

  it('masks to at most the last 4 characters, and none of a short value', () => {
    expect(masked(API_KEY)).toBe('****Eh8A');
    expect(masked('abcdefghijklmnop')).toBe('****mnop');
    expect(masked('abcdefghijklmno')).toBe('****');
    expect(masked('')).toBe('****');
  });

  it('keeps decrypted values out of JSON, string and inspect output', () => {
    const creds = new ApiCredentials(API_KEY, SECRET);
    for (const text of [JSON.stringify({ creds }), String(creds), inspect(creds), inspect({ ...creds })]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(API_KEY);
    }
    expect(JSON.stringify(creds)).toBe('{"apiKey":"****Eh8A","apiSecret":"****"}');
  });
});
