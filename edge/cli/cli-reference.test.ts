import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliReferenceMarkdown } from './cli-reference.ts';
import { commands } from './commands/index.ts';

describe('the CLI reference page', () => {
  it('is what the commands\' definitions say (run npm run docs:build when this fails)', () => {
    expect(readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8')).toBe(cliReferenceMarkdown(commands));
  });

  it('carries every command with its flags, environment and example', () => {
    const page = cliReferenceMarkdown(commands);
    for (const c of commands) expect(page).toContain(`### ${c.name}\n`);
    expect(page).toContain('- `--off`: stop new positions');
    expect(page).toContain('kraite deploy:cooldown --timeout 600');
  });
});
