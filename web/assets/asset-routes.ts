// The shared client assets, served by any app that mounts them: the stylesheet, the theme, chart
// and live-update scripts, and the lightweight-charts library itself (from the package, no CDN).
import { Hono } from 'hono';
import { html } from 'hono/html';
import { CHARTS_JS, LIVE_JS, PREVIEW_JS, THEME_JS } from './client-scripts.ts';
import { UI_CSS } from './ui-css.ts';

/** Where the pages find the shared assets. */
export const ASSET_PATHS = {
  css: '/static/ui.css', theme: '/static/theme.js', charts: '/static/charts.js', live: '/static/live.js', preview: '/static/preview.js', library: '/static/lightweight-charts.js',
} as const;

/** The library's text (read from node_modules by the Node runtime: web/assets/node/chart-library.ts). */
export type ChartLibrarySource = () => Promise<string | null>;

const JS = 'text/javascript; charset=utf-8';

/** Routes serving the shared assets; without a library source the chart script draws nothing. */
export function assetRoutes(library: ChartLibrarySource | null): Hono<any> {
  const app = new Hono();
  const cache = { 'Cache-Control': 'public, max-age=3600' };
  app.get(ASSET_PATHS.css, (c) => c.body(UI_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', ...cache }));
  app.get(ASSET_PATHS.theme, (c) => c.body(THEME_JS, 200, { 'Content-Type': JS, ...cache }));
  app.get(ASSET_PATHS.charts, (c) => c.body(CHARTS_JS, 200, { 'Content-Type': JS, ...cache }));
  app.get(ASSET_PATHS.live, (c) => c.body(LIVE_JS, 200, { 'Content-Type': JS, ...cache }));
  app.get(ASSET_PATHS.preview, (c) => c.body(PREVIEW_JS, 200, { 'Content-Type': JS, ...cache }));
  let text: Promise<string | null> | null = null;
  app.get(ASSET_PATHS.library, async (c) => {
    text ??= library ? library() : Promise.resolve(null);
    const body = await text;
    return body === null ? c.text('chart library unavailable', 404) : c.body(body, 200, { 'Content-Type': JS, 'Cache-Control': 'public, max-age=86400' });
  });
  return app;
}

/** The scripts a page with charts (web/assets/chart-markup.ts) loads: the library, then the drawing script. */
export const CHART_SCRIPTS: string[] = [ASSET_PATHS.library, ASSET_PATHS.charts];

/** The page options (see web/admin/layout.ts) that give a page the shared look, charts, live updates and the theme toggle. */
export const UI_PAGE = {
  styles: [ASSET_PATHS.css],
  headScripts: [ASSET_PATHS.theme],
  scripts: [ASSET_PATHS.library, ASSET_PATHS.charts, ASSET_PATHS.live, ASSET_PATHS.preview],
  headerEnd: html`<button type="button" class="theme-toggle" data-theme-toggle hidden>◐ theme</button>`,
};
