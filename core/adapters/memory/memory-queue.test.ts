import { queueContract } from '../../../test/contracts/queue.contract.ts';
import { MemoryQueue } from './memory-queue.ts';

queueContract('in-process queue', async () => ({ queue: new MemoryQueue(), cleanup: async () => {} }));
