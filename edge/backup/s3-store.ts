// The backup store: S3-compatible object storage (Backblaze B2, AWS S3, MinIO) over fetch with
// SigV4 signing from aws4fetch. Path-style URLs (ENDPOINT/BUCKET/KEY) work on all three; only the
// four calls the backups make are declared: put, get, list, delete.
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AwsClient } from 'aws4fetch';
import type { BackupConfig } from './backup-config.ts';

/** One stored object. */
export interface StoredObject {
  key: string;
  size: number;
  lastModified: number;
}

/** The slice of object storage the backups use. */
export interface ObjectStore {
  putFile(key: string, path: string): Promise<void>;
  getToFile(key: string, path: string): Promise<void>;
  list(prefix: string): Promise<StoredObject[]>;
  delete(key: string): Promise<void>;
}

/** Raised for a non-2xx answer; the message carries the S3 error code, never the credentials. */
export class ObjectStoreError extends Error {}

const decodeXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, '\'').replace(/&amp;/g, '&');
const tag = (xml: string, name: string) => {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m ? decodeXml(m[1]!) : undefined;
};

/** An S3 store over `config`; `fetchImpl` is injectable for tests. */
export function s3Store(config: Pick<BackupConfig, 'KRAITE_BACKUP_S3_ENDPOINT' | 'KRAITE_BACKUP_S3_BUCKET' | 'KRAITE_BACKUP_S3_REGION' | 'KRAITE_BACKUP_S3_ACCESS_KEY_ID' | 'KRAITE_BACKUP_S3_SECRET_ACCESS_KEY'>): ObjectStore {
  const client = new AwsClient({
    accessKeyId: config.KRAITE_BACKUP_S3_ACCESS_KEY_ID, secretAccessKey: config.KRAITE_BACKUP_S3_SECRET_ACCESS_KEY,
    service: 's3', region: config.KRAITE_BACKUP_S3_REGION, retries: 3,
  });
  const bucketUrl = `${config.KRAITE_BACKUP_S3_ENDPOINT.replace(/\/+$/, '')}/${encodeURIComponent(config.KRAITE_BACKUP_S3_BUCKET)}`;
  const objectUrl = (key: string) => `${bucketUrl}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const check = async (res: Response, what: string) => {
    if (res.ok) return;
    const body = await res.text().catch(() => '');
    throw new ObjectStoreError(`backup store: ${what} answered ${res.status} ${tag(body, 'Code') ?? ''} ${tag(body, 'Message') ?? ''}`.trim());
  };
  return {
    async putFile(key, path) {
      // One PUT (objects up to 5 GB); the body is the encrypted, compressed file.
      const body = await readFile(path);
      const res = await client.fetch(objectUrl(key), { method: 'PUT', body, headers: { 'content-type': 'application/octet-stream' } });
      await check(res, `PUT ${key}`);
    },
    async getToFile(key, path) {
      const res = await client.fetch(objectUrl(key), { method: 'GET' });
      await check(res, `GET ${key}`);
      if (!res.body) throw new ObjectStoreError(`backup store: GET ${key} had no body`);
      await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(path));
    },
    async list(prefix) {
      const found: StoredObject[] = [];
      let token: string | undefined;
      do {
        const url = new URL(bucketUrl);
        url.searchParams.set('list-type', '2');
        url.searchParams.set('prefix', prefix);
        if (token) url.searchParams.set('continuation-token', token);
        const res = await client.fetch(url.toString(), { method: 'GET' });
        await check(res, `LIST ${prefix}`);
        const xml = await res.text();
        for (const m of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
          const part = m[1]!;
          found.push({ key: tag(part, 'Key')!, size: Number(tag(part, 'Size') ?? 0), lastModified: Date.parse(tag(part, 'LastModified') ?? '') });
        }
        token = tag(xml, 'IsTruncated') === 'true' ? tag(xml, 'NextContinuationToken') : undefined;
      } while (token);
      return found;
    },
    async delete(key) {
      const res = await client.fetch(objectUrl(key), { method: 'DELETE' });
      await check(res, `DELETE ${key}`);
    },
  };
}
