// The version a process reports in its heartbeat: package.json's, plus the git commit when the
// deploy exported it (KRAITE_COMMIT), read once.
import { readFileSync } from 'node:fs';

let cached: string | null = null;

/** `0.1.0` or `0.1.0+abc1234`. */
export function processVersion(env: Record<string, string | undefined> = process.env): string {
  if (cached) return cached;
  let version = 'unknown';
  try {
    version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? version;
  } catch {
    // running from an unusual layout: report "unknown" rather than fail the process
  }
  cached = env.KRAITE_COMMIT ? `${version}+${env.KRAITE_COMMIT.slice(0, 12)}` : version;
  return cached;
}
