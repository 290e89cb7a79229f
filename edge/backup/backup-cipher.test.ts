import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackupDecryptError, decryptFile, encryptTo } from './backup-cipher.ts';

const key = Buffer.alloc(32, 3);
const sql = 'CREATE TABLE `accounts` (id BIGINT);\nINSERT INTO `accounts` VALUES (1);\n'.repeat(50);

describe('backup cipher', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kraite-cipher-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips, and the file holds no plaintext', async () => {
    await encryptTo(Readable.from([sql]), join(dir, 'b.enc'), key);
    const raw = await readFile(join(dir, 'b.enc'));
    expect(raw.includes('accounts')).toBe(false);
    expect(raw.includes('CREATE TABLE')).toBe(false);
    await decryptFile(join(dir, 'b.enc'), join(dir, 'b.sql'), key);
    expect(await readFile(join(dir, 'b.sql'), 'utf8')).toBe(sql);
  });

  it('refuses a wrong key and a changed byte', async () => {
    await encryptTo(Readable.from([sql]), join(dir, 'b.enc'), key);
    await expect(decryptFile(join(dir, 'b.enc'), join(dir, 'x.sql'), Buffer.alloc(32, 4))).rejects.toBeInstanceOf(BackupDecryptError);
    const raw = await readFile(join(dir, 'b.enc'));
    raw[30] = raw[30]! ^ 1;
    await writeFile(join(dir, 'c.enc'), raw);
    await expect(decryptFile(join(dir, 'c.enc'), join(dir, 'y.sql'), key)).rejects.toBeInstanceOf(BackupDecryptError);
  });
});
