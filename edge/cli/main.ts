// Entry point of the `kraite` CLI: finds the command, parses its arguments strictly, runs it.
// One exit-code rule for every command: 0 done, 1 failed, 2 usage error.
import packageJson from '../../package.json' with { type: 'json' };
import { parseCommandArgs, UsageError, type CliIo } from './command.ts';
import { commands } from './commands/index.ts';
import { didYouMean } from './did-you-mean.ts';
import { commandHelp, generalHelp } from './help.ts';

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
    return await command.run(parseCommandArgs(command, rest), io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`kraite: ${error.message}`);
      return 2;
    }
    io.err(`kraite ${name}: ${(error as Error).message}`);
    return 1;
  }
}
