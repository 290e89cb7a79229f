// The embedded fleet's control file (in KRAITE_DATA_DIR) and the CLI's side of the control
// endpoint: where the running `npm start` listens, its token, and sending a command there.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Commands the endpoint runs: reads and the operator switches, never credentials or users. */
export const REMOTE_COMMANDS: readonly string[] = [
  'positions', 'orders', 'steps', 'regime', 'regime:override', 'accounts:list', 'accounts:trading', 'symbols:set',
];

/** The environment a caller may pass on: who it is, for the audit of an override. */
export const FORWARDED_ENV = ['KRAITE_OPERATOR', 'USER'] as const;

/** Where the running fleet listens and the token it wants. */
export interface ControlFile {
  url: string;
  token: string;
  pid: number;
}

/** What a command run through the endpoint printed and how it ended. */
export interface RemoteResult {
  code: number;
  out: string[];
  err: string[];
}

/** The control file's path in a data directory. */
export function controlFilePath(dataDir: string): string {
  return join(resolve(dataDir), 'control.json');
}

/** Reads the control file of a data directory; null when there is none (no embedded fleet running). */
export async function readControlFile(dataDir: string): Promise<ControlFile | null> {
  try {
    return JSON.parse(await readFile(controlFilePath(dataDir), 'utf8')) as ControlFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Sends a command to the running fleet; null when the file names a fleet that no longer listens. */
export async function sendToFleet(control: ControlFile, argv: string[], env: Record<string, string | undefined>): Promise<RemoteResult | null> {
  const forwarded = Object.fromEntries(FORWARDED_ENV.filter((k) => env[k]).map((k) => [k, env[k]!]));
  let res: Response;
  try {
    res = await fetch(`${control.url}/cli`, {
      method: 'POST', headers: { authorization: `Bearer ${control.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ argv, env: forwarded }),
    });
  } catch {
    return null;
  }
  if (!res.ok) throw new Error(`the running fleet refused the command (${res.status}: ${((await res.json().catch(() => ({}))) as { error?: string }).error ?? res.statusText})`);
  return (await res.json()) as RemoteResult;
}
