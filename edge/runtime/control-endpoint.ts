// The embedded fleet's control endpoint: `kraite positions`, `kraite accounts:trading 1 --off` and
// the other read and operator commands run inside the running `npm start` when there is no
// DATABASE_URL, because the embedded store lives only in that process. It listens on loopback
// only, and every request carries the token from the control file (mode 0600) in the data
// directory, so only a user who can read that directory can drive the fleet.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Hono } from 'hono';
import { z } from 'zod';
import type { StepStore } from '../../core/steps/step-store.port.ts';
import { controlFilePath, FORWARDED_ENV, readControlFile, REMOTE_COMMANDS, type ControlFile, type RemoteResult } from './control-file.ts';
import { serveWeb } from './serve-web.ts';

const requestSchema = z.object({ argv: z.array(z.string()).min(1), env: z.record(z.string(), z.string()).default({}) });

/** Runs one CLI command against the fleet's store (main, injected to keep the CLI out of the runtime). */
export type RunCommand = (argv: string[], io: { out(l: string): void; err(l: string): void; env: Record<string, string | undefined>; store: StepStore }) => Promise<number>;

/** Starts the endpoint and writes the control file; stop() closes it and removes the file. */
export async function startControlEndpoint(o: { dataDir: string; store: StepStore; env: Record<string, string | undefined>; run: RunCommand }): Promise<{ url: string; stop(): Promise<void> }> {
  const token = randomBytes(32).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  const app = new Hono();
  app.post('/cli', async (c) => {
    const given = Buffer.from(c.req.header('authorization') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return c.json({ error: 'bad token' }, 401);
    const parsed = requestSchema.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: `bad request: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}` }, 400);
    const [name] = parsed.data.argv;
    if (!REMOTE_COMMANDS.includes(name!)) return c.json({ error: `${name} does not run through the control endpoint` }, 403);
    const env = { ...o.env };
    for (const k of FORWARDED_ENV) if (parsed.data.env[k]) env[k] = parsed.data.env[k];
    const result: RemoteResult = { code: 1, out: [], err: [] };
    result.code = await o.run(parsed.data.argv, { out: (l) => result.out.push(l), err: (l) => result.err.push(l), env, store: o.store });
    return c.json(result);
  });
  // Loopback only, whatever KRAITE_HOST says: the endpoint is for this machine's shell.
  const server = await serveWeb(app, '127.0.0.1', 0);
  const dir = resolve(o.dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = controlFilePath(dir);
  const body: ControlFile = { url: server.url, token, pid: process.pid };
  // Written under another name with mode 0600, then renamed: a reader never sees half a file or a readable token.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, JSON.stringify(body), { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
  return {
    url: server.url,
    async stop() {
      await server.close();
      // Another fleet may have started on this directory since: remove only our own file.
      const now = await readControlFile(dir);
      if (now?.token === token) await rm(file, { force: true });
    },
  };
}

