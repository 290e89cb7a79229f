#!/usr/bin/env node
// The kraite CLI. Runs the bundle `npm run build` makes (dist/kraite.mjs) when it is there — what
// production and the systemd units run — otherwise the TypeScript sources through tsx's loader.
// KRAITE_FROM_SOURCE=1 runs the sources even beside a bundle (a developer with a stale dist/).
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const bundle = new URL('../dist/kraite.mjs', import.meta.url);
let main;
if (existsSync(bundle) && process.env.KRAITE_FROM_SOURCE !== '1') {
  ({ main } = await import(bundle.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../edge/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
