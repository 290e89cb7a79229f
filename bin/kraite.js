#!/usr/bin/env node
// The kraite CLI: runs the TypeScript sources directly through tsx's loader (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../edge/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
