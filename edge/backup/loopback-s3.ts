// A loopback S3 server for tests and the restore drill, never for keeping backups: PUT, GET,
// DELETE object and ListObjectsV2 on path-style URLs, with every request's SigV4 signature and
// payload hash checked (a wrong secret gets 403 SignatureDoesNotMatch, as S3 answers). Objects
// live in memory; `objects` exposes them raw.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsV4Signer } from 'aws4fetch';

/** A running fake. */
export interface FakeS3 {
  endpoint: string;
  /** bucket/key → stored bytes and time. */
  objects: Map<string, { body: Buffer; lastModified: number }>;
  /** Every request, as "METHOD path". */
  requests: string[];
  close(): Promise<void>;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

// Recomputes the signature with the request's own date and signed headers.
async function signatureOk(req: IncomingMessage, body: Buffer, url: string, credentials: { accessKeyId: string; secretAccessKey: string }): Promise<boolean> {
  const auth = req.headers.authorization ?? '';
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m || m[1] !== credentials.accessKeyId) return false;
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
  if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== createHash('sha256').update(body).digest('hex')) return false;
  const headers: Record<string, string> = {};
  for (const name of m[4]!.split(';')) if (name !== 'host') headers[name] = String(req.headers[name] ?? '');
  const signer = new AwsV4Signer({
    method: req.method!, url, headers, accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey,
    service: 's3', region: m[3]!, datetime: String(req.headers['x-amz-date'] ?? ''), allHeaders: true,
  });
  const signed = await signer.sign();
  return signed.headers.get('authorization') === auth;
}

/** Starts the fake on a free loopback port, accepting requests signed with `credentials`. */
export async function startFakeS3(credentials: { accessKeyId: string; secretAccessKey: string }): Promise<FakeS3> {
  const objects = new Map<string, { body: Buffer; lastModified: number }>();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  const error = (res: ServerResponse, status: number, code: string) => res.writeHead(status, { 'content-type': 'application/xml' })
    .end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`);

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const body = await readBody(req);
    const url = `http://${req.headers.host}${req.url}`;
    const parsed = new URL(url);
    requests.push(`${req.method} ${parsed.pathname}${parsed.search}`);
    if (!(await signatureOk(req, body, url, credentials))) return error(res, 403, 'SignatureDoesNotMatch');
    const [, bucket, ...rest] = parsed.pathname.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    if (!bucket) return error(res, 400, 'InvalidBucketName');
    if (!key && req.method === 'GET') {
      const prefix = parsed.searchParams.get('prefix') ?? '';
      const items = [...objects].filter(([k]) => k.startsWith(`${bucket}/${prefix}`)).sort(([a], [b]) => a.localeCompare(b));
      const contents = items.map(([k, o]) => `<Contents><Key>${xml(k.slice(bucket.length + 1))}</Key><LastModified>${new Date(o.lastModified).toISOString()}</LastModified><Size>${o.body.length}</Size></Contents>`).join('');
      return res.writeHead(200, { 'content-type': 'application/xml' })
        .end(`<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${bucket}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${items.length}</KeyCount><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`);
    }
    const id = `${bucket}/${key}`;
    if (req.method === 'PUT') {
      objects.set(id, { body, lastModified: Date.now() });
      return res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` }).end();
    }
    if (req.method === 'GET') {
      const o = objects.get(id);
      return o ? res.writeHead(200, { 'content-length': o.body.length }).end(o.body) : error(res, 404, 'NoSuchKey');
    }
    if (req.method === 'DELETE') {
      objects.delete(id);
      return res.writeHead(204).end();
    }
    return error(res, 405, 'MethodNotAllowed');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`, objects, requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
