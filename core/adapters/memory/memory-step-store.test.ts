import { stepStoreContract } from '../../../test/contracts/step-store.contract.ts';
import { stepClaimContract } from '../../../test/contracts/step-claim.contract.ts';
import { MemoryStepStore } from './memory-step-store.ts';

stepStoreContract('in-memory', async () => ({ store: new MemoryStepStore(), cleanup: async () => {} }));
stepClaimContract('in-memory', async () => ({ store: new MemoryStepStore(), cleanup: async () => {} }));
