// core/ and handlers/ must run on any runtime: no Node built-ins, no Node-only packages, at any depth.
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findNodeOnlyImports } from './support/neutral-imports.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('runtime neutrality', () => {
  it('core/ and handlers/ import nothing Node-only', async () => {
    const entries = [...sources(join(root, 'core')), ...sources(join(root, 'handlers'))];
    expect(entries.length).toBeGreaterThan(20);
    expect(await findNodeOnlyImports(entries)).toEqual([]);
  });

  it('catches a Node import hidden behind a relative import', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'neutral-'));
    writeFileSync(join(dir, 'entry.ts'), "import { helper } from './helper.ts';\nexport const x = helper();\n");
    writeFileSync(join(dir, 'helper.ts'), "import { readFileSync } from 'node:fs';\nimport IORedis from 'ioredis';\nexport const helper = () => [readFileSync, IORedis];\n");
    const found = await findNodeOnlyImports([join(dir, 'entry.ts')]);
    expect(found.map((v) => v.specifier)).toEqual(['node:fs', 'ioredis']);
    expect(found[0]!.importer).toContain('helper.ts');
  });
});
