// Entry point of the `kraite` CLI: finds the command, parses its arguments strictly, runs it.
// One exit-code rule for every command: 0 done, 1 failed, 2 usage error.
import packageJson from '../../package.json' with { type: 'json' };
import { controlFilePath, readControlFile, REMOTE_COMMANDS, sendToFleet } from '../runtime/control-file.ts';
import { loadConfig } from '../runtime/config.ts';
import { parseCommandArgs, UsageError, type CliIo } from './command.ts';
import { commands } from './commands/index.ts';
import { didYouMean } from './did-you-mean.ts';
import { commandHelp, generalHelp } from './help.ts';

// The bundle (dist/kraite.mjs) is also a sweep's worker-thread entry: it must export the worker loop.
export { sweepWorkerMain } from '../backtest/sweep.ts';

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
};

const HELP = ['help', '--help', '-h'];

function unknownCommand(name: string, io: CliIo): number {
  io.err(`kraite: unknown command "${name}"${didYouMean(name, commands.map((c) => c.name))} (run "kraite help" for the list)`);
  return 2;
}

/**
 * Without DATABASE_URL the embedded store lives inside the running `npm start`: a read or operator
 * command is sent there through its control endpoint. Null: run it here (no fleet is running).
 */
async function runInEmbeddedFleet(argv: string[], io: CliIo): Promise<number | null> {
  if (io.store || io.env.DATABASE_URL || !REMOTE_COMMANDS.includes(argv[0]!)) return null;
  const dataDir = loadConfig(io.env).KRAITE_DATA_DIR;
  const control = await readControlFile(dataDir);
  if (!control) return null;
  const result = await sendToFleet(control, argv, io.env);
  if (!result) {
    io.err(`kraite ${argv[0]}: ${controlFilePath(dataDir)} names an embedded fleet (pid ${control.pid}) that is not running: start it with npm start, or set DATABASE_URL`);
    return 1;
  }
  for (const line of result.out) io.out(line);
  for (const line of result.err) io.err(line);
  return result.code;
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    io.out(packageJson.version);
    return 0;
  }
  if (!name || HELP.includes(name)) {
    const topic = rest[0];
    if (name && topic) {
      const command = commands.find((c) => c.name === topic);
      if (!command) return unknownCommand(topic, io);
      for (const line of commandHelp(command)) io.out(line);
      return 0;
    }
    for (const line of generalHelp(commands)) (name ? io.out : io.err)(line);
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) return unknownCommand(name, io);
  try {
    // A benchmark's own flags come after its name; everything before is kraite's.
    const first = command.passRest ? rest.findIndex((a) => !a.startsWith('-')) : -1;
    const own = first >= 0 ? rest.slice(0, first) : rest;
    if (own.includes('--help') || own.includes('-h')) {
      for (const line of commandHelp(command)) io.out(line);
      return 0;
    }
    const args = parseCommandArgs(command, rest);
    const remote = await runInEmbeddedFleet(argv, io);
    return remote ?? (await command.run(args, io));
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`kraite: ${error.message}`);
      return 2;
    }
    io.err(`kraite ${name}: ${(error as Error).message}`);
    return 1;
  }
}
