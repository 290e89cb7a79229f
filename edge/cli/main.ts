// Entry point of the `kraite` CLI: finds the command, parses its arguments strictly, runs it.
import { parseCommandArgs, UsageError, type CliIo } from './command.ts';
import { commands } from './commands/index.ts';

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
};

function help(io: CliIo): void {
  io.out('usage: kraite <command> [options]\n\ncommands:');
  const width = Math.max(...commands.map((c) => c.name.length));
  for (const c of [...commands].sort((a, b) => a.name.localeCompare(b.name))) io.out(`  ${c.name.padEnd(width)}  ${c.summary}`);
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    help(io);
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`kraite: unknown command "${name}" (run "kraite help" for the list)`);
    return 2;
  }
  try {
    if (rest.includes('--help')) {
      io.out(`usage: kraite ${command.usage}\n${command.summary}`);
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
