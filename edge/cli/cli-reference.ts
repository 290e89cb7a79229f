// The docs' CLI reference (docs/cli.md), written from the commands' own definitions by
// `npm run docs:build`, so it cannot drift from what `kraite help NAME` says (a test compares).
import { COMMAND_GROUPS, type Command, type CommandGroup } from './command.ts';
import { EXIT_CODES, flagSyntax } from './help.ts';

/** The reference page's Markdown for `commands`. */
export function cliReferenceMarkdown(commands: readonly Command<any>[]): string {
  const out = [
    '# CLI reference',
    '',
    '<!-- Generated from the commands\' definitions (edge/cli/commands) by `npm run docs:build`: do not edit. -->',
    '',
    'Every command runs as `npx kraite NAME` (or `npm run kraite -- NAME`). `kraite help NAME` prints the',
    'same text as this page; `kraite --version` prints the version. Without `DATABASE_URL`, the read and',
    'operator commands (positions, orders, steps, regime, regime:override, accounts:list,',
    'accounts:trading, symbols:set) reach the running `npm start` through its control endpoint.',
    '',
    `${EXIT_CODES[0]!.toUpperCase()}${EXIT_CODES.slice(1)}.`,
  ];
  const groups: (CommandGroup | undefined)[] = [...(Object.keys(COMMAND_GROUPS) as CommandGroup[]), undefined];
  for (const group of groups) {
    const members = commands.filter((c) => c.group === group).sort((a, b) => a.name.localeCompare(b.name));
    if (!members.length) continue;
    const heading = group ? COMMAND_GROUPS[group] : 'other';
    out.push('', `## ${heading[0]!.toUpperCase()}${heading.slice(1)}`);
    for (const c of members) {
      out.push('', `### ${c.name}`, '', `${c.summary[0]!.toUpperCase()}${c.summary.slice(1)}.`, '', '```text', `kraite ${c.usage}`, '```');
      const options = Object.entries(c.options) as [string, { type: string; multiple?: boolean }][];
      if (options.length) {
        out.push('');
        for (const [name, o] of options) out.push(`- \`${flagSyntax(name, o)}\`: ${c.flags?.[name] ?? ''}`);
      }
      out.push('', `Environment: ${c.env?.length ? c.env.map((e) => e.replace(/^([A-Z_]+)/, '`$1`')).join(', ') : 'none needed'}.`);
      if (c.example) out.push('', 'Example:', '', '```sh', `kraite ${c.example}`, '```');
    }
  }
  return `${out.join('\n')}\n`;
}
