// The trading scenarios on the embedded runner: in-memory store and queue.
import { MemoryQueue } from '../core/adapters/memory/memory-queue.ts';
import { MemoryStepStore } from '../core/adapters/memory/memory-step-store.ts';
import { MARKET_UNIQUE_KEYS } from '../core/market/tables.ts';
import { TRADING_UNIQUE_KEYS } from '../core/trading/tables.ts';
import { ledgerScenarios } from './contracts/ledger-scenarios.contract.ts';
import { tradingScenarios } from './contracts/trading-scenarios.contract.ts';

const memoryParts = async () => ({
  store: new MemoryStepStore({ uniqueKeys: { ...TRADING_UNIQUE_KEYS, ...MARKET_UNIQUE_KEYS } }),
  queue: new MemoryQueue(),
  cleanup: async () => {},
});

tradingScenarios('the embedded runner', memoryParts);
ledgerScenarios('the embedded runner', memoryParts);
