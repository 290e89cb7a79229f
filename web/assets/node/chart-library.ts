// Reads TradingView lightweight-charts' standalone build (it defines window.LightweightCharts)
// from the installed package, so the apps serve it from 'self' and no page depends on a CDN.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ChartLibrarySource } from '../asset-routes.ts';

/** The library's production build, read once on first request. */
export const nodeChartLibrary: ChartLibrarySource = async () => {
  const require = createRequire(import.meta.url);
  // The package exports only its ESM entry, but its package.json is exported: the build sits beside it.
  const manifest = require.resolve('lightweight-charts/package.json');
  return readFile(join(dirname(manifest), 'dist', 'lightweight-charts.standalone.production.js'), 'utf8');
};
