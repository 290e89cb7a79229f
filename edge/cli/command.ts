// The shape of a CLI command: declared options (parsed strictly with node:util) and a run function.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { StepStore } from '../../core/steps/step-store.port.ts';
import { didYouMean } from './did-you-mean.ts';

/** Where a command writes; tests capture it. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
  /** Aborted to stop a long-running command (tests); otherwise SIGINT/SIGTERM stop it. */
  signal?: AbortSignal;
  /** The running embedded fleet's store, when the command runs inside it (the control endpoint). */
  store?: StepStore;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** The headings of `kraite help`, in the order a newcomer meets them. */
export const COMMAND_GROUPS = {
  trade: 'trade: positions, orders, accounts and what may be traded',
  operate: 'operate: run the fleet, its steps, users and market data',
  deploy: 'deploy: topology, migrations, units and the deploy window',
  develop: 'develop: simulator and benchmarks',
} as const;

/** Which heading of `kraite help` a command sits under. */
export type CommandGroup = keyof typeof COMMAND_GROUPS;

/** One `kraite <name>` command. */
export interface Command<O extends Options = Options> {
  name: string;
  summary: string;
  usage: string;
  options: O;
  /** The heading it is listed under in `kraite help`. */
  group?: CommandGroup;
  /** One line per flag for `kraite help NAME` and the generated CLI reference. */
  flags?: { [K in keyof O]: string };
  /** What the command needs from the environment, e.g. `DATABASE_URL`; empty when nothing. */
  env?: string[];
  /** One command line a reader can copy (without the leading `kraite`). */
  example?: string;
  /** Whether positional arguments are accepted. */
  positionals?: boolean;
  /** Everything after the first positional is handed on unparsed (`kraite bench soak --seeds 1-1000`). */
  passRest?: boolean;
  run(args: { values: Record<string, unknown>; positionals: string[] }, io: CliIo): Promise<number>;
}

/** Raised for bad CLI arguments; the message names the problem and the process exits 2. */
export class UsageError extends Error {}

/** Declares a command with its options. */
export function defineCommand<O extends Options>(command: Command<O>): Command<O> {
  return command;
}

/** Parses argv for a command strictly: unknown flags and missing values become UsageErrors. */
export function parseCommandArgs(command: Command, argv: string[]): { values: Record<string, unknown>; positionals: string[] } {
  let rest: string[] = [];
  const first = command.passRest ? argv.findIndex((a) => !a.startsWith('-')) : -1;
  if (first >= 0) {
    rest = argv.slice(first + 1);
    if (rest[0] === '--') rest = rest.slice(1);
    argv = argv.slice(0, first + 1);
  }
  try {
    const { values, positionals } = parseArgs({
      args: argv, options: command.options, strict: true, allowPositionals: command.positionals ?? false,
    });
    return { values: values as Record<string, unknown>, positionals: [...positionals, ...rest] };
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '--([^']+)'/.exec(message)?.[1];
    const hint = unknown ? didYouMean(unknown, Object.keys(command.options), '--') : '';
    throw new UsageError(`${command.name}: ${message.split('. To specify')[0]}${hint}\nusage: kraite ${command.usage}   (kraite help ${command.name})`);
  }
}

/** Reads an integer option, refusing anything else with a message naming the flag. */
export function intOption(values: Record<string, unknown>, name: string, fallback: number, min = 0): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number ≥ ${min}, got "${String(raw)}"`);
  return n;
}
