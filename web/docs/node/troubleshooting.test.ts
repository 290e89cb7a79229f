// The troubleshooting page quotes what the CLI and the fleet print. Each quoted message (a ```text
// block) must still be in the code: its literal parts, between the `…` that stand for names and
// numbers, are looked up in the sources, so a reworded message fails here until the page follows.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [readFileSync(path, 'utf8')] : [];
  });
}

/** The literal parts of a quoted message worth looking up (a command-name prefix is a variable in the code). */
function literalParts(message: string): string[] {
  return message.split('…').map((p) => p.replace(/^[\s:;]+|[\s:;]+$/g, '')).filter((p) => p.length >= 10);
}

describe('the troubleshooting page', () => {
  const page = readFileSync(join(ROOT, 'docs/troubleshooting.md'), 'utf8');
  const messages = [...page.matchAll(/```text\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
  const code = ['edge', 'core', 'handlers', 'web'].flatMap((d) => sources(join(ROOT, d))).join('\n').replace(/\\`/g, '`');

  it('quotes messages the code still prints', () => {
    expect(messages.length).toBeGreaterThanOrEqual(15);
    for (const message of messages) {
      const parts = literalParts(message);
      expect(parts.length, message).toBeGreaterThan(0);
      for (const part of parts) {
        const found = code.includes(part) || code.includes(part.replace(/^(kraite )?[\w:-]+:? /, ''));
        expect(found, `"${part}" (from: ${message})`).toBe(true);
      }
    }
  });

  it('finds a reworded message', () => {
    expect(code.includes('this command reads the shared store: set DATABASE_URL')).toBe(true);
    expect(code.includes('this command reads the shared store: set DATABASE_URI')).toBe(false);
  });
});
