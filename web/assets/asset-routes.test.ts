import { describe, expect, it } from 'vitest';
import { ASSET_PATHS, assetRoutes } from './asset-routes.ts';
import { nodeChartLibrary } from './node/chart-library.ts';

describe('shared client assets', () => {
  it('serves the chart library from the installed package, and each script as JavaScript', async () => {
    const app = assetRoutes(nodeChartLibrary);
    const library = await app.request(ASSET_PATHS.library);
    expect(library.status).toBe(200);
    expect(library.headers.get('content-type')).toContain('javascript');
    expect(await library.text()).toContain('LightweightCharts');
    for (const path of [ASSET_PATHS.theme, ASSET_PATHS.charts, ASSET_PATHS.live]) {
      const res = await app.request(path);
      expect(res.headers.get('content-type')).toContain('javascript');
      expect((await res.text()).length).toBeGreaterThan(100);
    }
    expect(await (await app.request(ASSET_PATHS.css)).text()).toContain('prefers-color-scheme:dark');
  });

  it('answers 404 for the library when the runtime has none', async () => {
    expect((await assetRoutes(null).request(ASSET_PATHS.library)).status).toBe(404);
  });
});
