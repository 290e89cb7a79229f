// The backup file format: gzip inside AES-256-GCM. Layout: "KRAITEB1" | 12-byte IV | ciphertext |
// 16-byte tag. Both directions stream through temporary files, so a large dump never sits in memory
// as plaintext; the tag is checked before a single restored byte is trusted (decryptFile finishes
// the decipher, and only then does the caller read the output).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

const MAGIC = Buffer.from('KRAITEB1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Raised for a file that is not a Kraite backup or fails authentication (wrong key, tampered, truncated). */
export class BackupDecryptError extends Error {}

/** Gzips and encrypts `plain` into `outPath` with the 32-byte `key`. */
export async function encryptTo(plain: Readable, outPath: string, key: Buffer): Promise<void> {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const out = createWriteStream(outPath);
  out.write(Buffer.concat([MAGIC, iv]));
  await pipeline(plain, createGzip({ level: 6 }), cipher, out, { end: false });
  await new Promise<void>((resolve, reject) => out.end(cipher.getAuthTag(), (error?: Error | null) => (error ? reject(error) : resolve())));
}

/** Decrypts and gunzips `inPath` into `outPath`; throws BackupDecryptError when the tag does not verify. */
export async function decryptFile(inPath: string, outPath: string, key: Buffer): Promise<void> {
  const { size } = await stat(inPath);
  if (size < MAGIC.length + IV_BYTES + TAG_BYTES) throw new BackupDecryptError('not a Kraite backup: the file is too short');
  const handle = await open(inPath, 'r');
  const head = Buffer.alloc(MAGIC.length + IV_BYTES);
  const tag = Buffer.alloc(TAG_BYTES);
  try {
    await handle.read(head, 0, head.length, 0);
    await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    await handle.close();
  }
  if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw new BackupDecryptError('not a Kraite backup: wrong header');
  const decipher = createDecipheriv('aes-256-gcm', key, head.subarray(MAGIC.length));
  decipher.setAuthTag(tag);
  try {
    await pipeline(createReadStream(inPath, { start: head.length, end: size - TAG_BYTES - 1 }), decipher, createGunzip(), createWriteStream(outPath));
  } catch (error) {
    throw new BackupDecryptError(`the backup does not decrypt with KRAITE_BACKUP_KEY (wrong key, or the file was changed or cut short): ${(error as Error).message}`);
  }
}
