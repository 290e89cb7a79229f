// The text of `kraite help` (commands grouped trade / operate / deploy / develop) and of
// `kraite help NAME` (usage, one line per flag, the environment it needs, an example).
import { COMMAND_GROUPS, type Command, type CommandGroup } from './command.ts';

/** The rule every command follows, printed under the list so scripts can rely on it. */
export const EXIT_CODES = 'exit codes: 0 done, 1 failed (the message says why), 2 usage error (unknown command or flag, bad value)';

/** `--name VALUE` for a string flag, `--name` for a switch, `--name VALUE...` when it repeats. */
export function flagSyntax(name: string, option: { type: string; multiple?: boolean }): string {
  return `--${name}${option.type === 'string' ? ' VALUE' : ''}${option.multiple ? '...' : ''}`;
}

/** The top-level help: every command under its group, then how to get more. */
export function generalHelp(commands: readonly Command<any>[]): string[] {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = ['usage: kraite <command> [options]   ·   kraite help <command>   ·   kraite --version'];
  const groups: (CommandGroup | undefined)[] = [...(Object.keys(COMMAND_GROUPS) as CommandGroup[]), undefined];
  for (const group of groups) {
    const members = commands.filter((c) => c.group === group).sort((a, b) => a.name.localeCompare(b.name));
    if (members.length === 0) continue;
    lines.push('', group ? COMMAND_GROUPS[group] : 'other');
    for (const c of members) lines.push(`  ${c.name.padEnd(width)}  ${c.summary}`);
  }
  lines.push('', 'Without DATABASE_URL, positions, orders, steps, regime, regime:override, accounts:list, accounts:trading and symbols:set reach the running `npm start`.', EXIT_CODES);
  return lines;
}

/** The help of one command. */
export function commandHelp(command: Command<any>): string[] {
  const lines = [`kraite ${command.name} — ${command.summary}`, '', `usage: kraite ${command.usage}`];
  const options = Object.entries(command.options) as [string, { type: string; multiple?: boolean }][];
  if (options.length > 0) {
    const syntax = options.map(([name, o]) => flagSyntax(name, o));
    const width = Math.max(...syntax.map((s) => s.length));
    lines.push('', 'flags:');
    options.forEach(([name], i) => lines.push(`  ${syntax[i]!.padEnd(width)}  ${command.flags?.[name] ?? ''}`.trimEnd()));
  }
  lines.push('', `environment: ${command.env?.length ? command.env.join(', ') : 'none needed'}`);
  if (command.example) lines.push('', 'example:', `  kraite ${command.example}`);
  return lines;
}
