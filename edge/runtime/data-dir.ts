// The embedded mode's data directory (KRAITE_DATA_DIR, default .kraite/): what lives there, the
// lock that keeps two fleets off one directory, the paper account's credentials key, and
// `kraite reset-paper`'s delete.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ValidationError } from '../../core/errors.ts';

/** The files of a data directory. */
export function dataDirFiles(dataDir: string) {
  const dir = resolve(dataDir);
  return {
    dir,
    lock: join(dir, 'paper.lock'),
    snapshot: join(dir, 'paper-snapshot.json'),
    journal: (gen: number) => join(dir, `paper-journal-${gen}.log`),
    key: join(dir, 'credentials.key'),
  };
}

/** Journal generations present in a data directory, oldest first. */
export function journalGenerations(dataDir: string): number[] {
  const gens: number[] = [];
  for (const name of readdirSync(resolve(dataDir))) {
    const m = /^paper-journal-(\d+)\.log$/.exec(name);
    if (m) gens.push(Number(m[1]));
  }
  return gens.sort((a, b) => a - b);
}

/** Whether a process with this id is alive (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid holding a data directory's lock, when that process is alive. */
export function lockHolder(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(dataDirFiles(dataDir).lock, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && processAlive(pid) ? pid : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Directories this process holds: two fleets in one process (tests) must not share one either. */
const held = new Set<string>();

/** Takes the directory for this process (a lock left by a dead process is taken over); returns the release. */
export function lockDataDir(dataDir: string): () => void {
  const files = dataDirFiles(dataDir);
  mkdirSync(files.dir, { recursive: true, mode: 0o700 });
  if (held.has(files.dir)) throw new ValidationError(`KRAITE_DATA_DIR ${files.dir} is in use by another fleet in this process`, 'DATA_DIR_IN_USE');
  const holder = lockHolder(dataDir);
  if (holder !== null && holder !== process.pid) {
    throw new ValidationError(`KRAITE_DATA_DIR ${files.dir} is in use by another kraite (pid ${holder}): stop it, or give this one its own KRAITE_DATA_DIR`, 'DATA_DIR_IN_USE');
  }
  writeFileSync(files.lock, String(process.pid), { mode: 0o600 });
  held.add(files.dir);
  return () => {
    held.delete(files.dir);
    if (lockHolder(dataDir) === process.pid) rmSync(files.lock, { force: true });
  };
}

/** The paper account's credentials key (base64), made once per data directory so its encrypted keys still open after a restart. */
export function paperCredentialsKey(dataDir: string): string {
  const file = dataDirFiles(dataDir).key;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32).toString('base64');
  writeFileSync(file, key, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

/** Deletes the paper state of a data directory (snapshot, journals, key, lock); returns the files removed. */
export function deletePaperState(dataDir: string): string[] {
  const files = dataDirFiles(dataDir);
  let names: string[];
  try {
    names = readdirSync(files.dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const removed = names.filter((n) => /^paper-journal-\d+\.log$|^paper-snapshot\.json(\..*\.tmp)?$|^credentials\.key$|^paper\.lock$|^control\.json$/.test(n));
  for (const name of removed) rmSync(join(files.dir, name), { force: true });
  return removed;
}
