// `npm run build`: bundles each entry with esbuild into dist/ — the CLI (which every fleet process
// and systemd unit runs: `kraite run --box NAME`) and the Workers entry. bin/kraite.js runs the
// bundle when it is there, so production skips tsx's transpile at every start; the sources
// through tsx stay the development path.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where the bundles go; it sits beside infra/ and package.json, which the code finds from its own URL. */
export const DIST = `${ROOT}dist/`;

/**
 * Source files find infra/, migrations and package.json relative to their own `import.meta.url`;
 * in one bundle every file would share dist/'s URL. Each file's `import.meta.url` becomes the URL
 * its source had, computed from the bundle's own location so the install directory can move.
 */
function sourceUrls(outDir: string): Plugin {
  return {
    name: 'source-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url') || args.path.includes('node_modules')) return { contents: text, loader: 'ts' };
        const fromOut = relative(outDir, args.path).split('\\').join('/');
        return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromOut)}, import.meta.url).href`), loader: 'ts' };
      });
    },
  };
}

/** Builds every bundle into `outDir` (default dist/, emptied first); returns their paths. */
export async function buildAll(outDir = DIST): Promise<string[]> {
  const out = resolve(outDir);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const cli = join(out, 'kraite.mjs');
  await build({
    entryPoints: [`${ROOT}edge/cli/main.ts`], outfile: cli, bundle: true, platform: 'node', target: 'node20', format: 'esm',
    // Packages stay in node_modules (native parts, their own lazy loading); only our sources are bundled.
    packages: 'external', plugins: [sourceUrls(out)], sourcemap: 'linked', logLevel: 'warning',
    banner: { js: '// Built by `npm run build` (edge/build/build.ts); the sources are in edge/, core/, handlers/, web/.' },
  });
  const workers = join(out, 'workers.mjs');
  await build({
    entryPoints: [`${ROOT}web/runtime/workers.ts`], outfile: workers, bundle: true, platform: 'neutral', target: 'es2022', format: 'esm',
    mainFields: ['module', 'main'], conditions: ['workerd', 'worker', 'import'], logLevel: 'warning',
  });
  return [cli, workers];
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  for (const file of await buildAll()) console.log(`built ${relative(ROOT, file)}`);
}
