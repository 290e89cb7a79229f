// The engine contract on the embedded adapters (in-memory store and in-process queue).
import { engineContract } from '../../../test/contracts/engine.contract.ts';
import { MemoryQueue } from './memory-queue.ts';
import { MemoryStepStore } from './memory-step-store.ts';

engineContract('the in-memory store and in-process queue', async () => ({
  store: new MemoryStepStore(), queue: new MemoryQueue(), cleanup: async () => {},
}));

engineContract('the in-memory store and in-process queue', async () => ({
  store: new MemoryStepStore(), queue: new MemoryQueue(), cleanup: async () => {},
}), { chain: true });
