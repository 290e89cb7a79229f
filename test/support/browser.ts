// Debian's Chromium driven by playwright-core (which never downloads a browser): headless, one
// context per test, screenshots under test-artifacts/.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

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
