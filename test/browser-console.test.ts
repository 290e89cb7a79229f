// The console and the admin in Chromium on a paper fleet on the embedded runner (in-memory store
// and queue); `npm run screenshots` runs this file with KRAITE_SCREENSHOT_DIR=docs/screenshots.
import { MemoryQueue } from '../core/adapters/memory/memory-queue.ts';
import { MemoryStepStore } from '../core/adapters/memory/memory-step-store.ts';
import { MARKET_UNIQUE_KEYS } from '../core/market/tables.ts';
import { TRADING_UNIQUE_KEYS } from '../core/trading/tables.ts';
import { screenScenarios } from './contracts/screen-scenarios.contract.ts';

screenScenarios('the embedded runner', async () => ({
  store: new MemoryStepStore({ uniqueKeys: { ...TRADING_UNIQUE_KEYS, ...MARKET_UNIQUE_KEYS } }),
  queue: new MemoryQueue(),
  cleanup: async () => {},
  mode: { store: 'memory', queue: 'memory' },
}), { screenshots: process.env.KRAITE_SCREENSHOT_DIR ?? null });
