import { governorContract } from '../../../test/contracts/governor.contract.ts';
import { MemoryWeightGovernor } from './memory-weight-governor.ts';

governorContract('in-memory governor', async (clock, limits) => ({ governor: new MemoryWeightGovernor({ clock, limits }), cleanup: async () => {} }));
