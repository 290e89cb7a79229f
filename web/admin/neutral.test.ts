// The admin app itself stays web-standard (runnable on Workers): only ./node/ may use Node.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findNodeOnlyImports } from '../../test/support/neutral-imports.ts';

const here = fileURLToPath(new URL('.', import.meta.url));

describe('web/admin neutrality', () => {
  it('imports nothing Node-only outside ./node/', async () => {
    const entries = readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => join(here, f));
    expect(entries.length).toBeGreaterThan(10);
    expect((await findNodeOnlyImports(entries)).map((v) => `${v.importer} imports ${v.specifier}`)).toEqual([]);
  });
});
