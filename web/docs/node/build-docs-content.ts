// Bundles docs/*.md into web/docs/docs-content.generated.ts, so the docs app needs no file system
// (it runs on Workers too), after writing the CLI reference (docs/cli.md) from the commands'
// definitions and the configuration reference (docs/configuration.md) from the config schema. `npm run docs:build` writes both; `--check` fails when either is stale.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the Markdown lives and where the bundle goes. */
export const DOCS_DIR = fileURLToPath(new URL('../../../docs/', import.meta.url));
export const BUNDLE_PATH = fileURLToPath(new URL('../docs-content.generated.ts', import.meta.url));

/** The bundle's source text for the Markdown files in `dir`. */
export function docsBundleSource(dir = DOCS_DIR): string {
  const files = readdirSync(dir).filter((f) => /^[a-z0-9-]+\.md$/.test(f)).sort();
  const entries = files.map((f) => `  ${JSON.stringify(f.replace(/\.md$/, ''))}: ${JSON.stringify(readFileSync(join(dir, f), 'utf8'))},`);
  return `// Generated from docs/*.md by \`npm run docs:build\` (web/docs/node/build-docs-content.ts): do not edit.\n\n/** Markdown source of each docs page, by slug. */\nexport const DOCS_SOURCES: Record<string, string> = {\n${entries.join('\n')}\n};\n`;
}

/** The generated CLI reference page. */
export const CLI_REFERENCE_PATH = join(DOCS_DIR, 'cli.md');
/** The generated configuration reference page. */
export const CONFIG_REFERENCE_PATH = join(DOCS_DIR, 'configuration.md');

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { commands } = await import('../../../edge/cli/commands/index.ts');
  const { cliReferenceMarkdown } = await import('../../../edge/cli/cli-reference.ts');
  const reference = cliReferenceMarkdown(commands);
  const { configReferenceMarkdown } = await import('../../../edge/runtime/config-reference.ts');
  const configuration = configReferenceMarkdown();
  if (!process.argv.includes('--check')) {
    writeFileSync(CLI_REFERENCE_PATH, reference);
    writeFileSync(CONFIG_REFERENCE_PATH, configuration);
  }
  const source = docsBundleSource();
  if (process.argv.includes('--check')) {
    if (readFileSync(CLI_REFERENCE_PATH, 'utf8') !== reference || readFileSync(CONFIG_REFERENCE_PATH, 'utf8') !== configuration || readFileSync(BUNDLE_PATH, 'utf8') !== source) {
      console.error('docs/cli.md, docs/configuration.md or web/docs/docs-content.generated.ts is stale: run npm run docs:build');
      process.exit(1);
    }
  } else {
    writeFileSync(BUNDLE_PATH, source);
    console.log(`wrote ${BUNDLE_PATH}`);
  }
}
