// core/ and handlers/ must run on any runtime (a Worker, a Lambda, Node): no Node built-in, no
// Node-only package, at any depth of the project's import graph, and no Node-only global.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { findNodeOnlyImports } from './support/neutral-imports.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Every non-test .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

const NODE_GLOBALS = new Set(['process', 'Buffer', '__dirname', '__filename', 'require', 'module', 'global', 'setImmediate', 'clearImmediate', 'NodeJS']);

/**
 * Type-checks `files` alone against the web-standard libs (no @types/node) and lists each use of a
 * Node-only global: imports cannot reveal `process.env` or `Buffer.from`.
 */
function findNodeGlobals(all: string[]): string[] {
  // Only files that mention one of the names need the (slow) type check.
  const mentions = new RegExp(`\\b(${[...NODE_GLOBALS].join('|')})\\b`);
  const files = all.filter((file) => mentions.test(readFileSync(file, 'utf8')));
  if (files.length === 0) return [];
  const program = ts.createProgram(files, {
    noEmit: true, noResolve: true, types: [], skipLibCheck: true, allowImportingTsExtensions: true,
    target: ts.ScriptTarget.ES2023, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  });
  return files.flatMap((file) => program.getSemanticDiagnostics(program.getSourceFile(file)).flatMap((d) => {
    const name = /Cannot find (?:name|namespace) '([^']+)'/.exec(ts.flattenDiagnosticMessageText(d.messageText, '\n'))?.[1];
    if (!name || !NODE_GLOBALS.has(name) || !d.file || d.start === undefined) return [];
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return [`${relative(root, d.file.fileName)}:${line + 1}: ${name}`];
  }));
}

/** A throwaway folder of files, for proving the guard catches what it should. */
function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kraite-neutral-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('runtime neutrality of core/, handlers/ and edge/workers/', () => {
  const entries = [...sources(join(root, 'core')), ...sources(join(root, 'handlers')), ...sources(join(root, 'edge', 'workers'))];

  it('imports nothing Node-only, directly or through project files', async () => {
    expect(entries.length).toBeGreaterThan(20);
    const found = await findNodeOnlyImports(entries);
    expect(found.map((v) => `${relative(root, v.importer)} imports ${v.specifier}`)).toEqual([]);
  });

  it('uses no Node-only global', () => {
    expect(findNodeGlobals(entries)).toEqual([]);
  });
});

describe('the neutrality guard itself', () => {
  it('catches node:fs hidden behind a relative import, and a Node-only package', async () => {
    const dir = scratch({
      'entry.ts': "import { helper } from './deep/helper.ts';\nexport const x = helper();\n",
      'deep/helper.ts': "import { readFileSync } from 'node:fs';\nimport IORedis from 'ioredis';\nexport const helper = () => [readFileSync, IORedis];\n",
    });
    const found = await findNodeOnlyImports([join(dir, 'entry.ts')]);
    expect(found.map((v) => v.specifier)).toEqual(['node:fs', 'ioredis']);
    expect(found.every((v) => v.importer.endsWith(join('deep', 'helper.ts')))).toBe(true);
  });

  it('catches bare built-in names, dynamic imports and every Node-only package of the card', async () => {
    const forbidden = ['fs', 'path', 'crypto', 'events', 'stream', 'net', 'http', 'os', 'child_process', 'worker_threads', 'util', 'buffer',
      'bullmq', 'ioredis', 'mysql2/promise', 'ws', 'undici', '@hono/node-server', 'pino'];
    const dir = scratch({
      'entry.ts': `${forbidden.map((m, i) => `import * as m${i} from '${m}';`).join('\n')}\nexport const all = [${forbidden.map((_, i) => `m${i}`).join(', ')}];\nexport const later = () => import('node:worker_threads');\n`,
    });
    const found = (await findNodeOnlyImports([join(dir, 'entry.ts')])).map((v) => v.specifier);
    expect(found.sort()).toEqual([...forbidden, 'node:worker_threads'].sort());
  });

  it('lets the web-standard packages through', async () => {
    const dir = scratch({ 'entry.ts': "import { z } from 'zod';\nimport Decimal from 'decimal.js';\nimport { Hono } from 'hono';\nimport { cors } from 'hono/cors';\nexport const x = [z, Decimal, Hono, cors];\n" });
    expect(await findNodeOnlyImports([join(dir, 'entry.ts')])).toEqual([]);
  });

  it('fails on an import that does not resolve', async () => {
    const dir = scratch({ 'entry.ts': "import { gone } from './missing.ts';\nexport const x = gone;\n" });
    await expect(findNodeOnlyImports([join(dir, 'entry.ts')])).rejects.toThrow(/missing\.ts/);
  });

  it('catches Node-only globals that no import reveals', () => {
    const dir = scratch({
      'entry.ts': "export const key = process.env.KEY;\nexport const bytes = Buffer.from('x');\nexport const fine = new TextEncoder().encode(String(globalThis.crypto.randomUUID()));\n",
    });
    const found = findNodeGlobals([join(dir, 'entry.ts')]);
    expect(found.map((f) => f.replace(/^.*entry\.ts:/, ''))).toEqual(['1: process', '2: Buffer']);
  });
});
