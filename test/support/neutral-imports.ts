// Walks the import graph of entry files with esbuild (platform neutral) and reports every import
// of a Node built-in or of a package outside the allowed, web-standard set.
import { builtinModules } from 'node:module';
import { build } from 'esbuild';

/**
 * Packages the runtime-neutral core may import. @planetscale/database is fetch-only (its store runs in
 * workerd in test/core-workerd.test.ts).
 */
export const ALLOWED_PACKAGES = ['zod', 'decimal.js', 'hono', '@planetscale/database'];

/** One forbidden import: who imported what. */
export interface Violation {
  importer: string;
  specifier: string;
}

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);

/** Bundles `entries` for a neutral platform and lists forbidden imports (direct or transitive). */
export async function findNodeOnlyImports(entries: string[]): Promise<Violation[]> {
  const violations: Violation[] = [];
  await build({
    entryPoints: entries, bundle: true, write: false, platform: 'neutral', format: 'esm', outdir: '/tmp/neutral-check', logLevel: 'silent',
    plugins: [{
      name: 'neutral-imports',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          if (builtins.has(args.path) || args.path.startsWith('node:')) violations.push({ importer: args.importer, specifier: args.path });
          else if (!ALLOWED_PACKAGES.includes(packageOf(args.path))) violations.push({ importer: args.importer, specifier: args.path });
          return { path: args.path, external: true };
        });
      },
    }],
  });
  return violations;
}
