// A server process a test owns (a private redis-server or mariadbd on a spare port): started and
// waited for until it answers, SIGKILLed and started again at will.
import { spawn, type ChildProcess } from 'node:child_process';
import { until } from './wait-until.ts';

/** A server the test may kill and restart. */
export interface PrivateServer {
  /** Starts the server and waits until it answers. */
  start(): Promise<void>;
  /** SIGKILLs the server (no-op when it is down) and waits until it is gone. */
  kill(): Promise<void>;
  /** Kills it for good and removes what it left behind. */
  stop(): Promise<void>;
}

/** Runs `command args` on start(); `answers` tells when it is up (within `deadlineMs`). */
export function ownedProcess(command: string, args: string[], answers: () => Promise<boolean>, deadlineMs: number): Pick<PrivateServer, 'start' | 'kill'> {
  let child: ChildProcess | null = null;
  return {
    async start() {
      child = spawn(command, args, { stdio: 'ignore' });
      await until(`${command} (${args.join(' ')})`, answers, deadlineMs, 25);
    },
    async kill() {
      const c = child;
      if (!c) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await exited;
      child = null;
    },
  };
}
