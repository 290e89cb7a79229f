// Debian's Chromium driven by playwright-core (which never downloads a browser): headless, one
// context per test, screenshots under test-artifacts/.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where the system Chromium lives (`apt-get install chromium`; .ci/run installs it when missing). */
export const CHROMIUM_PATH = process.env.KRAITE_CHROMIUM ?? '/usr/bin/chromium';

/** Where screenshots go. */
export const SCREENSHOT_DIR = new URL('../../test-artifacts/screenshots/', import.meta.url).pathname;

/** Launches headless Chromium. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
}

/** The path of a named screenshot. */
export function screenshotPath(name: string): string {
  return `${SCREENSHOT_DIR}${name}.png`;
}

/** How many pixels of the chart's canvases differ from its background. */
export async function inkedPixels(page: Page, selector: string): Promise<number[]> {
  return page.$$eval(selector, (els) => els.map((el) => {
    let inked = 0;
    for (const canvas of el.querySelectorAll('canvas')) {
      const ctx = canvas.getContext('2d');
      if (!ctx || !canvas.width || !canvas.height) continue;
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      const [r, g, b] = [data[0], data[1], data[2]];
      for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0 && (data[i] !== r || data[i + 1] !== g || data[i + 2] !== b)) inked += 1;
    }
    return inked;
  }));
}
