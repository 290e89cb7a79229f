// `npm start` as a child process a test owns: `node bin/kraite.js run --all` from the sources on a
// given KRAITE_DATA_DIR, waited for until its start-up block is out, stopped (SIGTERM) or killed
// (SIGKILL) at will.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { until } from './wait-until.ts';

const BIN = fileURLToPath(new URL('../../bin/kraite.js', import.meta.url));

/** A running embedded fleet. */
export interface FleetChild {
  /** Everything it printed so far (stdout and stderr). */
  out(): string;
  /** Sends `signal` and resolves with the exit code (null when a signal ended it). */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<number | null>;
}

/** Starts `kraite run --all` and waits (up to `deadlineMs`) until it prints what to open first. */
export async function startEmbeddedFleet(dataDir: string, env: Record<string, string> = {}, deadlineMs = 90_000): Promise<FleetChild> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'run', '--all'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, KRAITE_DATA_DIR: dataDir, KRAITE_PORT: '0', LOG_LEVEL: 'warn', KRAITE_FROM_SOURCE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let exited: number | null | undefined;
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve((exited = code))));
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const fleet: FleetChild = {
    out: () => out,
    async stop(signal) {
      if (exited === undefined) child.kill(signal);
      return exit;
    },
  };
  try {
    await until('the embedded fleet\'s start-up block', () => {
      if (exited !== undefined) throw new Error(`the embedded fleet exited (${String(exited)}) while starting:\n${out}`);
      return out.includes('open first:');
    }, deadlineMs, 50);
  } catch (error) {
    await fleet.stop('SIGKILL');
    throw error;
  }
  return fleet;
}
